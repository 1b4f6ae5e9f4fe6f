#pragma once
// The sharing market (나눔장터): residents list things to give away or lend, others ask, the
// giver picks one, hands over (a loan comes back). No price anywhere: no money changes hands. A
// reported listing is hidden until staff review it (restore or remove). docs/community.md.
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace dure::identity {
class Keyring;
}

namespace dure::community {

struct MarketItem {
    long long id = 0, district_id = 0, dong_id = 0, owner_id = 0, reserved_request = 0, reports = 0, created_at = 0;
    std::string kind, title, description, handover_place, status, moderation_note;
    bool hidden = false;
};

struct MarketRequest {
    long long id = 0, item_id = 0, account_id = 0, created_at = 0;
    std::string message, status;  // asked, chosen, declined, withdrawn
};

class MarketStore {
public:
    MarketStore(store::Database& db, const identity::Keyring& keys) : db_(db), keys_(keys) {}
    store::Database& db() { return db_; }

    long long create(const MarketItem& item, long long now);
    std::optional<MarketItem> item(long long id);
    // Public: listed and reserved, never hidden.
    std::vector<MarketItem> visible(long long district_id);
    std::vector<MarketItem> of_owner(long long owner_id);
    // Hidden (reported) items of a district awaiting review.
    std::vector<MarketItem> to_review(long long district_id);

    // Asks for a listed item (not one's own; once per person). 422 naming the field otherwise.
    MarketRequest ask(long long item_id, long long account_id, const std::string& message, long long now);
    std::vector<MarketRequest> requests(long long item_id);
    std::vector<MarketRequest> requests_of(long long account_id);
    // The owner picks a request: the item goes listed → reserved by a conditional UPDATE (one
    // reservation, whatever the concurrency); the chosen person is told where to pick it up.
    MarketItem choose(long long item_id, long long request_id, long long now);
    // The owner moves the item on (rules.hpp market_transition); 409 when the move is not allowed.
    MarketItem move(long long item_id, const std::string& to, long long now);
    // A member reports an item (once per person): it is hidden until reviewed.
    MarketItem report(long long item_id, long long account_id, const std::string& reason, long long now);
    // Staff review: "restore" shows it again, "remove" takes it down; the owner is told.
    MarketItem review(long long item_id, const std::string& decision, const std::string& note, long long now);

private:
    store::Database& db_;
    const identity::Keyring& keys_;
};

}  // namespace dure::community
