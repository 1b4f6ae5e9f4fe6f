#pragma once
// Internal to the outreach store (store.cpp, store_households.cpp): nullable columns, the
// households row and its select, the row locks and the triage state write. Not a public header.
#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "common/dates.hpp"
#include "common/error.hpp"
#include "outreach/normalize.hpp"
#include "outreach/store.hpp"
#include "outreach/triage.hpp"

namespace dure::outreach::store_sql {

using soci::into;
using soci::use;


// Integers and our own enum names are the only values ever spliced into SQL text.
inline std::string num(long long v) {
    return std::to_string(v);
}

inline std::string join(const std::vector<std::string>& v, char sep) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : std::string(1, sep)) + s;
    return out;
}

inline std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < s.size()) {
        auto end = s.find(sep, start);
        if (end == std::string::npos) end = s.size();
        if (end > start) out.push_back(s.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

// Appends the signs of `more` that `signs` lacks, keeping first-seen order.
inline std::string union_signs(const std::string& signs, const std::vector<std::string>& more) {
    auto all = split(signs, ',');
    for (const auto& m : more)
        if (std::find(all.begin(), all.end(), m) == all.end()) all.push_back(m);
    return join(all, ',');
}

inline std::string dong_clause(const std::vector<long long>& dongs, bool all_dongs, std::optional<long long> one) {
    if (one) return *one ? " AND dong_id = " + num(*one) : " AND dong_id IS NULL";
    if (all_dongs) return "";
    if (dongs.empty()) return " AND 1 = 0";
    std::string in;
    for (auto d : dongs) in += (in.empty() ? "" : ",") + num(d);
    return " AND dong_id IN (" + in + ")";
}

// A nullable integer column: 0 stands for NULL.
struct NullableId {
    long long value = 0;
    soci::indicator ind = soci::i_null;
    explicit NullableId(long long v = 0) : value(v), ind(v ? soci::i_ok : soci::i_null) {}
    long long get() const { return ind == soci::i_ok ? value : 0; }
};

// A nullable ciphertext column: empty stands for NULL.
struct NullableText {
    std::string value;
    soci::indicator ind = soci::i_null;
    NullableText() = default;
    explicit NullableText(std::string v)
        : value(std::move(v)), ind(value.empty() ? soci::i_null : soci::i_ok) {}
    std::string get() const { return ind == soci::i_ok ? value : std::string(); }
};

inline const char* kGatekeeperColumns =
    "id, district_id, dong_id, account_id, kind, occupation, organization, name_enc, phone_enc, "
    "training_date, "
    "agreement_date, active, created_at, updated_at";

inline const char* kHouseholdColumns =
    "id, district_id, dong_id, status, priority, due_at, contacted_at, assigned_to, assigned_at, closed_at, "
    "outcome, "
    "signs, report_count, first_report_at, last_report_at, merged_into, updated_at, address_enc, place_enc, "
    "name_enc, phone_enc, (SELECT COUNT(*) FROM outreach_suggestions x WHERE x.household_id = "
    "outreach_households.id AND x.status = 'pending')";

// One households row as read, before decryption.
struct HouseholdRow {
    Household h;
    std::string status, priority;
    NullableId dong, assigned, merged;
    std::string signs;
    NullableText address, place, name, phone;
};

template <class Fn>
void select_households(soci::session& s, const std::string& tail, Fn&& each) {
    HouseholdRow r;
    soci::statement st =
        (s.prepare << std::string("SELECT ") + kHouseholdColumns + " FROM outreach_households " + tail,
         into(r.h.id), into(r.h.district_id), into(r.dong.value, r.dong.ind), into(r.status),
         into(r.priority), into(r.h.state.due_at), into(r.h.state.contacted_at),
         into(r.assigned.value, r.assigned.ind), into(r.h.assigned_at), into(r.h.state.closed_at),
         into(r.h.state.outcome), into(r.signs), into(r.h.report_count), into(r.h.first_report_at),
         into(r.h.last_report_at), into(r.merged.value, r.merged.ind), into(r.h.updated_at),
         into(r.address.value, r.address.ind), into(r.place.value, r.place.ind),
         into(r.name.value, r.name.ind), into(r.phone.value, r.phone.ind), into(r.h.pending_suggestions));
    st.execute();
    while (st.fetch()) {
        r.h.dong_id = r.dong.get();
        r.h.state.assigned_to = r.assigned.get();
        r.h.merged_into = r.merged.get();
        r.h.state.status = parse_household_status(r.status).value_or(HouseholdStatus::new_);
        r.h.state.priority = parse_urgency(r.priority).value_or(Urgency::normal);
        r.h.signs = split(r.signs, ',');
        each(r);
    }
}

inline void lock_district(soci::session& s, store::Dialect dialect, long long district_id) {
    // Two reports about one new household arriving together must not both create it. SQLite has
    // one writer; PostgreSQL serialises intake per district with a transaction-scoped lock.
    if (dialect == store::Dialect::postgresql)
        s << "SELECT pg_advisory_xact_lock(8008, " + num(district_id % 2147483647) + ")";
}

inline void lock_household(soci::session& s, store::Dialect dialect, long long id) {
    long long found = 0;
    std::string lock = dialect == store::Dialect::postgresql ? " FOR UPDATE" : "";
    s << "SELECT id FROM outreach_households WHERE id = :i" + lock, into(found), use(id);
    if (!found) throw Error(ErrorKind::not_found, "no such household");
}

inline void write_state(soci::session& s, long long id, const TriageState& n, long long assigned_at, long long now) {
    std::string status(to_string(n.status)), priority(to_string(n.priority)), outcome = n.outcome;
    long long rank_v = rank(n.priority);
    NullableId assigned(n.assigned_to);
    s << "UPDATE outreach_households SET status = :s, priority = :p, priority_rank = :r, due_at = :d, "
         "contacted_at = :c, assigned_to = :a, assigned_at = :aa, closed_at = :ca, outcome = :o, updated_at "
         "= :u "
         "WHERE id = :i",
        use(status), use(priority), use(rank_v), use(n.due_at), use(n.contacted_at),
        use(assigned.value, assigned.ind), use(assigned_at), use(n.closed_at), use(outcome), use(now),
        use(id);
}

inline void add_event(soci::session& s, long long household_id, long long district_id, const HouseholdEvent& e,
               const std::string& note_enc) {
    NullableId actor(e.actor_account_id), report(e.report_id);
    NullableText note(note_enc);
    std::string kind = e.kind, detail = e.detail;
    s << "INSERT INTO outreach_events (household_id, district_id, at, kind, actor_account_id, report_id, "
         "detail, "
         "note_enc) VALUES (:h, :d, :a, :k, :ac, :r, :de, :n)",
        use(household_id), use(district_id), use(e.at), use(kind), use(actor.value, actor.ind),
        use(report.value, report.ind), use(detail), use(note.value, note.ind);
}

inline void add_key(soci::session& s, long long household_id, long long district_id, const char* kind,
             const std::string& bidx) {
    if (bidx.empty()) return;
    std::string k = kind;
    s << "INSERT INTO outreach_household_keys (household_id, district_id, kind, bidx) VALUES (:h, :d, :k, "
         ":b) "
         "ON CONFLICT DO NOTHING",
        use(household_id), use(district_id), use(k), use(bidx);
}


}  // namespace dure::outreach::store_sql
