#pragma once
#include <functional>

#include "store/idempotency.hpp"
// Members' household profiles and saved simulation results, encrypted at rest.
#include <optional>
#include <string>
#include <vector>

#include "identity/crypto.hpp"
#include "store/database.hpp"

namespace dure::eligibility {

struct Profile {
    long long account_id = 0;
    std::string household_json;  // decrypted; empty when none stored
    bool alerts_consent = false;
    std::string interests_json = "{}";  // {"topics": [...], "life_stages": [...]}
    long long updated_at = 0;
};

struct SavedSimulation {
    long long id = 0;
    std::string date;
    long long created_at = 0;
    std::string body_json;  // decrypted {household, summary}
};

class ProfileStore {
public:
    ProfileStore(store::Database& db, const identity::Keyring& keys) : db_(db), keys_(keys) {}

    std::optional<Profile> profile(long long account_id);
    // `also` runs in the same transaction (the consent record when alerts_consent changes).
    void save_profile(const Profile& p, const std::function<void(soci::session&)>& also = {});
    // Alerts stop: what withdrawing the eligibility_alerts consent does, inside the withdrawal's
    // transaction (registered with identity::ConsentStore::on_withdraw).
    static void withdraw_alerts_in(soci::session& s, long long account_id);
    // Profiles with alert consent and a stored household (decrypted), for the re-screening job.
    std::vector<Profile> consented();
    // Deletes the profile and everything derived from it (saved simulations, per-program results
    // and amounts, eligibility messages and their deliveries, alert settings, recommendation
    // feedback) in one transaction; erase_in does it inside the caller's.
    void erase(long long account_id);
    static void erase_in(soci::session& s, long long account_id);

    long long save_simulation(long long account_id, const std::string& date, const std::string& body_json);
    // The same, once per Idempotency-Key (store::run_idempotent): `answer` makes the response from
    // the new id inside the transaction; a retry with the key replays it and saves nothing.
    store::StoredAnswer save_simulation_once(long long account_id, const std::string& date, const std::string& body_json,
                                             const std::string& key_hash, const std::string& request_hash,
                                             const std::function<std::pair<int, std::string>(long long)>& answer);
    std::vector<SavedSimulation> simulations(long long account_id, int limit = 20);
    bool delete_simulation(long long account_id, long long id);

private:
    store::Database& db_;
    const identity::Keyring& keys_;
};

}  // namespace dure::eligibility
