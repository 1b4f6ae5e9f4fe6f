-- Consents residents give and withdraw (issue 16; src/identity/consents.hpp, texts in
-- data/privacy/consents.json). One row per act, never updated or deleted by the platform: which
-- version of which text (and the SHA-256 of that text as shown), given or withdrawn, when, and
-- where (signup, me, eligibility). A resident's current state of a kind is its newest row.
CREATE TABLE consent_records (
    id {{ID}},
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    kind TEXT NOT NULL,
    version TEXT NOT NULL,
    text_sha256 TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('given', 'withdrawn')),
    channel TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX consent_records_account ON consent_records (account_id, kind, id);
