#pragma once
// The academy (동행 아카데미): courses with sessions, enrolment under a capacity the database
// enforces (the same conditional UPDATE and CHECK as events), a waitlist in arrival order,
// attendance per session, and completion by the course's rule (e.g. 3 of 4 sessions), which
// issues a certificate through src/certificates in the same transaction (docs/community.md).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace soci {
class session;
}
namespace dure::identity {
class Keyring;
}

namespace dure::community {

struct CourseSession {
    long long id = 0, course_id = 0, no = 0, starts_at = 0, ends_at = 0;
    std::string place;
};

struct Course {
    long long id = 0, district_id = 0, dong_id = 0, organization_id = 0, capacity = 0, required_sessions = 0,
              closes_at = 0, taken = 0, created_by = 0, created_at = 0;
    std::string title, summary, issuer, status = "open";
    std::vector<CourseSession> sessions;
    long long waitlisted = 0;
};

struct Enrolment {
    long long id = 0, course_id = 0, account_id = 0, position = 0, created_at = 0, completed_at = 0, certificate_id = 0;
    std::string status;
    long long attended = 0;                 // sessions marked attended
    std::vector<std::pair<long long, std::string>> marks;  // session id → attended / no_show
    std::string certificate_number;         // once completed
};

// The holder's masked name for a certificate (the API gives the identity lookup).
using MaskedName = std::function<std::string(long long account_id)>;

class CourseStore {
public:
    CourseStore(store::Database& db, const identity::Keyring& keys) : db_(db), keys_(keys) {}
    store::Database& db() { return db_; }

    long long create(const Course& c, long long now);
    std::optional<Course> course(long long id);
    std::vector<Course> list(long long district_id);

    // Enrols in the caller's transaction: confirmed while places remain (conditional UPDATE under
    // the CHECK), else waitlisted in arrival order. 422 naming the field when closed, cancelled
    // or a second enrolment.
    Enrolment enrol_in(soci::session& s, long long course_id, long long account_id, long long now);
    // Cancels (its person or the organizers): a confirmed place goes to the first waitlisted
    // person, confirmed at once and told.
    Enrolment cancel(long long enrolment_id, long long now);
    // Marks attendance of a confirmed enrolment at a session (from an hour before its start); when
    // the sessions attended reach the rule, the enrolment is completed and a certificate issued,
    // in the same transaction. A later mark corrects an earlier one.
    Enrolment mark(long long course_id, long long session_id, long long enrolment_id, const std::string& mark, long long by,
                   const MaskedName& masked, long long now);

    std::optional<Enrolment> enrolment(long long id);
    std::vector<Enrolment> of_account(long long account_id);
    std::vector<Enrolment> of_course(long long course_id);  // by position

private:
    store::Database& db_;
    const identity::Keyring& keys_;
};

}  // namespace dure::community
