#pragma once
// All SQL of facility disclosures: the current state of each (facility, fiscal year, kind), its
// lines and donations, and every saved state in disclosure_versions. Writes are safe to repeat:
// saving the same content again or repeating the last workflow action changes nothing.
#include <optional>
#include <string>
#include <vector>

#include "disclosures/disclosure.hpp"
#include "store/database.hpp"

namespace dure::catalog {

// One saved state in a disclosure's history.
struct DisclosureVersion {
    long long version = 0;
    std::string status, changed_by, note;
    long long changed_at = 0;
};

class DisclosureStore {
public:
    explicit DisclosureStore(store::Database& db) : db_(db) {}

    // Creates the draft of (facility, fiscal year, kind) or saves new content into it. A
    // submitted disclosure is under review: ErrorKind::conflict. Saving into an approved one
    // starts a correction (a draft of the next version) while the approved version stays public.
    Disclosure save_draft(long long district_id, const std::string& facility_id,
                          const DisclosureContent& content, const std::string& by);

    // Applies "submit", "approve" or "return" (with `reason`). Throws ErrorKind::conflict when
    // the action does not apply; repeating the action that set the status changes nothing.
    Disclosure transition(const std::string& id, const std::string& action, const std::string& by,
                          const std::string& reason = "");

    std::optional<Disclosure> get(const std::string& id);
    // The state saved as `version` (as it was then), e.g. the published one.
    std::optional<Disclosure> at_version(const std::string& id, long long version);
    // What the public may see: the current state if approved, else the last approved version.
    std::optional<Disclosure> published(const std::string& id);

    // Every disclosure of a facility (current states), newest fiscal year first, budget first.
    std::vector<Disclosure> for_facility(const std::string& facility_id);
    std::vector<DisclosureVersion> history(const std::string& id);
    // The review queue: a district's disclosures waiting for an official (status submitted), the
    // longest waiting first, with their lines (for the totals).
    std::vector<Disclosure> submitted_in(long long district_id);

private:
    store::Database& db_;
};

}  // namespace dure::catalog
