-- Case management for households found in crisis: intake → assessment → plan → monitoring →
-- closed, with an assigned caseworker; notes, assessments, plans and visit results are encrypted
-- and read only by the assigned caseworker and the district's supervisors (every read logged).
-- Times are Unix seconds (UTC).

CREATE TABLE cases (
    id {{ID}},
    district_id BIGINT NOT NULL REFERENCES districts(id),
    dong_id BIGINT NOT NULL REFERENCES dongs(id),
    household_id BIGINT NOT NULL REFERENCES outreach_households(id),
    stage TEXT NOT NULL,
    crisis_level BIGINT NOT NULL DEFAULT 0,
    needs TEXT NOT NULL DEFAULT '[]',
    outcome TEXT NOT NULL DEFAULT '',
    assigned_account_id BIGINT NOT NULL REFERENCES accounts(id),
    opened_by BIGINT NOT NULL,
    opened_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    closed_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX cases_dong ON cases (district_id, dong_id, stage);

-- Every stage change, note, plan and visit, in order; `body_enc` holds the text and details.
CREATE TABLE case_entries (
    id {{ID}},
    case_id BIGINT NOT NULL REFERENCES cases(id),
    at BIGINT NOT NULL,
    by_account BIGINT NOT NULL,
    kind TEXT NOT NULL,
    body_enc TEXT NOT NULL
);
CREATE INDEX case_entries_case ON case_entries (case_id, id);

-- Catalogue services linked in the plan, and referrals to other organizations.
CREATE TABLE case_services (
    case_id BIGINT NOT NULL REFERENCES cases(id),
    service_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (case_id, service_id, kind)
);
