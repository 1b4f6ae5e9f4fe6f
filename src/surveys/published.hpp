#pragma once
// Published statistics: what the public sees of counts over personal records is a snapshot an
// official published, never a live count. Before a snapshot is stored its cells are suppressed so
// that no count of 1 to 4 people can be read, recovered by subtraction from a total, or recovered
// by comparing it with an earlier published snapshot (docs/privacy.md, "Published statistics").
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dure::surveys {

// Cells by name ("total.surveyed", "dong.3.surveyed", "flag.food"); a published cell may be hidden.
using Cells = std::map<std::string, long long>;
using PublishedCells = std::map<std::string, std::optional<long long>>;

// An additive relation: `total` is the sum of `parts`.
struct Relation {
    std::string total;
    std::vector<std::string> parts;
};

inline constexpr long long kSmallCell = 5;  // counts from 1 to kSmallCell - 1 are never shown

// What else ties cells together: a row (a dong) whose first cell (its people) is 1 to 4 is hidden
// whole, zeros too; a part of a whole (those with a flag among those surveyed) is hidden when the
// rest (whole minus part) is 1 to 4, so a small complement cannot be read either.
struct Structure {
    std::vector<Relation> relations;
    std::vector<std::vector<std::string>> rows;
    std::vector<std::pair<std::string, std::string>> subsets;  // whole, part
};

// The cells to publish from `live` counts, given how they relate and every snapshot of the same
// table published before:
//  1. primary: a count from 1 to 4 is hidden, so is a row of 1 to 4 people and a part whose
//     complement is 1 to 4;
//  2. differencing: a count that differs by 1 to 4 from the same cell in any earlier snapshot is
//     hidden;
//  3. complementary, per relation: when its total is shown, the hidden parts are at least two and
//     add up to at least 5 (else the next smallest non-zero part is hidden too, or the total when
//     none is left); when the total is hidden, at least one part is hidden too; and when the hidden
//     parts were all shown in an earlier snapshot, their combined change must not be 1 to 4 (else
//     the total is hidden).
PublishedCells suppress(const Cells& live, const Structure& structure, const std::vector<PublishedCells>& earlier);

}  // namespace dure::surveys
