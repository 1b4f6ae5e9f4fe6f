#include "community/courses.hpp"

#include <soci/soci.h>

#include "certificates/store.hpp"
#include "common/error.hpp"
#include "community/rules.hpp"
#include "notify/outbox.hpp"

namespace dure::community {

using soci::into;
using soci::use;

namespace {

std::optional<Course> load_course(soci::session& s, long long id) {
    Course c;
    s << "SELECT id, district_id, dong_id, organization_id, title, summary, issuer, capacity, required_sessions, "
         "closes_at, status, taken, created_by, created_at FROM community_courses WHERE id = :i",
        into(c.id), into(c.district_id), into(c.dong_id), into(c.organization_id), into(c.title), into(c.summary),
        into(c.issuer), into(c.capacity), into(c.required_sessions), into(c.closes_at), into(c.status), into(c.taken),
        into(c.created_by), into(c.created_at), use(id);
    if (!s.got_data()) return std::nullopt;
    CourseSession x;
    soci::statement st = (s.prepare << "SELECT id, course_id, no, starts_at, ends_at, place FROM community_course_sessions "
                                       "WHERE course_id = :c ORDER BY no",
                          into(x.id), into(x.course_id), into(x.no), into(x.starts_at), into(x.ends_at), into(x.place),
                          use(id));
    st.execute();
    while (st.fetch()) c.sessions.push_back(x);
    s << "SELECT COUNT(*) FROM community_enrolments WHERE course_id = :c AND status = 'waitlisted'", into(c.waitlisted),
        use(id);
    return c;
}

std::vector<Enrolment> load_enrolments(soci::session& s, const std::string& where, long long p) {
    std::vector<Enrolment> out;
    Enrolment e;
    soci::statement st = (s.prepare << "SELECT id, course_id, account_id, status, position, created_at, completed_at, "
                                       "certificate_id, certificate_number FROM community_enrolments WHERE " + where,
                          into(e.id), into(e.course_id), into(e.account_id), into(e.status), into(e.position),
                          into(e.created_at), into(e.completed_at), into(e.certificate_id), into(e.certificate_number),
                          use(p));
    st.execute();
    while (st.fetch()) out.push_back(e);
    for (auto& x : out) {
        long long sid = 0;
        std::string m;
        soci::statement ms = (s.prepare << "SELECT session_id, mark FROM community_session_attendance WHERE enrolment_id = "
                                           ":e ORDER BY session_id",
                              into(sid), into(m), use(x.id));
        ms.execute();
        while (ms.fetch()) {
            x.marks.emplace_back(sid, m);
            if (m == "attended") ++x.attended;
        }
    }
    return out;
}

Enrolment load_enrolment(soci::session& s, long long id) {
    auto v = load_enrolments(s, "id = :i", id);
    if (v.empty()) throw Error(ErrorKind::not_found, "no such enrolment");
    return v.front();
}

void lock_course(soci::session& s, long long id, long long now) {
    s << "UPDATE community_courses SET updated_at = :n WHERE id = :c", use(now), use(id);
}

}  // namespace

long long CourseStore::create(const Course& c, long long now) {
    long long id = 0;
    db_.write([&](soci::session& s) {
        s << "INSERT INTO community_courses (district_id, dong_id, organization_id, title, summary, issuer, capacity, "
             "required_sessions, closes_at, status, taken, seq, created_by, created_at, updated_at) VALUES (:d, :g, :o, :t, "
             ":s, :i, :c, :r, :cl, 'open', 0, 0, :by, :n, :n2) RETURNING id",
            use(c.district_id), use(c.dong_id), use(c.organization_id), use(c.title), use(c.summary), use(c.issuer),
            use(c.capacity), use(c.required_sessions), use(c.closes_at), use(c.created_by), use(now), use(now), into(id);
        long long no = 0;
        for (const auto& x : c.sessions) {
            ++no;
            s << "INSERT INTO community_course_sessions (course_id, no, starts_at, ends_at, place) VALUES (:c, :n, :s, :e, :p)",
                use(id), use(no), use(x.starts_at), use(x.ends_at), use(x.place);
        }
    });
    return id;
}

std::optional<Course> CourseStore::course(long long id) {
    std::optional<Course> out;
    db_.read([&](soci::session& s) { out = load_course(s, id); });
    return out;
}

std::vector<Course> CourseStore::list(long long district_id) {
    std::vector<Course> out;
    db_.read([&](soci::session& s) {
        std::vector<long long> ids;
        long long id = 0;
        soci::statement st =
            (s.prepare << "SELECT id FROM community_courses WHERE district_id = :d ORDER BY id", into(id), use(district_id));
        st.execute();
        while (st.fetch()) ids.push_back(id);
        for (auto i : ids)
            if (auto c = load_course(s, i)) out.push_back(*c);
    });
    return out;
}

Enrolment CourseStore::enrol_in(soci::session& s, long long course_id, long long account_id, long long now) {
    // The row lock orders every enrolment of this course; `seq` is the arrival order.
    s << "UPDATE community_courses SET seq = seq + 1, updated_at = :n WHERE id = :c", use(now), use(course_id);
    auto c = load_course(s, course_id);
    if (!c) throw Error(ErrorKind::not_found, "no such course");
    if (c->status != "open")
        throw Error(ErrorKind::validation, "the course was cancelled", {{"course_id", "course_cancelled", "the course was cancelled"}});
    if (now >= c->closes_at)
        throw Error(ErrorKind::validation, "enrolment has closed", {{"closes_at", "enrolment_closed", "enrolment has closed"}});
    long long seq = 0, existing = 0;
    s << "SELECT seq FROM community_courses WHERE id = :c", into(seq), use(course_id);
    s << "SELECT COUNT(*) FROM community_enrolments WHERE course_id = :c AND account_id = :a", into(existing),
        use(course_id), use(account_id);
    if (existing)
        throw Error(ErrorKind::validation, "already enrolled",
                    {{"account_id", "already_enrolled", "this person is already enrolled in this course"}});
    soci::statement st =
        (s.prepare << "UPDATE community_courses SET taken = taken + 1 WHERE id = :c AND taken < capacity", use(course_id));
    st.execute(true);
    std::string status = st.get_affected_rows() == 1 ? "confirmed" : "waitlisted";
    long long id = 0;
    s << "INSERT INTO community_enrolments (course_id, account_id, status, position, created_at, updated_at) VALUES (:c, :a, "
         ":s, :p, :n, :n2) RETURNING id",
        use(course_id), use(account_id), use(status), use(seq), use(now), use(now), into(id);
    return load_enrolment(s, id);
}

Enrolment CourseStore::cancel(long long enrolment_id, long long now) {
    Enrolment out;
    db_.write([&](soci::session& s) {
        auto e = load_enrolment(s, enrolment_id);
        lock_course(s, e.course_id, now);
        e = load_enrolment(s, enrolment_id);
        if (e.status != "confirmed" && e.status != "waitlisted")
            throw Error(ErrorKind::conflict, "this enrolment is not active (" + e.status + ")");
        auto c = load_course(s, e.course_id);
        s << "UPDATE community_enrolments SET status = 'cancelled', updated_at = :n WHERE id = :i", use(now), use(e.id);
        if (e.status == "confirmed") {
            long long next = 0, who = 0;
            s << "SELECT id, account_id FROM community_enrolments WHERE course_id = :c AND status = 'waitlisted' ORDER BY "
                 "position LIMIT 1",
                into(next), into(who), use(e.course_id);
            if (s.got_data() && next) {
                // The place passes on at once: a course asks no details on promotion.
                s << "UPDATE community_enrolments SET status = 'confirmed', updated_at = :n WHERE id = :i", use(now), use(next);
                notify::enqueue(s, keys_, who, "community_course", "[두레] 수강 확정: " + c->title,
                                "대기하시던 과정 '" + c->title + "'에 자리가 나서 수강이 확정되었습니다.\n\nA place in '" +
                                    c->title + "' is yours: your enrolment is confirmed.",
                                {}, now);
            } else {
                s << "UPDATE community_courses SET taken = taken - 1 WHERE id = :c", use(e.course_id);
            }
        }
        out = load_enrolment(s, enrolment_id);
    });
    return out;
}

Enrolment CourseStore::mark(long long course_id, long long session_id, long long enrolment_id, const std::string& m,
                            long long by, const MaskedName& masked, long long now) {
    Enrolment out;
    db_.write([&](soci::session& s) {
        lock_course(s, course_id, now);
        auto c = load_course(s, course_id);
        if (!c) throw Error(ErrorKind::not_found, "no such course");
        const CourseSession* session = nullptr;
        for (const auto& x : c->sessions)
            if (x.id == session_id) session = &x;
        auto v = load_enrolments(s, "id = :i", enrolment_id);
        FieldErrors errors;
        if (!session) errors.add("session_id", "not_found", "no such session in this course");
        if (v.empty() || v.front().course_id != course_id)
            errors.add("enrolment_id", "not_found", "no such enrolment in this course");
        errors.throw_if_any();
        check_attendance(c->status, session->starts_at, v.front().status, m, now, errors, "session_id", "enrolment_id");
        errors.throw_if_any();
        s << "DELETE FROM community_session_attendance WHERE session_id = :s AND enrolment_id = :e", use(session_id),
            use(enrolment_id);
        s << "INSERT INTO community_session_attendance (session_id, enrolment_id, mark, at, by_account) VALUES (:s, :e, :m, "
             ":n, :b)",
            use(session_id), use(enrolment_id), use(m), use(now), use(by);
        auto e = load_enrolment(s, enrolment_id);
        if (!e.completed_at && completion_reached(e.attended, c->required_sessions)) {
            certificates::CertificateStore certs(db_);
            certificates::Issue issue;
            issue.account_id = e.account_id;
            issue.kind = "course_completion";
            issue.title = c->title;
            issue.issuer = c->issuer;
            issue.holder_masked = masked(e.account_id);
            issue.detail = completion_reason(e.attended, static_cast<long long>(c->sessions.size()), c->required_sessions);
            issue.source_ref = "community_course:" + std::to_string(c->id) + ":account:" + std::to_string(e.account_id);
            auto cert = certs.issue_in(s, issue, now);
            s << "UPDATE community_enrolments SET completed_at = :n, certificate_id = :c, certificate_number = :cn, "
                 "updated_at = :n2 WHERE id = :i",
                use(now), use(cert.id), use(cert.number), use(now), use(e.id);
            notify::enqueue(s, keys_, e.account_id, "community_course", "[두레] 수료를 축하합니다: " + c->title,
                            "과정 '" + c->title + "'을 수료했습니다. 수료증 번호 " + cert.number + ", 확인 코드 " + cert.code +
                                " (" + issue.detail + ")\n\nYou completed '" + c->title + "'. Certificate " + cert.number +
                                ", verification code " + cert.code + ".",
                            {}, now);
        }
        out = load_enrolment(s, enrolment_id);
    });
    return out;
}

std::optional<Enrolment> CourseStore::enrolment(long long id) {
    std::optional<Enrolment> out;
    db_.read([&](soci::session& s) {
        auto v = load_enrolments(s, "id = :i", id);
        if (!v.empty()) out = v.front();
    });
    return out;
}

std::vector<Enrolment> CourseStore::of_account(long long account_id) {
    std::vector<Enrolment> out;
    db_.read([&](soci::session& s) { out = load_enrolments(s, "account_id = :a ORDER BY id DESC", account_id); });
    return out;
}

std::vector<Enrolment> CourseStore::of_course(long long course_id) {
    std::vector<Enrolment> out;
    db_.read([&](soci::session& s) { out = load_enrolments(s, "course_id = :c ORDER BY position", course_id); });
    return out;
}

}  // namespace dure::community
