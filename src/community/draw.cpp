#include "community/draw.hpp"

#include <algorithm>
#include <set>

#include "common/error.hpp"
#include "identity/crypto.hpp"

namespace dure::community {

bool valid_entry_code(const std::string& c) {
    if (c.empty() || c.size() > 40) return false;
    return std::all_of(c.begin(), c.end(), [](char ch) {
        return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
    });
}

std::string canonical_list(std::vector<std::string> codes) {
    std::sort(codes.begin(), codes.end());
    std::string out;
    for (const auto& c : codes) out += c + "\n";
    return out;
}

std::string list_hash(const std::vector<std::string>& codes) { return identity::token_hash(canonical_list(codes)); }

DrawResult run_draw(const std::vector<std::string>& codes, const std::string& seed, long long winner_count) {
    FieldErrors errors;
    std::set<std::string> seen;
    for (const auto& c : codes) {
        if (!valid_entry_code(c)) {
            errors.add("entrants", "invalid_code", "entry codes are 1 to 40 of A-Z a-z 0-9 - _");
            break;
        }
        if (!seen.insert(c).second) {
            errors.add("entrants", "duplicate_code", "entry code " + c + " appears twice");
            break;
        }
    }
    if (codes.empty()) errors.add("entrants", "empty", "no entrants to draw from");
    if (seed.empty()) errors.add("seed", "required", "the seed drawn in public");
    if (winner_count < 1) errors.add("winner_count", "too_small", "at least 1 winner");
    else if (winner_count > static_cast<long long>(codes.size()))
        errors.add("winner_count", "more_than_entrants",
                   std::to_string(winner_count) + " winners but only " + std::to_string(codes.size()) + " entrants");
    errors.throw_if_any();
    DrawResult r;
    r.list_hash = list_hash(codes);
    r.key = identity::token_hash("dure-draw-v1|" + r.list_hash + "|" + seed);
    std::vector<std::pair<std::string, std::string>> scored;
    for (const auto& c : codes) scored.emplace_back(identity::token_hash(r.key + "|" + c), c);
    std::sort(scored.begin(), scored.end());
    for (const auto& [score, c] : scored) r.order.push_back(c);
    r.winners.assign(r.order.begin(), r.order.begin() + winner_count);
    return r;
}

std::string mask_name(const std::string& name) {
    // Split into UTF-8 code points.
    std::vector<std::string> cps;
    for (std::size_t i = 0; i < name.size();) {
        unsigned char c = static_cast<unsigned char>(name[i]);
        std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
        cps.push_back(name.substr(i, n));
        i += n;
    }
    if (cps.empty()) return "*";
    if (cps.size() == 1) return cps[0] + "*";
    if (cps.size() == 2) return cps[0] + "*";
    std::string out = cps.front();
    for (std::size_t i = 1; i + 1 < cps.size(); ++i) out += "*";
    return out + cps.back();
}

}  // namespace dure::community
