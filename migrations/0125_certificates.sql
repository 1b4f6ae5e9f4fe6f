-- Certificates (src/certificates, docs/certificates.md): one table for every certificate a
-- module issues (an academy course completed; later volunteer hours). `number` is public
-- (DURE-YYYY-NNNNNN), `code` the verification code printed with it; both are needed to check a
-- certificate on the public page, which shows minimal data. `source_ref` names the thing
-- certified, so it is issued once whatever the retries. Revoked certificates stay, marked.
CREATE TABLE certificates (
    id {{ID}},
    number TEXT NOT NULL UNIQUE,
    code TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    issuer TEXT NOT NULL,
    holder_masked TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    source_ref TEXT NOT NULL UNIQUE,
    account_id BIGINT NOT NULL,
    issued_at BIGINT NOT NULL,
    revoked_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX certificates_account ON certificates (account_id);
