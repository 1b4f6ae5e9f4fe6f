#pragma once
// Case management for households found in crisis (outreach households): intake → assessment
// (crisis level, needs) → plan (goals, linked catalogue services, referrals) → monitoring →
// closed with an outcome; home visits with a checklist. Every entry's text is encrypted.
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "identity/crypto.hpp"
#include "store/database.hpp"

namespace dure::cases {

// Stages in order; `closed` may follow any open stage.
const std::vector<std::string>& stages();
const std::vector<std::string>& outcomes();         // resolved, linked_public, linked_private, moved, refused, unreachable, died
const std::vector<std::string>& checklist_items();  // meals, heating, medication, hygiene, mobility, mood, housing_safety, utilities
const std::vector<std::string>& need_codes();       // the catalogue's topic codes

struct Case {
    long long id = 0, district_id = 0, dong_id = 0, household_id = 0, crisis_level = 0;
    long long assigned_account_id = 0, opened_by = 0, opened_at = 0, updated_at = 0, closed_at = 0;
    std::string stage, outcome;
    std::vector<std::string> needs;
};

struct Entry {
    long long id = 0, at = 0, by_account = 0;
    std::string kind;
    std::string body_json;  // decrypted
};

class CaseStore {
public:
    CaseStore(store::Database& db, const identity::Keyring& keys) : db_(db), keys_(keys) {}

    // The household's district and dong (dong 0 when not known yet); nullopt when no such household.
    std::optional<std::pair<long long, long long>> household_place(long long household_id);
    // Opens a case; 409 when the household already has an open one.
    Case open(long long district_id, long long dong_id, long long household_id, long long assigned, long long by, long long now);
    std::optional<Case> get(long long id);
    std::vector<Case> list(long long district_id, long long dong_id);

    // Moves to `next` (validated by the caller), storing the stage's details as an entry.
    void advance(Case& c, const std::string& next, long long crisis_level, const std::vector<std::string>& needs,
                 const std::string& outcome, const std::string& details_json, long long by, long long now);
    void add_entry(long long case_id, const std::string& kind, const std::string& body_json, long long by, long long now);
    std::vector<Entry> entries(long long case_id);
    void link_service(long long case_id, const std::string& service_id, const std::string& kind, long long now);
    std::vector<std::pair<std::string, std::string>> services(long long case_id);
    void reassign(long long case_id, long long account_id, long long by, long long now);
    // Rewrites entries stored before they were bound to their case (once, at start).
    long long bind_legacy_entries();

private:
    store::Database& db_;
    const identity::Keyring& keys_;
};

}  // namespace dure::cases
