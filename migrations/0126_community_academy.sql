-- The academy (동행 아카데미; src/community/courses.hpp, docs/community.md "Academy"): courses
-- with sessions, enrolment with a capacity the database enforces (`taken` taken by a conditional
-- UPDATE under the CHECK, as for events), attendance per session, completion when the sessions
-- attended reach `required_sessions`, which issues a certificate (src/certificates).
CREATE TABLE community_courses (
    id {{ID}},
    district_id BIGINT NOT NULL REFERENCES districts(id),
    dong_id BIGINT NOT NULL DEFAULT 0,
    organization_id BIGINT NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    issuer TEXT NOT NULL,
    capacity BIGINT NOT NULL CHECK (capacity > 0),
    required_sessions BIGINT NOT NULL CHECK (required_sessions > 0),
    closes_at BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    taken BIGINT NOT NULL DEFAULT 0,
    seq BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (taken >= 0 AND taken <= capacity)
);
CREATE INDEX community_courses_district ON community_courses (district_id, id);

CREATE TABLE community_course_sessions (
    id {{ID}},
    course_id BIGINT NOT NULL REFERENCES community_courses(id),
    no BIGINT NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    UNIQUE (course_id, no)
);

-- status: confirmed, waitlisted, cancelled. A cancelled confirmed place goes to the first
-- waitlisted person (confirmed at once, told in the inbox).
CREATE TABLE community_enrolments (
    id {{ID}},
    course_id BIGINT NOT NULL REFERENCES community_courses(id),
    account_id BIGINT NOT NULL,
    status TEXT NOT NULL,
    position BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    completed_at BIGINT NOT NULL DEFAULT 0,
    certificate_id BIGINT NOT NULL DEFAULT 0,
    certificate_number TEXT NOT NULL DEFAULT '',
    UNIQUE (course_id, account_id)
);
CREATE INDEX community_enrolments_account ON community_enrolments (account_id);

CREATE TABLE community_session_attendance (
    session_id BIGINT NOT NULL REFERENCES community_course_sessions(id),
    enrolment_id BIGINT NOT NULL REFERENCES community_enrolments(id),
    mark TEXT NOT NULL,
    at BIGINT NOT NULL,
    by_account BIGINT NOT NULL,
    PRIMARY KEY (session_id, enrolment_id)
);
