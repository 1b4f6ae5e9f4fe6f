// The outreach store: households (read, queue, counts, move, merge) and merge suggestions.
#include "outreach/store.hpp"
#include "outreach/store_sql.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "common/dates.hpp"
#include "common/error.hpp"
#include "outreach/normalize.hpp"
#include "outreach/triage.hpp"

namespace dure::outreach {

using soci::into;
using soci::use;
using namespace store_sql;

// --- Households -----------------------------------------------------------------------------

std::optional<Household> OutreachStore::household(long long id, bool personal) {
    std::optional<Household> out;
    db_.read([&](soci::session& s) {
        select_households(s, "WHERE id = " + num(id), [&](const HouseholdRow& r) {
            out = r.h;
            if (!personal) return;
            out->address = dec(r.address.get(), "outreach_households.address_enc");
            out->place = dec(r.place.get(), "outreach_households.place_enc");
            out->name = dec(r.name.get(), "outreach_households.name_enc");
            out->phone = dec(r.phone.get(), "outreach_households.phone_enc");
        });
    });
    return out;
}

std::vector<Report> OutreachStore::reports_of(long long household_id) {
    std::vector<Report> out;
    db_.read([&](soci::session& s) {
        Report r;
        std::string channel, kind, urgency, signs, concern;
        NullableId dong, reporter, gatekeeper;
        NullableText contact, address, place, name, phone, external;
        soci::statement st =
            (s.prepare
                 << "SELECT id, receipt_no, district_id, dong_id, household_id, channel, reporter_kind, "
                    "reporter_account_id, gatekeeper_id, reporter_contact_enc, urgency, signs, address_enc, "
                    "place_enc, subject_name_enc, subject_phone_enc, concern_enc, external_ref_enc, "
                    "received_at, "
                    "closed_at FROM outreach_reports WHERE household_id = :h ORDER BY received_at, id",
             into(r.id), into(r.receipt_no), into(r.district_id), into(dong.value, dong.ind),
             into(r.household_id), into(channel), into(kind), into(reporter.value, reporter.ind),
             into(gatekeeper.value, gatekeeper.ind), into(contact.value, contact.ind), into(urgency),
             into(signs), into(address.value, address.ind), into(place.value, place.ind),
             into(name.value, name.ind), into(phone.value, phone.ind), into(concern),
             into(external.value, external.ind), into(r.received_at), into(r.closed_at), use(household_id));
        st.execute();
        while (st.fetch()) {
            r.dong_id = dong.get();
            r.channel = parse_channel(channel).value_or(Channel::web);
            r.reporter_kind = kind == "resident"     ? ReporterKind::resident
                              : kind == "gatekeeper" ? ReporterKind::gatekeeper
                              : kind == "staff"      ? ReporterKind::staff
                                                     : ReporterKind::anonymous;
            r.reporter_account_id = reporter.get();
            r.gatekeeper_id = gatekeeper.get();
            r.urgency = parse_urgency(urgency).value_or(Urgency::normal);
            r.signs = split(signs, ',');
            r.reporter_contact = dec(contact.get(), "outreach_reports.reporter_contact_enc");
            r.address = dec(address.get(), "outreach_reports.address_enc");
            r.place = dec(place.get(), "outreach_reports.place_enc");
            r.subject_name = dec(name.get(), "outreach_reports.subject_name_enc");
            r.subject_phone = dec(phone.get(), "outreach_reports.subject_phone_enc");
            r.concern = dec(concern, "outreach_reports.concern_enc");
            r.external_ref = dec(external.get(), "outreach_reports.external_ref_enc");
            out.push_back(r);
        }
    });
    return out;
}

std::vector<HouseholdEvent> OutreachStore::events_of(long long household_id) {
    std::vector<HouseholdEvent> out;
    db_.read([&](soci::session& s) {
        HouseholdEvent e;
        NullableId actor, report;
        NullableText note;
        soci::statement st =
            (s.prepare
                 << "SELECT id, at, kind, actor_account_id, report_id, detail, note_enc FROM outreach_events "
                    "WHERE household_id = :h ORDER BY at, id",
             into(e.id), into(e.at), into(e.kind), into(actor.value, actor.ind),
             into(report.value, report.ind), into(e.detail), into(note.value, note.ind), use(household_id));
        st.execute();
        while (st.fetch()) {
            e.actor_account_id = actor.get();
            e.report_id = report.get();
            e.note = dec(note.get(), "outreach_events.note_enc");
            out.push_back(e);
        }
    });
    return out;
}

namespace {

std::string queue_where(const QueueFilter& f, long long now) {
    std::string w =
        "WHERE district_id = " + num(f.district_id) + dong_clause(f.dongs, f.all_dongs, f.dong_id);
    if (f.status)
        w += " AND status = '" + std::string(to_string(*f.status)) + "'";
    else if (f.open_only)
        w += " AND status IN ('new', 'assigned', 'contacted')";
    else
        w += " AND status <> 'merged'";
    if (f.breached_only) w += " AND status IN ('new', 'assigned') AND due_at < " + num(now);
    if (f.assigned_to) w += " AND assigned_to = " + num(f.assigned_to);
    return w;
}

}  // namespace

Page<Household> OutreachStore::queue(const QueueFilter& f, long long now) {
    Page<Household> page;
    std::string where = queue_where(f, now);
    db_.read([&](soci::session& s) {
        s << "SELECT COUNT(*) FROM outreach_households " + where, into(page.total);
        // Households waiting for first contact come first, the most overdue at the top.
        select_households(
            s,
            where +
                " ORDER BY CASE WHEN status IN ('new', 'assigned') THEN 0 WHEN status = 'contacted' "
                "THEN 1 ELSE 2 END, due_at, priority_rank DESC, id LIMIT " +
                num(f.limit) + " OFFSET " + num(f.offset),
            [&](const HouseholdRow& r) { page.items.push_back(r.h); });
    });
    return page;
}

QueueCounts OutreachStore::counts(const QueueFilter& f, long long now) {
    QueueFilter open = f;
    open.status.reset();
    open.open_only = true;
    open.breached_only = false;
    std::string where = queue_where(open, now);
    QueueCounts c;
    db_.read([&](soci::session& s) {
        s << "SELECT COUNT(*) FROM outreach_households " + where, into(c.open);
        s << "SELECT COUNT(*) FROM outreach_households " + where + " AND status = 'new'", into(c.unassigned);
        s << "SELECT COUNT(*) FROM outreach_households " + where +
                 " AND status IN ('new', 'assigned') AND due_at < " + num(now),
            into(c.breached);
        s << "SELECT COUNT(*) FROM outreach_households " + where +
                 " AND status IN ('new', 'assigned') AND due_at >= " + num(now) +
                 " AND due_at <= " + num(now + 86400),
            into(c.due_within_24h);
    });
    return c;
}

Household OutreachStore::transition(long long id,
                                    const std::function<TriageState(const TriageState&)>& change,
                                    HouseholdEvent event, long long now) {
    std::string note = enc(event.note, "outreach_events.note_enc");
    db_.write([&](soci::session& s) {
        lock_household(s, db_.dialect(), id);
        HouseholdRow row;
        select_households(s, "WHERE id = " + num(id), [&](const HouseholdRow& x) { row = x; });
        TriageState n = change(row.h.state);
        long long assigned_at = n.assigned_to != row.h.state.assigned_to ? now : row.h.assigned_at;
        write_state(s, id, n, assigned_at, now);
        if (n.status == HouseholdStatus::closed && row.h.state.status != HouseholdStatus::closed)
            s << "UPDATE outreach_reports SET closed_at = :c WHERE household_id = :h AND closed_at = 0",
                use(now), use(id);
        add_event(s, id, row.h.district_id, event, note);
    });
    return *household(id, false);
}

Household OutreachStore::move(long long id, long long dong_id, long long by, long long now) {
    db_.write([&](soci::session& s) {
        lock_household(s, db_.dialect(), id);
        HouseholdRow row;
        select_households(s, "WHERE id = " + num(id), [&](const HouseholdRow& x) { row = x; });
        if (row.h.state.status == HouseholdStatus::merged)
            throw Error(ErrorKind::conflict, "this household was merged into another one; work on that one");
        NullableId dong(dong_id);
        s << "UPDATE outreach_households SET dong_id = :g, updated_at = :u WHERE id = :i",
            use(dong.value, dong.ind), use(now), use(id);
        add_event(s, id, row.h.district_id,
                  {0, now, "moved", by, 0, "dong:" + num(row.h.dong_id) + ">" + num(dong_id), ""}, "");
    });
    return *household(id, false);
}

void OutreachStore::link_household_key(long long id, const std::string& key, HouseholdEvent event, long long now) {
    std::string hash = keys_.blind_index(key, kInstitutionKeyContext);
    db_.write([&](soci::session& s) {
        lock_household(s, db_.dialect(), id);
        HouseholdRow row;
        select_households(s, "WHERE id = " + num(id), [&](const HouseholdRow& x) { row = x; });
        if (row.h.state.status == HouseholdStatus::merged)
            throw Error(ErrorKind::conflict, "this household was merged into another one; work on that one");
        s << "UPDATE outreach_households SET household_hash = :k, updated_at = :u WHERE id = :i", use(hash), use(now),
            use(id);
        add_event(s, id, row.h.district_id, event, "");
    });
}

Household OutreachStore::merge(long long into_id, long long from_id, long long by, long long now) {
    if (into_id == from_id) throw Error(ErrorKind::conflict, "a household cannot be merged into itself");
    db_.write([&](soci::session& s) {
        lock_household(s, db_.dialect(), std::min(into_id, from_id));
        lock_household(s, db_.dialect(), std::max(into_id, from_id));
        HouseholdRow a, b;
        select_households(s, "WHERE id = " + num(into_id), [&](const HouseholdRow& x) { a = x; });
        select_households(s, "WHERE id = " + num(from_id), [&](const HouseholdRow& x) { b = x; });
        if (a.h.district_id != b.h.district_id) throw Error(ErrorKind::not_found, "no such household");
        if (a.h.state.status == HouseholdStatus::merged || b.h.state.status == HouseholdStatus::merged)
            throw Error(ErrorKind::conflict, "one of these households was merged into another one already");
        TriageState n = merge_states(a.h.state, b.h.state);
        long long assigned_at = n.assigned_to != a.h.state.assigned_to ? now : a.h.assigned_at;
        write_state(s, into_id, n, assigned_at, now);
        std::string signs = union_signs(a.signs, b.h.signs);
        long long first = std::min(a.h.first_report_at, b.h.first_report_at);
        long long last = std::max(a.h.last_report_at, b.h.last_report_at);
        NullableId dong(a.h.dong_id ? a.h.dong_id : b.h.dong_id);
        s << "UPDATE outreach_households SET dong_id = :g, signs = :sg, report_count = report_count + :n, "
             "first_report_at = :f, last_report_at = :l WHERE id = :i",
            use(dong.value, dong.ind), use(signs), use(b.h.report_count), use(first), use(last), use(into_id);
        // What `into` lacks, `from` supplies (one statement per column keeps the SQL portable).
        for (const char* col : {"address_enc", "place_enc", "name_enc", "phone_enc", "household_hash"})
            s << std::string("UPDATE outreach_households SET ") + col + " = (SELECT " + col +
                     " FROM outreach_households WHERE id = " + num(from_id) + ") WHERE id = " + num(into_id) +
                     " AND " + col + " IS NULL";
        s << "UPDATE outreach_reports SET household_id = :i WHERE household_id = :f", use(into_id),
            use(from_id);
        s << "UPDATE outreach_events SET household_id = :i WHERE household_id = :f", use(into_id),
            use(from_id);
        s << "UPDATE outreach_suggestions SET household_id = :i WHERE household_id = :f", use(into_id),
            use(from_id);
        s << "INSERT INTO outreach_household_keys (household_id, district_id, kind, bidx) SELECT " +
                 num(into_id) +
                 ", district_id, kind, bidx FROM outreach_household_keys WHERE household_id = " +
                 num(from_id) + " ON CONFLICT DO NOTHING";
        s << "DELETE FROM outreach_household_keys WHERE household_id = :f", use(from_id);
        s << "UPDATE outreach_households SET status = 'merged', merged_into = :i, updated_at = :u WHERE id = "
             ":f",
            use(into_id), use(now), use(from_id);
        add_event(s, into_id, a.h.district_id, {0, now, "merged", by, 0, "household:" + num(from_id), ""},
                  "");
    });
    return *household(into_id, false);
}

// --- Suggestions ----------------------------------------------------------------------------

std::vector<Suggestion> OutreachStore::suggestions_of(long long household_id, bool pending_only) {
    std::vector<Suggestion> out;
    db_.read([&](soci::session& s) {
        Suggestion x;
        NullableId report, decided_at, decided_by;
        std::string value;
        soci::statement st =
            (s.prepare << std::string("SELECT id, household_id, report_id, field, value_enc, status, created_at, "
                                      "decided_at, decided_by FROM outreach_suggestions WHERE household_id = :h") +
                              (pending_only ? " AND status = 'pending'" : "") + " ORDER BY id",
             into(x.id), into(x.household_id), into(report.value, report.ind), into(x.field), into(value),
             into(x.status), into(x.created_at), into(decided_at.value, decided_at.ind),
             into(decided_by.value, decided_by.ind), use(household_id));
        st.execute();
        while (st.fetch()) {
            x.report_id = report.get();
            x.decided_at = decided_at.get();
            x.decided_by = decided_by.get();
            x.value = dec(value, "outreach_suggestions.value_enc");
            out.push_back(x);
        }
    });
    return out;
}

Household OutreachStore::decide_suggestion(long long household_id, long long suggestion_id, bool accept,
                                           long long by, long long now) {
    db_.write([&](soci::session& s) {
        lock_household(s, db_.dialect(), household_id);
        std::string field, value_enc, status;
        long long created_at = 0;
        s << "SELECT field, value_enc, status, created_at FROM outreach_suggestions WHERE id = :i AND "
             "household_id = :h",
            into(field), into(value_enc), into(status), into(created_at), use(suggestion_id), use(household_id);
        if (!s.got_data()) throw Error(ErrorKind::not_found, "no such suggestion on this household");
        if (status != "pending") throw Error(ErrorKind::conflict, "this suggestion was " + status + " already");
        HouseholdRow row;
        select_households(s, "WHERE id = " + num(household_id), [&](const HouseholdRow& x) { row = x; });
        if (row.h.state.status == HouseholdStatus::merged)
            throw Error(ErrorKind::conflict, "this household was merged into another one; work on that one");
        if (accept) {
            std::string value = dec(value_enc, "outreach_suggestions.value_enc");
            if (field == "name" || field == "address" || field == "place" || field == "phone") {
                std::string column = "outreach_households." + field + "_enc";
                std::string v = enc(value, column.c_str());
                s << "UPDATE outreach_households SET " + field + "_enc = :v, updated_at = :u WHERE id = :i", use(v),
                    use(now), use(household_id);
                if (field == "name") {
                    auto n = normalize_name(value);
                    if (!n.empty())
                        add_key(s, household_id, row.h.district_id, "name", keys_.blind_index(n, kNameIndex));
                } else if (field == "address") {
                    auto n = normalize_address(value);
                    if (!n.empty())
                        add_key(s, household_id, row.h.district_id, "address",
                                keys_.blind_index(n, kAddressIndex));
                } else if (field == "phone") {
                    auto n = normalize_any_phone(value);
                    if (n.empty()) n = value;
                    add_key(s, household_id, row.h.district_id, "phone", keys_.blind_index(n, kPhoneIndex));
                }
            } else {
                TriageState n = row.h.state;
                if (field == "priority") {
                    auto u = parse_urgency(value).value_or(Urgency::normal);
                    n.priority = u;
                    if (n.status == HouseholdStatus::new_ || n.status == HouseholdStatus::assigned) {
                        long long due = created_at + response_window_seconds(u);
                        n.due_at = n.due_at ? std::min(n.due_at, due) : due;
                    }
                } else if (field == "status") {
                    // Contact the household again: it waits for contact, with its priority's deadline.
                    n.contacted_at = 0;
                    n.closed_at = 0;
                    n.outcome.clear();
                    n.due_at = now + response_window_seconds(n.priority);
                    n.status = n.assigned_to ? HouseholdStatus::assigned : HouseholdStatus::new_;
                }
                write_state(s, household_id, n, row.h.assigned_at, now);
            }
        }
        std::string decided = accept ? "accepted" : "rejected";
        s << "UPDATE outreach_suggestions SET status = :s, decided_at = :a, decided_by = :b WHERE id = :i",
            use(decided), use(now), use(by), use(suggestion_id);
        add_event(s, household_id, row.h.district_id,
                  {0, now, accept ? "suggestion_accepted" : "suggestion_rejected", by, 0, "field:" + field, ""}, "");
    });
    return *household(household_id, false);
}

}  // namespace dure::outreach
