-- Idempotency keys for writes of any module (src/store/idempotency.hpp): the first answer to a
-- key is stored in the same transaction as the write it answers, so a retried request replays it
-- and never writes twice. `key_hash` is already scoped to the caller; `request_hash` is the hash
-- of the first request's body (the same key with another body is refused). Purged after 30 days.
CREATE TABLE idempotency_keys (
    key_hash TEXT PRIMARY KEY,
    request_hash TEXT NOT NULL,
    status BIGINT NOT NULL,
    response TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
