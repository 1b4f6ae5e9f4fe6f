-- Check-ins that prevent solitary deaths: caregivers assigned to residents at risk with a cadence,
-- each check-in's result, and escalations that climb a ladder on timers until someone confirms
-- the resident is well. Notes are encrypted. Times are Unix seconds (UTC).

CREATE TABLE checkin_assignments (
    id {{ID}},
    district_id BIGINT NOT NULL REFERENCES districts(id),
    dong_id BIGINT NOT NULL REFERENCES dongs(id),
    person_id BIGINT NOT NULL REFERENCES persons(id),
    caregiver_account_id BIGINT NOT NULL REFERENCES accounts(id),
    cadence_hours BIGINT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    last_ok_at BIGINT NOT NULL
);
CREATE INDEX checkin_assignments_dong ON checkin_assignments (district_id, dong_id, active);
CREATE INDEX checkin_assignments_caregiver ON checkin_assignments (caregiver_account_id, active);

-- result: fine, not_reached, concern.
CREATE TABLE checkins (
    id {{ID}},
    assignment_id BIGINT NOT NULL REFERENCES checkin_assignments(id),
    at BIGINT NOT NULL,
    result TEXT NOT NULL,
    note_enc TEXT NOT NULL DEFAULT '',
    by_account BIGINT NOT NULL DEFAULT 0,
    source TEXT NOT NULL
);
CREATE INDEX checkins_assignment ON checkins (assignment_id, at);

-- step: 1 caregiver retry, 2 care-team call, 3 official visit, 4 emergency response.
CREATE TABLE escalations (
    id {{ID}},
    assignment_id BIGINT NOT NULL REFERENCES checkin_assignments(id),
    reason TEXT NOT NULL,
    opened_at BIGINT NOT NULL,
    step BIGINT NOT NULL,
    next_at BIGINT NOT NULL,
    closed_at BIGINT NOT NULL DEFAULT 0,
    closed_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX escalations_open ON escalations (closed_at, next_at);

CREATE TABLE escalation_steps (
    id {{ID}},
    escalation_id BIGINT NOT NULL REFERENCES escalations(id),
    step BIGINT NOT NULL,
    at BIGINT NOT NULL,
    note TEXT NOT NULL
);
