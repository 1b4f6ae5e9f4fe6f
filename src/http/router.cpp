#include "http/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace dure::http {

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> out;
    std::size_t i = path.empty() || path[0] != '/' ? 0 : 1;
    while (true) {
        auto j = path.find('/', i);
        out.push_back(path.substr(i, j == std::string::npos ? std::string::npos : j - i));
        if (j == std::string::npos) break;
        i = j + 1;
    }
    return out;
}

void Router::add(Route r) {
    for (const auto& existing : routes_)
        if (existing.method == r.method && existing.path == r.path)
            throw std::logic_error("duplicate route " + r.method + " " + r.path);
    compiled_.push_back({split_path(r.path)});
    routes_.push_back(std::move(r));
}

Router::Match Router::match(const std::string& method, const std::string& path) const {
    Match best;
    int best_literals = -1;
    bool best_exact = false;
    auto segs = split_path(path);
    for (std::size_t i = 0; i < routes_.size(); ++i) {
        const auto& tmpl = compiled_[i].segments;
        if (tmpl.size() != segs.size()) continue;
        std::unordered_map<std::string, std::string> params;
        bool ok = true;
        for (std::size_t k = 0; k < tmpl.size() && ok; ++k) {
            const auto& t = tmpl[k];
            if (t.size() > 2 && t.front() == '{' && t.back() == '}') {
                if (segs[k].empty()) ok = false;
                else params[t.substr(1, t.size() - 2)] = segs[k];
            } else {
                ok = t == segs[k];
            }
        }
        if (!ok) continue;
        const auto& m = routes_[i].method;
        if (m == method || (method == "HEAD" && m == "GET")) {
            // A literal segment beats a parameter: /disclosures/categories wins over /disclosures/{id}.
            int literals = static_cast<int>(tmpl.size() - params.size());
            bool exact = m == method;
            if (!best.route || literals > best_literals || (literals == best_literals && exact && !best_exact)) {
                best.route = &routes_[i];
                best.params = std::move(params);
                best_literals = literals;
                best_exact = exact;
            }
        }
        if (std::find(best.allowed.begin(), best.allowed.end(), m) == best.allowed.end())
            best.allowed.push_back(m);
    }
    return best;
}

void Router::mark_idempotent(std::string_view method, std::string_view path) {
    for (auto& r : routes_)
        if (r.method == method && r.path == path) {
            r.idempotent = true;
            return;
        }
    throw std::logic_error("mark_idempotent: no route " + std::string(method) + " " + std::string(path));
}

}  // namespace dure::http
