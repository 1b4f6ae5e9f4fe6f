-- Field surveys (e.g. the living-conditions survey of single-person households aged 50+): one row
-- per interview, the respondent and answers encrypted, the flags the answers raised in clear (for
-- counting), and what the district did about a flagged respondent. Times are Unix seconds (UTC).

CREATE TABLE survey_responses (
    id {{ID}},
    district_id BIGINT NOT NULL REFERENCES districts(id),
    dong_id BIGINT NOT NULL REFERENCES dongs(id),
    survey TEXT NOT NULL,
    year BIGINT NOT NULL,
    respondent_enc TEXT NOT NULL,
    answers_enc TEXT NOT NULL,
    flags TEXT NOT NULL,
    urgent BIGINT NOT NULL DEFAULT 0,
    follow_up TEXT NOT NULL DEFAULT '',
    surveyed_by BIGINT NOT NULL,
    surveyed_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX survey_responses_dong ON survey_responses (district_id, survey, year, dong_id);
