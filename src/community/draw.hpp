#pragma once
// Fair, verifiable draws (추첨): pure logic, no database (docs/community.md "Draws"). The entrant
// list is frozen and its hash published with the rule, the number of winners and the source of
// the seed before anyone knows the seed; the draw is then a deterministic function of the list
// and the seed that anyone can recompute (`dure lottery verify FILE SEED`):
//
//   list      = the entry codes sorted bytewise, each followed by "\n"
//   list_hash = hex(SHA-256(list))
//   key       = hex(SHA-256("dure-draw-v1|" + list_hash + "|" + seed))
//   score(c)  = hex(SHA-256(key + "|" + c))
//   order     = the codes by ascending score (ties, never seen in practice, by code)
//   winners   = the first `winner_count` of the order; the rest is the waitlist, in order.
#include <string>
#include <vector>

namespace dure::community {

// Entry codes: 1 to 40 characters of A-Z a-z 0-9 - _ (pseudonymous: never a name).
bool valid_entry_code(const std::string& code);

std::string canonical_list(std::vector<std::string> codes);
std::string list_hash(const std::vector<std::string>& codes);

struct DrawResult {
    std::string list_hash, key;
    std::vector<std::string> order;    // every code, best first
    std::vector<std::string> winners;  // the first winner_count of `order`
};

// Throws Error (422) naming the field: "entrants" (none, an invalid or duplicate code), "seed"
// (empty), "winner_count" (below 1, or more winners than entrants).
DrawResult run_draw(const std::vector<std::string>& codes, const std::string& seed, long long winner_count);

// A name as published for a winner: the first and last characters kept, the middle masked
// ("김민수" → "김*수", "이솔" → "이*", "Kim" → "K*m").
std::string mask_name(const std::string& utf8_name);

}  // namespace dure::community
