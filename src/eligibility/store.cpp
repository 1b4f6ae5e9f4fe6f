#include "eligibility/store.hpp"

#include <soci/soci.h>

namespace dure::eligibility {

using soci::into;
using soci::use;

namespace {
constexpr const char* kHouseholdCtx = "member_profiles.household";
constexpr const char* kSimCtx = "saved_simulations.body";
}  // namespace

std::optional<Profile> ProfileStore::profile(long long account_id) {
    std::optional<Profile> out;
    db_.read([&](soci::session& s) {
        Profile p;
        std::string enc;
        long long consent = 0;
        soci::indicator ind;
        s << "SELECT household_enc, alerts_consent, interests, updated_at FROM member_profiles WHERE account_id = :a",
            into(enc, ind), into(consent), into(p.interests_json), into(p.updated_at), use(account_id);
        if (!s.got_data()) return;
        p.account_id = account_id;
        p.alerts_consent = consent != 0;
        if (ind == soci::i_ok && !enc.empty()) p.household_json = keys_.decrypt(enc, kHouseholdCtx);
        out = std::move(p);
    });
    return out;
}

void ProfileStore::withdraw_alerts_in(soci::session& s, long long account_id) {
    long long now = store::now_unix();
    s << "UPDATE member_profiles SET alerts_consent = 0, updated_at = :u WHERE account_id = :a", use(now), use(account_id);
}

void ProfileStore::save_profile(const Profile& p, const std::function<void(soci::session&)>& also) {
    std::string enc = p.household_json.empty() ? std::string() : keys_.encrypt(p.household_json, kHouseholdCtx);
    long long consent = p.alerts_consent ? 1 : 0, now = store::now_unix();
    db_.write([&](soci::session& s) {
        long long n = 0;
        s << "SELECT COUNT(*) FROM member_profiles WHERE account_id = :a", into(n), use(p.account_id);
        if (n)
            s << "UPDATE member_profiles SET household_enc = :h, alerts_consent = :c, interests = :i, updated_at = :u "
                 "WHERE account_id = :a",
                use(enc), use(consent), use(p.interests_json), use(now), use(p.account_id);
        else
            s << "INSERT INTO member_profiles (account_id, household_enc, alerts_consent, interests, updated_at) "
                 "VALUES (:a, :h, :c, :i, :u)",
                use(p.account_id), use(enc), use(consent), use(p.interests_json), use(now);
        if (also) also(s);
    });
}

std::vector<Profile> ProfileStore::consented() {
    std::vector<Profile> out;
    db_.read([&](soci::session& s) {
        Profile p;
        std::string enc;
        soci::statement st = (s.prepare << "SELECT account_id, household_enc, interests, updated_at FROM member_profiles "
                                           "WHERE alerts_consent = 1 AND household_enc <> '' ORDER BY account_id",
                              into(p.account_id), into(enc), into(p.interests_json), into(p.updated_at));
        st.execute();
        while (st.fetch()) {
            p.alerts_consent = true;
            p.household_json = keys_.decrypt(enc, kHouseholdCtx);
            out.push_back(p);
        }
    });
    return out;
}

void ProfileStore::erase(long long account_id) {
    db_.write([&](soci::session& s) { erase_in(s, account_id); });
}

void ProfileStore::erase_in(soci::session& s, long long account_id) {
    // Everything computed from the profile goes with it, in the caller's transaction: results
    // and amounts per program, the messages and deliveries that listed benefits, the alert
    // settings (the profile's consent is what they serve) and the recommendation feedback.
    s << "DELETE FROM screening_state WHERE account_id = :a", use(account_id);
    s << "DELETE FROM outbox WHERE account_id = :a AND kind = 'eligibility'", use(account_id);
    s << "DELETE FROM inbox_messages WHERE account_id = :a AND kind = 'eligibility'", use(account_id);
    s << "DELETE FROM alert_settings WHERE account_id = :a", use(account_id);
    s << "DELETE FROM recommendation_feedback WHERE account_id = :a", use(account_id);
    s << "DELETE FROM saved_simulations WHERE account_id = :a", use(account_id);
    s << "DELETE FROM member_profiles WHERE account_id = :a", use(account_id);
}

namespace {
long long insert_simulation(soci::session& s, long long account_id, const std::string& date, const std::string& enc) {
    long long now = store::now_unix(), id = 0;
    s << "INSERT INTO saved_simulations (account_id, sim_date, created_at, body_enc) VALUES (:a, :d, :c, :b) "
         "RETURNING id",
        use(account_id), use(date), use(now), use(enc), into(id);
    // Keep the 20 newest.
    s << "DELETE FROM saved_simulations WHERE account_id = :a AND id NOT IN (SELECT id FROM saved_simulations "
         "WHERE account_id = :a2 ORDER BY id DESC LIMIT 20)",
        use(account_id), use(account_id);
    return id;
}
}  // namespace

long long ProfileStore::save_simulation(long long account_id, const std::string& date, const std::string& body_json) {
    std::string enc = keys_.encrypt(body_json, kSimCtx);
    long long id = 0;
    db_.write([&](soci::session& s) { id = insert_simulation(s, account_id, date, enc); });
    return id;
}

store::StoredAnswer ProfileStore::save_simulation_once(long long account_id, const std::string& date,
                                                       const std::string& body_json, const std::string& key_hash,
                                                       const std::string& request_hash,
                                                       const std::function<std::pair<int, std::string>(long long)>& answer) {
    std::string enc = keys_.encrypt(body_json, kSimCtx);
    return store::run_idempotent(db_, key_hash, request_hash,
                                 [&](soci::session& s) { return answer(insert_simulation(s, account_id, date, enc)); });
}

std::vector<SavedSimulation> ProfileStore::simulations(long long account_id, int limit) {
    std::vector<SavedSimulation> out;
    db_.read([&](soci::session& s) {
        SavedSimulation sim;
        std::string enc;
        soci::statement st = (s.prepare << "SELECT id, sim_date, created_at, body_enc FROM saved_simulations "
                                           "WHERE account_id = :a ORDER BY id DESC LIMIT :l",
                              into(sim.id), into(sim.date), into(sim.created_at), into(enc), use(account_id), use(limit));
        st.execute();
        while (st.fetch()) {
            sim.body_json = keys_.decrypt(enc, kSimCtx);
            out.push_back(sim);
        }
    });
    return out;
}

bool ProfileStore::delete_simulation(long long account_id, long long id) {
    long long changed = 0;
    db_.write([&](soci::session& s) {
        soci::statement st = (s.prepare << "DELETE FROM saved_simulations WHERE id = :i AND account_id = :a", use(id),
                              use(account_id));
        st.execute(true);
        changed = st.get_affected_rows();
    });
    return changed > 0;
}

}  // namespace dure::eligibility
