#include "http/message.hpp"

#include <cctype>

namespace dure::http {

namespace {
bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}
}  // namespace

std::optional<std::string> Request::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (iequals(k, name)) return v;
    return std::nullopt;
}

std::optional<std::string> Request::query_param(std::string_view name) const {
    for (const auto& [k, v] : query)
        if (k == name) return v;
    return std::nullopt;
}

std::optional<std::string> Request::cookie(std::string_view name) const {
    for (const auto& [k, v] : headers) {
        if (!iequals(k, "cookie")) continue;
        std::string_view s = v;
        while (!s.empty()) {
            auto semi = s.find(';');
            std::string_view part = s.substr(0, semi);
            while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
            auto eq = part.find('=');
            if (eq != std::string_view::npos && part.substr(0, eq) == name) return std::string(part.substr(eq + 1));
            if (semi == std::string_view::npos) break;
            s.remove_prefix(semi + 1);
        }
    }
    return std::nullopt;
}

}  // namespace dure::http
