#include "surveys/published.hpp"

#include <algorithm>
#include <cstdlib>
#include <set>

namespace dure::surveys {

namespace {
bool small(long long v) {
    return v > 0 && v < kSmallCell;
}
}  // namespace

PublishedCells suppress(const Cells& live, const Structure& structure, const std::vector<PublishedCells>& earlier) {
    const auto& relations = structure.relations;
    std::set<std::string> hidden;
    auto value = [&](const std::string& k) {
        auto it = live.find(k);
        return it == live.end() ? 0LL : it->second;
    };
    for (const auto& row : structure.rows)
        if (!row.empty() && small(value(row.front()))) hidden.insert(row.begin(), row.end());
    for (const auto& [whole, part] : structure.subsets)
        if (small(value(whole) - value(part))) hidden.insert(part);
    for (const auto& [k, v] : live) {
        if (small(v)) hidden.insert(k);
        for (const auto& e : earlier)
            if (auto it = e.find(k); it != e.end() && it->second && small(std::llabs(v - *it->second)))
                hidden.insert(k);
    }
    // Each pass hides at least one more cell or stops; there are finitely many cells.
    for (bool changed = true; changed;) {
        changed = false;
        for (const auto& rel : relations) {
            std::vector<std::string> hidden_parts, shown_parts;
            long long hidden_sum = 0, shown_sum = 0;
            for (const auto& p : rel.parts) {
                if (hidden.count(p)) {
                    hidden_parts.push_back(p);
                    hidden_sum += value(p);
                } else {
                    shown_parts.push_back(p);
                    shown_sum += value(p);
                }
            }
            bool total_hidden = hidden.count(rel.total) > 0;
            auto hide_next_smallest = [&] {
                std::string best;
                for (const auto& p : shown_parts)
                    if (value(p) > 0 && (best.empty() || value(p) < value(best))) best = p;
                hidden.insert(best.empty() ? rel.total : best);
                changed = true;
            };
            if (total_hidden) {
                if (hidden_parts.empty() && !rel.parts.empty()) {
                    std::string best;
                    for (const auto& p : shown_parts)
                        if (value(p) > 0 && (best.empty() || value(p) < value(best))) best = p;
                    if (!best.empty()) {
                        hidden.insert(best);
                        changed = true;
                    }
                }
                continue;
            }
            if (hidden_parts.empty()) continue;
            if (hidden_parts.size() == 1 || hidden_sum < kSmallCell) {
                hide_next_smallest();
                continue;
            }
            for (const auto& e : earlier) {
                long long before = 0;
                bool all_shown = true;
                for (const auto& p : hidden_parts) {
                    auto it = e.find(p);
                    if (it == e.end() || !it->second) {
                        all_shown = false;
                        break;
                    }
                    before += *it->second;
                }
                if (all_shown && small(std::llabs(hidden_sum - before))) {
                    hidden.insert(rel.total);
                    changed = true;
                    break;
                }
            }
        }
    }
    PublishedCells out;
    for (const auto& [k, v] : live) out[k] = hidden.count(k) ? std::nullopt : std::optional<long long>(v);
    return out;
}

}  // namespace dure::surveys
