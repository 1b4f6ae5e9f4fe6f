#pragma once
// The triage rules: how soon a reported household must be contacted, what a new report, an
// assignment, a contact, a closure or a merge does to its state, and whether a deadline is
// breached. Pure: every function takes the time it should consider "now".
#include <string>
#include <string_view>
#include <vector>

#include "outreach/model.hpp"

namespace dure::outreach {

// The response deadline per urgency: first contact within this many hours of the report.
struct DeadlineRule {
    Urgency urgency;
    long long hours;
    std::string_view ko, en;
};
// urgent 24 h, high 72 h, normal 7 days (docs/outreach.md explains the choice).
const std::vector<DeadlineRule>& deadline_rules();
long long response_window_seconds(Urgency u);

// A pending deadline this close counts as "due soon".
inline constexpr long long kDueSoonSeconds = 6 * 3600;

// What a new report does to a household. An open household keeps its earliest pending deadline
// and takes the higher priority; a contacted one needs contact again by the new report's
// deadline; a closed one reopens with the new report's urgency. New households start from
// `TriageState{}`.
struct ReportEffect {
    TriageState state;
    bool reopened = false;
};
ReportEffect apply_report(const TriageState& s, Urgency urgency, long long received_at);

// Where a household stands against its deadline.
enum class DeadlineStatus { on_time, due_soon, breached, met, met_late, closed_uncontacted };
std::string_view to_string(DeadlineStatus s);
struct DeadlineView {
    long long due_at = 0;
    DeadlineStatus status = DeadlineStatus::on_time;
    long long overdue_seconds = 0;  // > 0 when breached or met late
};
DeadlineView deadline_view(const TriageState& s, long long now);

// Transitions staff make. Each throws a conflict Error when the household is closed or merged.
TriageState assign(const TriageState& s, long long account_id);
// The first contact since the current signals stops the clock; later contacts change nothing.
TriageState record_contact(const TriageState& s, long long at);
TriageState close(const TriageState& s, const std::string& outcome, long long now);

// The state of two households folded into one: open beats closed, a pending contact beats a
// made one, the earlier pending deadline and the higher priority win.
TriageState merge_states(const TriageState& into, const TriageState& from);

// What a reporter is told of a report: closed once its household closed after it came in,
// under review once someone picked the household up, received before that.
ReportStatus report_status(HouseholdStatus household, long long report_closed_at);

}  // namespace dure::outreach
