#pragma once
// Storage of draws: frozen entrant lists, runs (the first, and reruns with their reasons). The
// draw itself is the pure function of draw.hpp.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace dure::community {

struct Draw {
    long long id = 0, district_id = 0, dong_id = 0, organization_id = 0, event_id = 0;
    std::string title, rule, legal_basis, seed_source, list_hash;
    long long winner_count = 0, entrant_count = 0, runs = 0, created_by = 0, created_at = 0;
};

struct DrawEntrant {
    std::string code, masked;
    long long account_id = 0, registration_id = 0;
};

struct DrawRun {
    long long run_no = 0, at = 0, by_account = 0;
    std::string seed, reason, key;
    std::vector<std::string> order;    // every code, best first
    std::vector<std::string> winners;  // the first winner_count
};

class DrawStore {
public:
    explicit DrawStore(store::Database& db) : db_(db) {}

    // Freezes a draw over `entrants` (codes checked, list hashed). Throws Error naming the field.
    long long freeze(const Draw& d, const std::vector<DrawEntrant>& entrants, long long now);
    // Freezes the applications of a closed draw event (allocation "draw"): entry codes E-<registration
    // id> (each applicant sees theirs), winners = the event's capacity unless `d.winner_count` says fewer.
    long long freeze_event(Draw d, long long event_id, const std::function<std::string(long long)>& masked_name_of,
                           long long now);
    // Runs the draw with the seed made public now. The first run needs no reason; any later run
    // does, and stays beside the earlier ones. For an event draw, the winners' places are
    // confirmed and everyone else waitlisted in draw order, in the same transaction.
    DrawRun run(long long draw_id, const std::string& seed, const std::string& reason, long long by, long long now);

    std::optional<Draw> draw(long long id);
    std::vector<Draw> list(long long district_id);
    std::vector<DrawEntrant> entrants(long long draw_id);
    std::vector<DrawRun> runs(long long draw_id);

private:
    store::Database& db_;
};

}  // namespace dure::community
