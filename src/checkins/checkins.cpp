#include "checkins/checkins.hpp"
#include "common/dates.hpp"

#include <soci/soci.h>

#include <boost/json.hpp>
#include <set>

#include "identity/store.hpp"
#include "notify/outbox.hpp"

namespace dure::checkins {

using soci::into;
using soci::use;

namespace {
constexpr const char* kNoteCtx = "checkins.note";
constexpr const char* kAssignmentCols =
    "id, district_id, dong_id, person_id, caregiver_account_id, cadence_hours, created_at, last_ok_at, active";
}  // namespace

std::optional<long long> cadence_hours(const std::string& code) {
    if (code == "daily") return 24;
    if (code == "twice_weekly") return 84;
    if (code == "weekly") return 168;
    return std::nullopt;
}

const std::vector<Step>& ladder() {
    // How long each step is given before the next: a retry by the caregiver within 2 hours, a call
    // by the care team within 4 more, an official's visit within the day, then emergency response.
    static const std::vector<Step> l = {{1, "caregiver_retry", "돌봄이웃 재확인", 2 * 3600},
                                        {2, "care_team_call", "돌봄팀 전화 확인", 4 * 3600},
                                        {3, "official_visit", "담당 공무원 방문", 18 * 3600},
                                        {4, "emergency_response", "긴급 출동 요청 (119·112)", 0}};
    return l;
}

namespace {

std::string reason_ko(const std::string& reason) {
    if (reason == "missed") return "정해진 때까지 안부 확인 기록이 없습니다";
    if (reason == "not_reached") return "돌봄이웃이 연락하지 못했습니다";
    if (reason == "concern") return "돌봄이웃이 걱정되는 상황을 알렸습니다";
    if (reason == "no_activity") return "센서에 오랫동안 활동이 없습니다";
    return reason;
}

// "2026-11-23 21:05" in Korean time (UTC+9, no daylight saving).
}  // namespace

void CheckinStore::tell(soci::session& s, long long assignment_id, int step, const std::string& why, long long next_at,
                        bool closed, long long now) {
    long long district = 0, dong = 0, caregiver = 0;
    s << "SELECT district_id, dong_id, caregiver_account_id FROM checkin_assignments WHERE id = :a", into(district),
        into(dong), into(caregiver), use(assignment_id);
    std::string dong_name;
    s << "SELECT name_ko FROM dongs WHERE id = :d", into(dong_name), use(dong);
    // Step 1: the caregiver. 2: the dong's care team. 3: its caseworkers. 4: both. When nobody
    // holds that role for the dong, the next ones up are told, up to the district's administrators:
    // a step nobody hears of is a step not taken.
    std::vector<identity::StaffMember> to;
    auto add = [&](const std::vector<std::string>& roles) {
        for (auto& m : identity::IdentityStore::staff_in(s, keys_, district, dong, roles)) to.push_back(std::move(m));
    };
    if (step == 1) {
        if (auto c = identity::IdentityStore::contact_in(s, keys_, caregiver)) to.push_back(*c);
    }
    if (step == 2) add({"care_team"});
    if ((step == 2 && to.empty()) || step >= 3) add({"caseworker"});
    if (step == 4) add({"care_team"});
    if (to.empty()) add({"district_admin"});
    const auto& l = ladder()[static_cast<std::size_t>(step - 1)];
    std::string title = closed ? "[안부 확인 종료] " + dong_name + " 돌봄 배정 #" + std::to_string(assignment_id)
                               : "[안부 확인 " + std::to_string(step) + "단계] " + l.label_ko;
    std::string todo;
    if (!closed) {
        long long hours = (next_at - now + 1799) / 3600;
        if (step == 1) todo = std::to_string(hours) + "시간 안에 다시 연락해 주세요.";
        if (step == 2) todo = std::to_string(hours) + "시간 안에 돌봄팀이 전화로 확인해 주세요.";
        if (step == 3) todo = std::to_string(hours) + "시간 안에 방문해 확인해 주세요.";
        if (step == 4) todo = "바로 119·112에 출동을 요청하고 현장을 확인해 주세요.";
    }
    std::string link = public_url_ + "/staff/checkins";
    // The inbox shows a button to the page; the e-mail carries the link in its text.
    std::string body = dong_name + " 돌봄 배정 #" + std::to_string(assignment_id) + ": " + why + ".\n" +
                       (closed ? std::string("더 할 일은 없습니다.") : todo + (step < 4 ? " 기한: " + kst(next_at) + " (한국 시간)" : "")) +
                       "\n\n" +
                       (closed ? "Check-in alert closed for assignment #" + std::to_string(assignment_id) + "."
                               : "Check-in alert step " + std::to_string(step) + " (" + l.code + ") for assignment #" +
                                     std::to_string(assignment_id) + ".");
    std::string sms = "[두레] " + title + ". " + (closed ? std::string("종료되었습니다.") : todo) + " " + link;
    bool urgent = step >= 2;
    std::set<long long> told;
    for (const auto& m : to) {
        if (!told.insert(m.account_id).second) continue;
        std::vector<notify::Delivery> d;
        if (sms_ && !m.phone.empty())
            d.push_back({"sms", boost::json::serialize(boost::json::object{{"to", m.phone}, {"text", sms}, {"urgent", urgent}})});
        if (email_ && !m.email.empty())
            d.push_back({"email", boost::json::serialize(boost::json::object{
                                      {"to", m.email}, {"subject", "[두레] " + title}, {"text", body + "\n\n확인: " + link}, {"unsubscribe", ""},
                                      {"urgent", urgent}})});
        notify::enqueue(s, keys_, m.account_id, "checkin_escalation", title, body, d, now);
    }
}

Assignment CheckinStore::assign(long long district_id, long long dong_id, long long person_id, long long caregiver,
                                long long cadence, const std::string& by, long long now) {
    Assignment a{0, district_id, dong_id, person_id, caregiver, cadence, now, now, true};
    db_.write([&](soci::session& s) {
        s << "UPDATE checkin_assignments SET active = 0 WHERE person_id = :p AND active = 1", use(person_id);
        s << "INSERT INTO checkin_assignments (district_id, dong_id, person_id, caregiver_account_id, cadence_hours, "
             "active, created_at, created_by, last_ok_at) VALUES (:d, :g, :p, :c, :h, 1, :t, :b, :o) RETURNING id",
            use(a.district_id), use(a.dong_id), use(a.person_id), use(a.caregiver_account_id), use(a.cadence_hours),
            use(a.created_at), use(by), use(a.last_ok_at), into(a.id);
    });
    return a;
}

namespace {
std::vector<Assignment> query(store::Database& db, const std::string& where, long long p1, long long p2) {
    std::vector<Assignment> out;
    db.read([&](soci::session& s) {
        Assignment a;
        long long active = 0;
        soci::statement st = (s.prepare << std::string("SELECT ") + kAssignmentCols + " FROM checkin_assignments WHERE " +
                                               where + " ORDER BY id",
                              into(a.id), into(a.district_id), into(a.dong_id), into(a.person_id),
                              into(a.caregiver_account_id), into(a.cadence_hours), into(a.created_at), into(a.last_ok_at),
                              into(active), use(p1), use(p2));
        st.execute();
        while (st.fetch()) {
            a.active = active != 0;
            out.push_back(a);
        }
    });
    return out;
}
}  // namespace

std::optional<Assignment> CheckinStore::assignment(long long id) {
    auto v = query(db_, "id = :a AND :b = 0", id, 0);
    if (v.empty()) return std::nullopt;
    return v.front();
}

std::vector<Assignment> CheckinStore::for_caregiver(long long account_id) {
    return query(db_, "caregiver_account_id = :a AND active = 1 AND :b = 0", account_id, 0);
}

std::vector<Assignment> CheckinStore::for_dong(long long district_id, long long dong_id) {
    if (dong_id == 0) return query(db_, "district_id = :a AND active = 1 AND :b = 0", district_id, 0);
    return query(db_, "district_id = :a AND dong_id = :b AND active = 1", district_id, dong_id);
}

std::optional<Escalation> CheckinStore::open(soci::session& s, long long assignment_id, const std::string& reason, int step,
                                             long long now) {
    Escalation e;
    e.assignment_id = assignment_id;
    e.reason = reason;
    e.opened_at = now;
    e.step = step;
    e.next_at = now + ladder()[step - 1].wait_seconds;
    long long st = step;
    // At most one open escalation per assignment: the partial unique index escalations_one_open
    // says so, and a second writer's insert is a no-op instead of a second ladder.
    s << "INSERT INTO escalations (assignment_id, reason, opened_at, step, next_at) VALUES (:a, :r, :o, :s, :n) "
         "ON CONFLICT (assignment_id) WHERE closed_at = 0 DO NOTHING RETURNING id",
        use(e.assignment_id), use(e.reason), use(e.opened_at), use(st), use(e.next_at), into(e.id);
    if (!s.got_data() || e.id == 0) return std::nullopt;
    std::string note = std::string("opened: ") + reason;
    s << "INSERT INTO escalation_steps (escalation_id, step, at, note) VALUES (:e, :s, :a, :n)", use(e.id), use(st),
        use(now), use(note);
    e.steps.push_back({step, now, note});
    tell(s, assignment_id, step, reason_ko(reason), e.next_at, false, now);
    return e;
}

std::optional<Escalation> CheckinStore::load_open(soci::session& s, long long assignment_id) {
    Escalation e;
    s << "SELECT id, assignment_id, opened_at, step, next_at, reason FROM escalations WHERE assignment_id = :a AND "
         "closed_at = 0",
        into(e.id), into(e.assignment_id), into(e.opened_at), into(e.step), into(e.next_at), into(e.reason),
        use(assignment_id);
    if (!s.got_data()) return std::nullopt;
    long long step = 0, at = 0;
    std::string note;
    soci::statement st = (s.prepare << "SELECT step, at, note FROM escalation_steps WHERE escalation_id = :e ORDER BY id",
                          into(step), into(at), into(note), use(e.id));
    st.execute();
    while (st.fetch()) e.steps.push_back({step, at, note});
    return e;
}

std::optional<Escalation> CheckinStore::record(const Assignment& a, const std::string& result, const std::string& note,
                                               long long by_account, const std::string& source, long long now) {
    std::optional<Escalation> out;
    // Bound to the assignment (review #19): a note copied to another resident's check-ins fails to decrypt.
    std::string enc = note.empty() ? std::string() : keys_.encrypt_row(note, kNoteCtx, a.id);
    db_.write([&](soci::session& s) {
        // Check-ins of one resident take turns (PostgreSQL: the assignment's row lock; SQLite has
        // one writer), so each sees the escalation the one before it opened or closed.
        if (db_.dialect() == store::Dialect::postgresql) {
            long long locked = 0;
            s << "SELECT id FROM checkin_assignments WHERE id = :a FOR UPDATE", into(locked), use(a.id);
        }
        s << "INSERT INTO checkins (assignment_id, at, result, note_enc, by_account, source) VALUES (:a, :t, :r, :n, :b, :s)",
            use(a.id), use(now), use(result), use(enc), use(by_account), use(source);
        auto open_one = load_open(s, a.id);
        if (result == "fine") {
            s << "UPDATE checkin_assignments SET last_ok_at = :t WHERE id = :a", use(now), use(a.id);
            if (open_one) {
                std::string why = "resident confirmed well (" + source + ")";
                s << "UPDATE escalations SET closed_at = :t, closed_reason = :r WHERE id = :e", use(now), use(why),
                    use(open_one->id);
                long long st = open_one->step;
                s << "INSERT INTO escalation_steps (escalation_id, step, at, note) VALUES (:e, :s, :a, :n)",
                    use(open_one->id), use(st), use(now), use(why);
                // Those told to call or visit learn that they need not (the caregiver who
                // confirmed knows).
                if (st >= 2) tell(s, a.id, static_cast<int>(st), "주민의 안부가 확인되었습니다", 0, true, now);
            }
            return;
        }
        if (open_one) {  // already escalating: a concern jumps to at least the care-team call
            if (result == "concern" && open_one->step < 2) {
                long long st = 2, next = now + ladder()[1].wait_seconds;
                s << "UPDATE escalations SET step = :s, next_at = :n WHERE id = :e", use(st), use(next), use(open_one->id);
                std::string why = "concern reported";
                s << "INSERT INTO escalation_steps (escalation_id, step, at, note) VALUES (:e, :s, :a, :n)",
                    use(open_one->id), use(st), use(now), use(why);
                tell(s, a.id, 2, reason_ko("concern"), next, false, now);
            }
            out = load_open(s, a.id);
            return;
        }
        out = open(s, a.id, result == "concern" ? "concern" : result == "no_activity" ? "no_activity" : "not_reached",
                   result == "concern" ? 2 : 1, now);
        if (!out) out = load_open(s, a.id);  // opened meanwhile by the escalation job
    });
    return out;
}

long long CheckinStore::bind_legacy_notes() {
    // Notes written before they were bound to their assignment ("v1.") are rewritten once, at start.
    long long n = 0;
    db_.write([&](soci::session& s) {
        std::vector<long long> ids, assignments;
        std::vector<std::string> notes;
        long long id = 0, assignment = 0;
        std::string enc;
        soci::statement st = (s.prepare << "SELECT id, assignment_id, note_enc FROM checkins WHERE note_enc LIKE 'v1.%'",
                              into(id), into(assignment), into(enc));
        st.execute();
        while (st.fetch()) {
            ids.push_back(id);
            assignments.push_back(assignment);
            notes.push_back(enc);
        }
        for (std::size_t i = 0; i < ids.size(); ++i) {
            std::string bound = keys_.encrypt_row(keys_.decrypt(notes[i], kNoteCtx), kNoteCtx, assignments[i]);
            s << "UPDATE checkins SET note_enc = :n WHERE id = :i", use(bound), use(ids[i]);
            ++n;
        }
    });
    return n;
}

std::vector<Checkin> CheckinStore::checkins(long long assignment_id, int limit) {
    std::vector<Checkin> out;
    db_.read([&](soci::session& s) {
        Checkin c;
        std::string enc;
        soci::statement st = (s.prepare << "SELECT id, assignment_id, at, by_account, result, note_enc, source FROM checkins "
                                           "WHERE assignment_id = :a ORDER BY at DESC, id DESC LIMIT :l",
                              into(c.id), into(c.assignment_id), into(c.at), into(c.by_account), into(c.result), into(enc),
                              into(c.source), use(assignment_id), use(limit));
        st.execute();
        while (st.fetch()) {
            c.note = enc.empty() ? std::string() : keys_.decrypt_row(enc, kNoteCtx, c.assignment_id);
            out.push_back(c);
        }
    });
    return out;
}

std::optional<Escalation> CheckinStore::open_escalation(long long assignment_id) {
    std::optional<Escalation> out;
    db_.read([&](soci::session& s) { out = load_open(s, assignment_id); });
    return out;
}

std::vector<Escalation> CheckinStore::open_escalations(long long district_id, long long dong_id) {
    std::vector<Escalation> out;
    for (const auto& a : for_dong(district_id, dong_id))
        if (auto e = open_escalation(a.id)) out.push_back(*e);
    return out;
}

TickStats CheckinStore::tick(long long now) {
    TickStats st;
    db_.write([&](soci::session& s) {
        // Missed: active, no "fine" within cadence + grace, and nothing open yet.
        std::vector<long long> missed;
        long long grace = kGraceSeconds;
        {
            long long id = 0;
            soci::statement q = (s.prepare << "SELECT a.id FROM checkin_assignments a WHERE a.active = 1 AND "
                                              "a.last_ok_at + a.cadence_hours * 3600 + :g < :n AND NOT EXISTS (SELECT 1 FROM "
                                              "escalations e WHERE e.assignment_id = a.id AND e.closed_at = 0)",
                                 into(id), use(grace), use(now));
            q.execute();
            while (q.fetch()) missed.push_back(id);
        }
        for (long long id : missed)
            if (open(s, id, "missed", 1, now)) ++st.opened;
        // Due steps climb.
        struct Due {
            long long id, step, assignment_id;
        };
        std::vector<Due> due;
        {
            long long id = 0, step = 0, assignment = 0, last = static_cast<long long>(ladder().size());
            soci::statement q = (s.prepare << "SELECT id, step, assignment_id FROM escalations WHERE closed_at = 0 AND "
                                              "step < :m AND next_at <= :n",
                                 into(id), into(step), into(assignment), use(last), use(now));
            q.execute();
            while (q.fetch()) due.push_back({id, step, assignment});
        }
        for (auto [id, step, assignment] : due) {
            long long next_step = step + 1;
            const auto& l = ladder()[next_step - 1];
            long long next_at = l.wait_seconds ? now + l.wait_seconds : now;
            soci::statement up = (s.prepare << "UPDATE escalations SET step = :s, next_at = :n WHERE id = :e AND step = :o AND "
                                               "closed_at = 0",
                                  use(next_step), use(next_at), use(id), use(step));
            up.execute(true);
            if (up.get_affected_rows() != 1) continue;  // moved meanwhile (closed by a "fine")
            std::string note = std::string("no confirmation in time: ") + l.code;
            s << "INSERT INTO escalation_steps (escalation_id, step, at, note) VALUES (:e, :s, :a, :n)", use(id),
                use(next_step), use(now), use(note);
            tell(s, assignment, static_cast<int>(next_step), "이전 단계에서 시간 안에 확인되지 않았습니다", next_at, false, now);
            ++st.advanced;
        }
    });
    return st;
}

bool CheckinStore::claim_signal(const std::string& signature, long long now) {
    long long inserted = 0;
    db_.write([&](soci::session& s) {
        soci::statement st = (s.prepare << "INSERT INTO signal_nonces (signature, seen_at) VALUES (:s, :t) "
                                           "ON CONFLICT (signature) DO NOTHING",
                              use(signature), use(now));
        st.execute(true);
        inserted = st.get_affected_rows();
    });
    return inserted > 0;
}

void CheckinStore::forget_signal(const std::string& signature) {
    db_.write([&](soci::session& s) { s << "DELETE FROM signal_nonces WHERE signature = :s", use(signature); });
}

}  // namespace dure::checkins
