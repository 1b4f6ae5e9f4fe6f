#pragma once
// The one place that decides who may do what. Every handler asks `require` (or `authorize`);
// none checks roles itself.
#include <optional>
#include <string>

#include "identity/model.hpp"

namespace dure::identity {

enum class Action {
    read_accounts,      // list accounts of a district with their roles
    manage_roles,       // grant and revoke roles
    manage_api_tokens,  // issue and revoke partner API tokens
    read_access_log,    // see who read whose record
    handle_privacy_requests, // decide residents' requests to see, correct, delete or stop processing their data
    create_person,      // register a person's record
    read_person,        // read a person's record (logged; the resident registration number masked)
    reveal_rrn,         // see a person's full resident registration number (a separate, logged action)
    edit_catalog,       // create, edit, verify and retire catalogue services
    edit_facility,      // edit a facility's public information
    submit_disclosure,  // draft and submit a facility's budget, settlement and donations
    approve_disclosure, // approve or return a submitted disclosure
    post_news,          // post, edit and delete welfare news
    upload_statistics,  // upload welfare statistics (CSV) for a district or a dong
    import_boundaries,  // replace the dong boundaries of the welfare status map
    file_report,        // report a household in crisis as a known gatekeeper or official (partner API)
    take_report,        // take a report on the hotline or at the counter, or upload a CSV of them
    manage_gatekeepers, // register gatekeepers and record their training and agreements
    read_household,     // see the triage queue and open a reported household's record (logged)
    triage_household,   // assign, record contact, close, move or merge a reported household
    manage_checkins,    // assign caregivers to residents at risk and set their check-in cadence
    read_checkins,      // see check-ins and escalations of a dong
    record_checkin,     // record a check-in (a caregiver: only for residents assigned to them)
    open_case,          // open a case for a reported household and assign its caseworker
    work_case,          // read and update a case (its assigned caseworker, or a supervisor)
    reassign_case,      // hand a case to another caseworker (a supervisor of its dong, or a district admin)
    conduct_survey,     // enter field-survey interviews for a dong
    manage_sharing,     // help matching: vet offers and needs, connect them, enter on a resident's behalf, confirm hours
    read_sharing_report, // help matching's aggregate report (small cells suppressed)
    take_gift,          // take and reverse gifts at a dong's counter for a campaign's collector (giving)
    approve_distribution, // approve and record a distribution from a giving fund (the welfare council)
    read_giving,        // read a campaign's gifts and distributions with the households they went to
    export_receipts,    // hand the collector the receipt data of gifts (donor identifiers; logged)
    manage_campaigns,   // create giving campaigns and their donation days (the council or a district admin)
    manage_community,   // organize community events, draws and meeting spaces (their dong or organization)
    handle_application, // review, ask documents for and decide online applications of a dong; apply on a resident's behalf
};

// What an action is about: its district, and where relevant its dong or organization.
struct Target {
    long long district_id = 0;
    long long dong_id = 0;
    long long organization_id = 0;
    long long assignee_account_id = 0;  // whose assignment it is (check-ins), 0 when not about one
};

struct Decision {
    bool allowed = false;
    std::string reason;  // why, in words an auditor can read
};

Decision authorize(const Principal& who, Action action, const Target& target);

// Throws 401 for anonymous callers and 403 (with the reason) when not allowed.
void require(const Principal& who, Action action, const Target& target);

// For a record looked up by id: `target` is the record's (nullopt when there is none). Answers
// the same for a missing record, another district's and one the caller may not open: 401 when
// anonymous, else the 403 a record of a dong the caller does not reach would get, or 404 (`what`)
// when the caller reaches every dong of their district. Returns normally only when allowed.
void require_record(const Principal& who, Action action, const std::optional<Target>& target, const std::string& what);

// True when `who` holds some role allowed to do `action`, at whatever scope (to tell "no
// results in your scope" from "you may never do this").
bool may_ever(const Principal& who, Action action);

// True when `who` holds `role` with a grant covering the target.
bool has_role_covering(const Principal& who, Role role, const Target& target);

}  // namespace dure::identity
