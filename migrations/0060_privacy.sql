-- Residents' rights and retention (docs/privacy.md "Residents' rights", "Retention").
-- outbox.kind: what the delivery is about (the inbox message's kind: eligibility,
-- checkin_escalation, privacy), so deleting an eligibility profile can delete its deliveries too.
ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT '';
UPDATE outbox SET kind = 'eligibility' WHERE EXISTS (SELECT 1 FROM inbox_messages m
    WHERE m.account_id = outbox.account_id AND m.created_at = outbox.created_at AND m.kind = 'eligibility');

-- A resident's request under PIPA arts. 35 (access), 36 (correction, deletion) and 37 (stop of
-- processing). kind: access, correction, deletion, suspension. record: the kind of record it is
-- about (data/privacy/retention.json). status: received, granted, partly_granted, refused.
-- due_at: the end (KST) of the 10th day after receipt. details and the decision's reason are
-- encrypted (contexts "privacy_requests.details", "privacy_requests.reason").
CREATE TABLE privacy_requests (
    id {{ID}},
    district_id BIGINT NOT NULL REFERENCES districts(id),
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    kind TEXT NOT NULL,
    record TEXT NOT NULL,
    details_enc TEXT NOT NULL,
    status TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    due_at BIGINT NOT NULL,
    decided_at BIGINT NOT NULL DEFAULT 0,
    decided_by BIGINT,
    reason_enc TEXT,
    person_id BIGINT REFERENCES persons(id)
);
CREATE INDEX privacy_requests_queue ON privacy_requests (district_id, status, due_at);
CREATE INDEX privacy_requests_account ON privacy_requests (account_id, id);

-- A registered person linked to a resident's account by an official who checked the resident's
-- identity (PIPA enforcement decree art. 46) while granting an access request.
CREATE TABLE person_accounts (
    person_id BIGINT NOT NULL REFERENCES persons(id),
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    linked_by BIGINT NOT NULL,
    linked_at BIGINT NOT NULL,
    PRIMARY KEY (person_id, account_id)
);
CREATE INDEX person_accounts_account ON person_accounts (account_id);

-- A self-deleted account keeps its row (ids in the access log and in requests point at it) with
-- every personal field removed; deleted_at says when.
ALTER TABLE accounts ADD COLUMN deleted_at BIGINT NOT NULL DEFAULT 0;

-- Signed passive signals already accepted (their signature), kept for the replay window.
CREATE TABLE signal_nonces (
    signature TEXT PRIMARY KEY,
    seen_at BIGINT NOT NULL
);
