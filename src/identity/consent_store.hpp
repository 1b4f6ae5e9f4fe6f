#pragma once
// All SQL of consent records (migration 0014): one row per act (given or withdrawn), never
// updated. A module whose feature rests on an optional consent registers what withdrawing it
// does (on_withdraw), and that runs in the same transaction as the withdrawal's record.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "identity/consents.hpp"
#include "store/database.hpp"

namespace soci {
class session;
}

namespace dure::identity {

struct ConsentRecord {
    long long id = 0;
    std::string kind, version, text_sha256, action, channel;
    long long at = 0;
};

// A kind's state for one resident: its newest record (given or withdrawn) and when it was first given.
struct ConsentState {
    ConsentRecord last;
    long long first_given_at = 0;
};

class ConsentStore {
public:
    explicit ConsentStore(store::Database& db) : db_(db) {}

    // Appends one act inside a caller's transaction (sign-up, the eligibility profile).
    static void append_in(soci::session& s, long long account_id, const ConsentText& text, bool given,
                          const std::string& channel, long long now);
    // The newest record of `kind` for the account, inside a caller's transaction.
    static std::optional<ConsentRecord> current_in(soci::session& s, long long account_id, const std::string& kind);

    // Every act of the account, oldest first; and the state of each kind it ever touched.
    std::vector<ConsentRecord> history(long long account_id);
    std::vector<ConsentState> states(long long account_id);

    // Withdraws an optional consent: records it and runs the kind's on_withdraw hook, in one
    // transaction. False when it was not given (nothing recorded twice).
    bool withdraw(long long account_id, const ConsentText& text, const std::string& channel, long long now);

    // What withdrawing `kind` does beyond the record (e.g. alerts stop), registered at start.
    static void on_withdraw(const std::string& kind, std::function<void(soci::session&, long long account_id)> fn);

private:
    store::Database& db_;
};

}  // namespace dure::identity
