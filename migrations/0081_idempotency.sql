-- Idempotency keys for writes of any module (src/store/idempotency.hpp, src/app/idempotent.hpp).
-- `key_hash` is already scoped to the caller (and, for routes, to the method and path);
-- `request_hash` is the hash of the first request's body (the same key with another body is
-- refused). state: 'pending' while the first request runs (a second one meanwhile gets 409),
-- 'done' with the first answer (encrypted when it may hold personal data), replayed to retries.
-- Purged after 7 days (data/privacy/retention.json, kind "idempotency").
CREATE TABLE idempotency_keys (
    key_hash TEXT PRIMARY KEY,
    request_hash TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'done',
    status BIGINT NOT NULL DEFAULT 0,
    content_type TEXT NOT NULL DEFAULT 'application/json',
    response TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
