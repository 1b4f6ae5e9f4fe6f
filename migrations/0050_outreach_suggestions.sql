-- Reports never overwrite what staff verified (issue 11, item 5). A report from an unverified
-- source (anonymous web form, KakaoTalk, residents, gatekeepers, partners) that differs from the
-- household in name, address, place, phone, priority or status is kept as a suggestion an official
-- accepts or rejects. value_enc is the suggested value (encrypted for personal fields, the plain
-- code for priority and status); status is pending, accepted or rejected.
CREATE TABLE outreach_suggestions (
    id {{ID}},
    household_id BIGINT NOT NULL REFERENCES outreach_households(id),
    district_id BIGINT NOT NULL,
    report_id BIGINT REFERENCES outreach_reports(id),
    field TEXT NOT NULL,
    value_enc TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    created_at BIGINT NOT NULL,
    decided_at BIGINT,
    decided_by BIGINT
);
CREATE INDEX outreach_suggestions_household ON outreach_suggestions (household_id, status);

-- An Idempotency-Key is bound to the request it first answered: the hash of that body, so the
-- same key with another body is refused (422) instead of silently answered with the old receipt.
ALTER TABLE outreach_idempotency ADD COLUMN request_hash TEXT;

-- Published statistics (issue 11, item 9): what an official published, frozen. body is the JSON
-- the public sees; counts never come live from personal records.
CREATE TABLE published_reports (
    id {{ID}},
    district_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    period TEXT NOT NULL,
    body TEXT NOT NULL,
    published_by BIGINT NOT NULL,
    published_at BIGINT NOT NULL
);
CREATE INDEX published_reports_kind ON published_reports (district_id, kind, period, published_at);
