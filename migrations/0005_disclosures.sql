-- Facility disclosures (budgets and settlements with the donations received and how they were
-- used, per fiscal year), welfare news posted by officials, and the jobs list fed by imports.
-- Money is integer KRW. Times are Unix seconds (UTC); dates (valid_until) are YYYY-MM-DD text.

-- The current state of one facility's budget or settlement for a fiscal year. Every saved
-- state is also kept whole in disclosure_versions; published_version names the last approved
-- one, which the public keeps seeing while a correction is drafted.
CREATE TABLE disclosures (
    id TEXT PRIMARY KEY,
    district_id BIGINT NOT NULL REFERENCES districts(id),
    facility_id TEXT NOT NULL REFERENCES facilities(id),
    fiscal_year BIGINT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    version BIGINT NOT NULL,
    published_version BIGINT NOT NULL DEFAULT 0,
    return_reason TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    submitted_by TEXT NOT NULL DEFAULT '',
    decided_by TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    submitted_at BIGINT NOT NULL DEFAULT 0,
    decided_at BIGINT NOT NULL DEFAULT 0,
    UNIQUE (facility_id, fiscal_year, kind)
);
CREATE INDEX disclosures_district ON disclosures (district_id, status);

-- Budget or settlement lines of the current state, in the order given.
CREATE TABLE disclosure_lines (
    disclosure_id TEXT NOT NULL REFERENCES disclosures(id),
    seq BIGINT NOT NULL,
    side TEXT NOT NULL,
    category TEXT NOT NULL,
    item TEXT NOT NULL DEFAULT '',
    amount BIGINT NOT NULL,
    PRIMARY KEY (disclosure_id, seq)
);

-- Donations received (후원금) and how they were used, of the current state.
CREATE TABLE disclosure_donations (
    disclosure_id TEXT NOT NULL REFERENCES disclosures(id),
    seq BIGINT NOT NULL,
    received_from_type TEXT NOT NULL,
    kind TEXT NOT NULL,
    amount BIGINT NOT NULL,
    used_for TEXT NOT NULL DEFAULT '',
    used_amount BIGINT NOT NULL,
    PRIMARY KEY (disclosure_id, seq)
);

-- One row per saved state (edit, submit, approve, return), the whole disclosure as JSON.
CREATE TABLE disclosure_versions (
    id {{ID}},
    disclosure_id TEXT NOT NULL REFERENCES disclosures(id),
    version BIGINT NOT NULL,
    status TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at BIGINT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    document TEXT NOT NULL,
    UNIQUE (disclosure_id, version)
);

-- Welfare news of a district, shown from published_at on.
CREATE TABLE news (
    id {{ID}},
    district_id BIGINT NOT NULL REFERENCES districts(id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX news_district ON news (district_id, published_at);

-- Job openings from an import (file or feed), one source replacing its own rows.
CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    district_id BIGINT NOT NULL REFERENCES districts(id),
    source TEXT NOT NULL,
    external_id TEXT NOT NULL,
    title TEXT NOT NULL,
    employer TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    wage TEXT NOT NULL DEFAULT '',
    period TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    valid_until TEXT NOT NULL,
    imported_at BIGINT NOT NULL,
    UNIQUE (district_id, source, external_id)
);
CREATE INDEX jobs_district ON jobs (district_id, valid_until);
