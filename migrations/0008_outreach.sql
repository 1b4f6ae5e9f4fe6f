-- Outreach, first part: the gatekeeper registry, reports of households in crisis from every
-- channel (web form, hotline and counter, partner API, CSV, KakaoTalk), the households they are
-- merged into with a timeline of every signal, and the triage state per household.
-- Times are Unix seconds (UTC); dates are YYYY-MM-DD text. *_enc columns hold ciphertext
-- ("v1." + base64, the column name bound as associated data); *_bidx columns a keyed blind index.

-- Honorary welfare officers and partner-institution workers. dong_id NULL: district-wide.
CREATE TABLE outreach_gatekeepers (
    id {{ID}},
    district_id BIGINT NOT NULL REFERENCES districts(id),
    dong_id BIGINT REFERENCES dongs(id),
    account_id BIGINT REFERENCES accounts(id),
    kind TEXT NOT NULL,
    occupation TEXT NOT NULL,
    organization TEXT NOT NULL,
    name_enc TEXT NOT NULL,
    phone_enc TEXT,
    phone_bidx TEXT,
    training_date TEXT NOT NULL DEFAULT '',
    agreement_date TEXT NOT NULL DEFAULT '',
    active BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX outreach_gatekeepers_dong ON outreach_gatekeepers (district_id, dong_id, id);
-- One registry entry per login account (NULLs, i.e. gatekeepers without a login, may repeat).
CREATE UNIQUE INDEX outreach_gatekeepers_account ON outreach_gatekeepers (account_id);

-- One household as triage knows it, merged from every report about it. The personal fields are
-- the latest known; each report keeps what it said. status: new, assigned, contacted, closed,
-- merged (then merged_into names the household it was folded into).
CREATE TABLE outreach_households (
    id {{ID}},
    district_id BIGINT NOT NULL REFERENCES districts(id),
    dong_id BIGINT REFERENCES dongs(id),
    status TEXT NOT NULL,
    priority TEXT NOT NULL,
    priority_rank BIGINT NOT NULL,
    due_at BIGINT NOT NULL,
    contacted_at BIGINT NOT NULL DEFAULT 0,
    assigned_to BIGINT REFERENCES accounts(id),
    assigned_at BIGINT NOT NULL DEFAULT 0,
    closed_at BIGINT NOT NULL DEFAULT 0,
    outcome TEXT NOT NULL DEFAULT '',
    signs TEXT NOT NULL DEFAULT '',
    address_enc TEXT,
    place_enc TEXT,
    name_enc TEXT,
    phone_enc TEXT,
    report_count BIGINT NOT NULL DEFAULT 0,
    first_report_at BIGINT NOT NULL,
    last_report_at BIGINT NOT NULL,
    merged_into BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX outreach_households_queue ON outreach_households (district_id, dong_id, status, due_at);

-- The blind indexes a household is recognised by (kind: address, phone, name); a household
-- gathers every one its reports carried.
CREATE TABLE outreach_household_keys (
    household_id BIGINT NOT NULL REFERENCES outreach_households(id),
    district_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    bidx TEXT NOT NULL,
    PRIMARY KEY (household_id, kind, bidx)
);
CREATE INDEX outreach_household_keys_lookup ON outreach_household_keys (district_id, kind, bidx);

-- Every report, whatever its channel. receipt_no is what the reporter is given. closed_at is
-- set when the household closes after the report came in (what the reporter sees as 종결).
CREATE TABLE outreach_reports (
    id {{ID}},
    receipt_no TEXT NOT NULL UNIQUE,
    district_id BIGINT NOT NULL REFERENCES districts(id),
    dong_id BIGINT REFERENCES dongs(id),
    household_id BIGINT NOT NULL REFERENCES outreach_households(id),
    channel TEXT NOT NULL,
    reporter_kind TEXT NOT NULL,
    reporter_account_id BIGINT REFERENCES accounts(id),
    gatekeeper_id BIGINT REFERENCES outreach_gatekeepers(id),
    reporter_ref_bidx TEXT,
    reporter_contact_enc TEXT,
    urgency TEXT NOT NULL,
    signs TEXT NOT NULL DEFAULT '',
    address_enc TEXT,
    place_enc TEXT,
    subject_name_enc TEXT,
    subject_phone_enc TEXT,
    concern_enc TEXT NOT NULL,
    external_ref_enc TEXT,
    received_at BIGINT NOT NULL,
    closed_at BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX outreach_reports_household ON outreach_reports (household_id, received_at);
CREATE INDEX outreach_reports_reporter ON outreach_reports (reporter_account_id, id);
CREATE INDEX outreach_reports_gatekeeper ON outreach_reports (gatekeeper_id);

-- A household's timeline besides the reports themselves: reopened, assigned, contacted,
-- closed, moved, merged. detail is never personal; note_enc is staff's free text.
CREATE TABLE outreach_events (
    id {{ID}},
    household_id BIGINT NOT NULL REFERENCES outreach_households(id),
    district_id BIGINT NOT NULL,
    at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    actor_account_id BIGINT,
    report_id BIGINT REFERENCES outreach_reports(id),
    detail TEXT NOT NULL DEFAULT '',
    note_enc TEXT
);
CREATE INDEX outreach_events_household ON outreach_events (household_id, at, id);

-- Answers to requests that carried an Idempotency-Key (hashed with its caller), so a retried
-- report is filed once and answered the same way.
CREATE TABLE outreach_idempotency (
    key_hash TEXT PRIMARY KEY,
    district_id BIGINT NOT NULL,
    response TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
