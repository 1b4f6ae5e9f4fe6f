-- Membership alerts: what the re-screening job last told each member per program (so it tells
-- them once), the in-app inbox, the outbox of e-mails and gateway webhooks with retries, each
-- member's channels and quiet hours, and the recommendation feedback and model.
-- Times are Unix seconds (UTC).

CREATE TABLE alert_settings (
    account_id BIGINT PRIMARY KEY REFERENCES accounts(id),
    email_enabled BIGINT NOT NULL DEFAULT 0,
    sms_enabled BIGINT NOT NULL DEFAULT 0,
    quiet_start BIGINT NOT NULL DEFAULT 21,
    quiet_end BIGINT NOT NULL DEFAULT 8,
    updated_at BIGINT NOT NULL
);

-- The last result the member was told about (or the baseline), per program.
CREATE TABLE screening_state (
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    program TEXT NOT NULL,
    status TEXT NOT NULL,
    amount BIGINT NOT NULL DEFAULT -1,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, program)
);

CREATE TABLE inbox_messages (
    id {{ID}},
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    created_at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body_enc TEXT NOT NULL,
    read_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX inbox_account ON inbox_messages (account_id, id);

-- status: pending, sent, dead (gave up after the last retry).
CREATE TABLE outbox (
    id {{ID}},
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    channel TEXT NOT NULL,
    payload_enc TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    sent_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

-- Recommendation feedback (viewed, applied, dismissed) and the learned weights.
CREATE TABLE recommendation_feedback (
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    service_id TEXT NOT NULL,
    action TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, service_id, action)
);
CREATE TABLE recommendation_model (
    feature TEXT PRIMARY KEY,
    weight DOUBLE PRECISION NOT NULL,
    updates BIGINT NOT NULL DEFAULT 0
);
