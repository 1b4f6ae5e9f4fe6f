-- Help matching (src/sharing, docs/sharing.md "Projects"): projects (사업) a manager opens for
-- the district or one dong, with a schedule (one-off: a date; recurring: an RRULE subset, see
-- src/sharing/schedule.hpp) expanded into shifts, and the volunteers who join them.
--
-- organization: dong_centre, welfare_centre, council or district. status: open, closed.
-- dong_id NULL: the whole district. rrule '' : one-off on dtstart.
CREATE TABLE sharing_projects (
    id {{ID}},
    district_id BIGINT NOT NULL REFERENCES districts(id),
    dong_id BIGINT REFERENCES dongs(id),
    subfield TEXT NOT NULL,
    title TEXT NOT NULL,
    organization TEXT NOT NULL,
    manager_account_id BIGINT NOT NULL REFERENCES accounts(id),
    dtstart TEXT NOT NULL,
    rrule TEXT NOT NULL DEFAULT '',
    start_minute BIGINT NOT NULL,
    minutes BIGINT NOT NULL,
    slots BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    created_by BIGINT NOT NULL REFERENCES accounts(id),
    created_at BIGINT NOT NULL,
    CHECK (organization IN ('dong_centre', 'welfare_centre', 'council', 'district')),
    CHECK (status IN ('open', 'closed')),
    CHECK (slots >= 1 AND slots <= 500),
    CHECK (start_minute >= 0 AND minutes >= 1 AND start_minute + minutes <= 1440)
);
CREATE INDEX sharing_projects_scope ON sharing_projects (district_id, status);

-- One shift per project day. taken never exceeds capacity: the CHECK, and joining is a
-- conditional UPDATE (taken < capacity) in the same transaction as the volunteer's row.
CREATE TABLE sharing_shifts (
    id {{ID}},
    project_id BIGINT NOT NULL REFERENCES sharing_projects(id),
    day TEXT NOT NULL,
    start_minute BIGINT NOT NULL,
    minutes BIGINT NOT NULL,
    capacity BIGINT NOT NULL,
    taken BIGINT NOT NULL DEFAULT 0,
    CHECK (taken >= 0 AND taken <= capacity),
    UNIQUE (project_id, day)
);

-- status: joined, left. One row per volunteer and shift (leaving and joining again reuses it).
CREATE TABLE sharing_shift_volunteers (
    id {{ID}},
    shift_id BIGINT NOT NULL REFERENCES sharing_shifts(id),
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    status TEXT NOT NULL DEFAULT 'joined',
    joined_at BIGINT NOT NULL,
    left_at BIGINT NOT NULL DEFAULT 0,
    CHECK (status IN ('joined', 'left')),
    UNIQUE (shift_id, account_id)
);
CREATE INDEX sharing_shift_volunteers_account ON sharing_shift_volunteers (account_id, status);

-- A need a caseworker opened from a case plan (the case and the plan's goal, 0-based), on the
-- resident's behalf with their consent recorded as for any on-behalf need.
ALTER TABLE sharing_needs ADD COLUMN case_id BIGINT REFERENCES cases(id);
ALTER TABLE sharing_needs ADD COLUMN case_goal BIGINT NOT NULL DEFAULT 0;
