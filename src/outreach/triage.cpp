#include "outreach/triage.hpp"

#include <algorithm>

#include "common/error.hpp"

namespace dure::outreach {

namespace {

bool pending(HouseholdStatus s) {
    return s == HouseholdStatus::new_ || s == HouseholdStatus::assigned;
}
bool open(HouseholdStatus s) {
    return pending(s) || s == HouseholdStatus::contacted;
}

void require_open(const TriageState& s) {
    if (s.status == HouseholdStatus::merged)
        throw Error(ErrorKind::conflict, "this household was merged into another one; work on that one");
    if (s.status == HouseholdStatus::closed) throw Error(ErrorKind::conflict, "this household is closed");
}

}  // namespace

const std::vector<DeadlineRule>& deadline_rules() {
    static const std::vector<DeadlineRule> kRules = {
        {Urgency::urgent, 24, "긴급: 24시간 안에 연락", "Urgent: contact within 24 hours"},
        {Urgency::high, 72, "우선: 3일(72시간) 안에 연락", "High: contact within 3 days (72 hours)"},
        {Urgency::normal, 168, "일반: 7일 안에 연락", "Normal: contact within 7 days"},
    };
    return kRules;
}

long long response_window_seconds(Urgency u) {
    for (const auto& r : deadline_rules())
        if (r.urgency == u) return r.hours * 3600;
    return 168 * 3600;
}

ReportEffect apply_report(const TriageState& s, Urgency urgency, long long received_at) {
    long long due = received_at + response_window_seconds(urgency);
    ReportEffect e{s, false};
    auto& n = e.state;
    if (s.status == HouseholdStatus::closed) {
        e.reopened = true;
        n.priority = urgency;
        n.closed_at = 0;
        n.outcome.clear();
        n.contacted_at = 0;
        n.due_at = due;
        n.status = s.assigned_to ? HouseholdStatus::assigned : HouseholdStatus::new_;
        return e;
    }
    if (rank(urgency) > rank(n.priority)) n.priority = urgency;
    if (s.status == HouseholdStatus::contacted || s.due_at == 0) {
        // A new signal after contact is a new concern: someone must get back to them.
        n.contacted_at = 0;
        n.due_at = due;
        n.status = s.assigned_to ? HouseholdStatus::assigned : HouseholdStatus::new_;
    } else {
        n.due_at = std::min(s.due_at, due);
    }
    return e;
}

std::string_view to_string(DeadlineStatus s) {
    switch (s) {
        case DeadlineStatus::on_time:
            return "on_time";
        case DeadlineStatus::due_soon:
            return "due_soon";
        case DeadlineStatus::breached:
            return "breached";
        case DeadlineStatus::met:
            return "met";
        case DeadlineStatus::met_late:
            return "met_late";
        case DeadlineStatus::closed_uncontacted:
            return "closed_uncontacted";
    }
    return "on_time";
}

DeadlineView deadline_view(const TriageState& s, long long now) {
    DeadlineView v;
    v.due_at = s.due_at;
    if (s.contacted_at > 0) {
        v.overdue_seconds = std::max(0LL, s.contacted_at - s.due_at);
        v.status = v.overdue_seconds > 0 ? DeadlineStatus::met_late : DeadlineStatus::met;
    } else if (!pending(s.status)) {
        v.status = DeadlineStatus::closed_uncontacted;
    } else if (now > s.due_at) {
        v.status = DeadlineStatus::breached;
        v.overdue_seconds = now - s.due_at;
    } else {
        v.status = s.due_at - now <= kDueSoonSeconds ? DeadlineStatus::due_soon : DeadlineStatus::on_time;
    }
    return v;
}

TriageState assign(const TriageState& s, long long account_id) {
    require_open(s);
    TriageState n = s;
    n.assigned_to = account_id;
    if (n.status == HouseholdStatus::new_) n.status = HouseholdStatus::assigned;
    return n;
}

TriageState record_contact(const TriageState& s, long long at) {
    require_open(s);
    TriageState n = s;
    if (n.status == HouseholdStatus::contacted) return n;
    n.status = HouseholdStatus::contacted;
    n.contacted_at = at;
    return n;
}

TriageState close(const TriageState& s, const std::string& outcome, long long now) {
    require_open(s);
    TriageState n = s;
    n.status = HouseholdStatus::closed;
    n.closed_at = now;
    n.outcome = outcome;
    return n;
}

TriageState merge_states(const TriageState& into, const TriageState& from) {
    if (!open(from.status)) return into;
    if (!open(into.status)) return from;
    bool keep_into = pending(into.status) || !pending(from.status);
    TriageState n = keep_into ? into : from;
    const TriageState& other = keep_into ? from : into;
    if (rank(other.priority) > rank(n.priority)) n.priority = other.priority;
    if (pending(into.status) && pending(from.status)) n.due_at = std::min(into.due_at, from.due_at);
    if (!n.assigned_to) n.assigned_to = other.assigned_to;
    if (n.assigned_to && n.status == HouseholdStatus::new_) n.status = HouseholdStatus::assigned;
    return n;
}

ReportStatus report_status(HouseholdStatus household, long long report_closed_at) {
    if (report_closed_at > 0) return ReportStatus::closed;
    switch (household) {
        case HouseholdStatus::new_:
            return ReportStatus::received;
        case HouseholdStatus::assigned:
        case HouseholdStatus::contacted:
            return ReportStatus::under_review;
        case HouseholdStatus::closed:
        case HouseholdStatus::merged:
            return ReportStatus::under_review;
    }
    return ReportStatus::received;
}

}  // namespace dure::outreach
