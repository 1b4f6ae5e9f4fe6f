#pragma once
// Plain types of outreach's first part: reports of households in crisis from every channel, the
// households they are merged into, the triage queue, and the gatekeepers who report. Personal
// fields are plain here; the store encrypts them.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dure::outreach {

// How soon a household must be contacted (see kDeadlines in triage.hpp).
enum class Urgency { normal, high, urgent };

// Where a report came from.
enum class Channel { web, hotline, counter, partner, csv, kakao, survey };

// Who made a report, as far as the district knows. Never shown to the household.
enum class ReporterKind { anonymous, resident, gatekeeper, staff };

// A household's place in triage: nobody yet, someone assigned, first contact made, closed.
// `merged` households were folded into another one and leave the queue.
enum class HouseholdStatus { new_, assigned, contacted, closed, merged };

// What a reporter sees of their report: 접수 / 검토 중 / 종결.
enum class ReportStatus { received, under_review, closed };

enum class GatekeeperKind { honorary_officer, partner_worker };

std::string_view to_string(Urgency u);
std::string_view to_string(Channel c);
std::string_view to_string(ReporterKind k);
std::string_view to_string(HouseholdStatus s);
std::string_view to_string(ReportStatus s);
std::string_view to_string(GatekeeperKind k);
std::optional<Urgency> parse_urgency(std::string_view s);  // codes, and 긴급/우선/일반
std::optional<Channel> parse_channel(std::string_view s);
std::optional<HouseholdStatus> parse_household_status(std::string_view s);
std::optional<GatekeeperKind> parse_gatekeeper_kind(std::string_view s);
int rank(Urgency u);  // normal 1, high 2, urgent 3

// A code with its Korean and English labels, for the fixed vocabularies below.
struct Code {
    std::string_view code, ko, en;
};

// Signs a reporter may tick ("mail piling up", "gas cut off" …): not personal, used for triage.
const std::vector<Code>& sign_codes();
// What gatekeepers do for a living (postal worker, meter reader, police …).
const std::vector<Code>& occupation_codes();
// How triage of a household ended.
const std::vector<Code>& outcome_codes();
bool is_code(const std::vector<Code>& codes, std::string_view code);

// A report as a channel hands it over, after validation. Empty strings: not given.
struct NewReport {
    long long district_id = 0;
    long long dong_id = 0;  // 0: not known (the district-wide queue)
    Channel channel = Channel::web;
    ReporterKind reporter_kind = ReporterKind::anonymous;
    long long reporter_account_id = 0;
    long long gatekeeper_id = 0;
    std::string reporter_ref;      // pseudonymous channel user id (KakaoTalk); only its blind index is kept
    std::string reporter_contact;  // how to reach the reporter
    Urgency urgency = Urgency::normal;
    std::vector<std::string> signs;
    std::string address, place, subject_name, subject_phone, concern, external_ref;
    long long received_at = 0;
    long long created_by = 0;
    // Client idempotency key, already scoped to its caller (see idempotency_scope); empty: none.
    std::string idempotency_key;
    // Taken by an official (hotline, counter, CSV upload). Reports by staff (reporter_kind staff)
    // count as verified too; any other report never overwrites a household: what it changes
    // becomes a suggestion (see docs/outreach.md, "Verified and unverified reports").
    bool verified = false;
    // Match only households of `dong_id` or of no known dong yet (an official whose grants cover
    // only some dongs of the district): a report never joins, and the answer never names, a
    // household of another dong, so intake cannot be used to learn whether a phone is known there.
    bool match_in_dong_only = false;
};

// What filing a report did.
struct FiledReport {
    long long report_id = 0;
    std::string receipt_no;
    long long household_id = 0;
    bool merged = false;    // joined a household reported before
    bool reopened = false;  // that household had been closed
    long long follows_household_id = 0;  // an unverified report about a closed household: the old one
    int suggestions = 0;                 // changes kept for an official to accept or reject
    bool replayed = false;  // same idempotency key as an earlier request: nothing new was written
    long long household_reports = 0;
    long long received_at = 0;
};

// A household's triage state: what the deadline rules read and change.
struct TriageState {
    HouseholdStatus status = HouseholdStatus::new_;
    Urgency priority = Urgency::normal;
    long long due_at = 0;        // first contact is due by then
    long long contacted_at = 0;  // 0: not contacted since the current signals came in
    long long assigned_to = 0;
    long long closed_at = 0;
    std::string outcome;
};

// One merged household as triage sees it. Personal fields are filled only for a logged read.
struct Household {
    long long id = 0;
    long long district_id = 0;
    long long dong_id = 0;
    TriageState state;
    long long assigned_at = 0;
    long long report_count = 0;
    long long first_report_at = 0, last_report_at = 0;
    long long merged_into = 0;
    std::vector<std::string> signs;  // every sign reported, in first-seen order
    std::string address, place, name, phone;
    long long updated_at = 0;
    long long pending_suggestions = 0;  // unverified changes waiting for an official
};

// A change an unverified report asked for (name, address, place, phone, priority or status),
// waiting for an official to accept or reject it.
struct Suggestion {
    long long id = 0;
    long long household_id = 0;
    long long report_id = 0;
    std::string field;  // name, address, place, phone, priority, status
    std::string value;  // decrypted; for status: "new" (contact the household again)
    std::string status; // pending, accepted, rejected
    long long created_at = 0;
    long long decided_at = 0;
    long long decided_by = 0;
};

// One report as staff see it inside a household's timeline.
struct Report {
    long long id = 0;
    std::string receipt_no;
    long long district_id = 0, dong_id = 0, household_id = 0;
    Channel channel = Channel::web;
    ReporterKind reporter_kind = ReporterKind::anonymous;
    long long reporter_account_id = 0, gatekeeper_id = 0;
    std::string reporter_contact;
    Urgency urgency = Urgency::normal;
    std::vector<std::string> signs;
    std::string address, place, subject_name, subject_phone, concern, external_ref;
    long long received_at = 0, closed_at = 0;
};

// One entry of a household's timeline: a report arriving, an assignment, a contact, a move …
struct HouseholdEvent {
    long long id = 0;
    long long at = 0;
    std::string kind;  // report, reopened, assigned, contacted, closed, moved, merged
    long long actor_account_id = 0;
    long long report_id = 0;
    std::string detail;  // non-personal: an outcome code, "dong:3>5", "account:12", "household:9"
    std::string note;    // staff's free text (encrypted at rest)
};

// A reporter's view of their own report: never the household, its data or what was done.
struct OwnReport {
    std::string receipt_no;
    long long received_at = 0;
    Channel channel = Channel::web;
    Urgency urgency = Urgency::normal;
    ReportStatus status = ReportStatus::received;
    long long dong_id = 0;
};

struct Gatekeeper {
    long long id = 0;
    long long district_id = 0;
    long long dong_id = 0;     // 0: district-wide
    long long account_id = 0;  // 0: no login (reports come through staff or the public form)
    GatekeeperKind kind = GatekeeperKind::honorary_officer;
    std::string occupation;    // one of occupation_codes()
    std::string organization;  // e.g. 한빛우체국, 한빛도시가스 고객센터
    std::string name, phone;
    std::string training_date, agreement_date;  // YYYY-MM-DD or empty
    bool active = true;
    long long created_at = 0, updated_at = 0;
};

// How a gatekeeper's reports stand.
struct ReportCounts {
    long long received = 0, under_review = 0, closed = 0;
};

// Which households the triage queue lists.
struct QueueFilter {
    long long district_id = 0;
    // Dongs the caller may see; `all_dongs` (a district grant) also lists households with no dong.
    std::vector<long long> dongs;
    bool all_dongs = false;
    std::optional<long long> dong_id;  // narrow to one dong (0: households with no dong yet)
    std::optional<HouseholdStatus> status;
    bool open_only = true;       // new, assigned and contacted
    bool breached_only = false;  // first contact overdue
    long long assigned_to = 0;
    int offset = 0, limit = 50;
};

struct QueueCounts {
    long long open = 0, unassigned = 0, breached = 0, due_within_24h = 0;
};

template <class T>
struct Page {
    std::vector<T> items;
    long long total = 0;
};

}  // namespace dure::outreach
