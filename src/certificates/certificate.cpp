#include "certificates/certificate.hpp"

#include <cctype>
#include <cstdio>

namespace dure::certificates {

namespace {
constexpr const char* kAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";  // 31 characters, no look-alikes
}

std::string certificate_number(long long id, int year) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "DURE-%04d-%06lld", year, id);
    return buf;
}

std::string format_code(const std::string& bytes) {
    std::string out;
    for (std::size_t i = 0; i < bytes.size() && i < 10; ++i) {
        if (i == 5) out += '-';
        out += kAlphabet[static_cast<unsigned char>(bytes[i]) % 31];
    }
    return out;
}

std::string normalize_code(const std::string& typed) {
    std::string out;
    for (char c : typed) {
        if (c == '-' || std::isspace(static_cast<unsigned char>(c))) continue;
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

bool codes_match(const std::string& stored, const std::string& typed) {
    auto a = normalize_code(stored), b = normalize_code(typed);
    if (a.size() != b.size() || a.empty()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

}  // namespace dure::certificates
