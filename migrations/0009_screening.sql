-- Risk screening: institutions' crisis indicators per household (the household key is kept only
-- as a blind index and encrypted), screening rounds that rank households within each dong with an
-- explainable score, the outcome of every listed household, and the model's weights per district.
-- Times are Unix seconds (UTC); periods are YYYY-MM text.

-- One row per household an institution reported: its key, encrypted.
CREATE TABLE risk_households (
    district_id BIGINT NOT NULL REFERENCES districts(id),
    household_hash TEXT NOT NULL,
    household_enc TEXT NOT NULL,
    PRIMARY KEY (district_id, household_hash)
);

-- On SQLite the indicator rows live in their primary-key B-tree (WITHOUT ROWID): one tree to
-- write per row instead of two.
-- dialect: sqlite
CREATE TABLE risk_indicators (
    district_id BIGINT NOT NULL REFERENCES districts(id),
    household_hash TEXT NOT NULL,
    dong_id BIGINT NOT NULL REFERENCES dongs(id),
    indicator TEXT NOT NULL,
    period TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    batch TEXT NOT NULL,
    imported_at BIGINT NOT NULL,
    PRIMARY KEY (district_id, household_hash, indicator, period)
) WITHOUT ROWID;
-- dialect: postgresql
CREATE TABLE risk_indicators (
    district_id BIGINT NOT NULL REFERENCES districts(id),
    household_hash TEXT NOT NULL,
    dong_id BIGINT NOT NULL REFERENCES dongs(id),
    indicator TEXT NOT NULL,
    period TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    batch TEXT NOT NULL,
    imported_at BIGINT NOT NULL,
    PRIMARY KEY (district_id, household_hash, indicator, period)
);
-- dialect: all

CREATE TABLE screening_rounds (
    id {{ID}},
    district_id BIGINT NOT NULL REFERENCES districts(id),
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    model_version BIGINT NOT NULL,
    households BIGINT NOT NULL,
    listed BIGINT NOT NULL
);

CREATE TABLE screening_items (
    id {{ID}},
    round_id BIGINT NOT NULL REFERENCES screening_rounds(id),
    dong_id BIGINT NOT NULL,
    rank BIGINT NOT NULL,
    household_hash TEXT NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    features TEXT NOT NULL,
    outcome TEXT NOT NULL DEFAULT '',
    outcome_by TEXT NOT NULL DEFAULT '',
    outcome_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX screening_items_round ON screening_items (round_id, dong_id, rank);

CREATE TABLE screening_models (
    district_id BIGINT PRIMARY KEY REFERENCES districts(id),
    version BIGINT NOT NULL,
    weights TEXT NOT NULL,
    trained_on BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
