-- Identity: districts and their neighbourhoods (dongs), organizations, accounts, role grants,
-- sessions, API tokens, persons with encrypted personal fields, and the access log.
-- Times are Unix seconds (UTC). Ciphertext is base64 text ("v1." prefix). *_bidx columns hold a
-- keyed blind index (hex) so a value can be found without decrypting every row.

CREATE TABLE districts (
    id {{ID}},
    code TEXT NOT NULL UNIQUE,
    name_ko TEXT NOT NULL,
    name_en TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE dongs (
    id {{ID}},
    district_id BIGINT NOT NULL REFERENCES districts(id),
    code TEXT NOT NULL,
    name_ko TEXT NOT NULL,
    name_en TEXT NOT NULL,
    UNIQUE (district_id, code)
);

CREATE TABLE organizations (
    id {{ID}},
    district_id BIGINT NOT NULL REFERENCES districts(id),
    dong_id BIGINT REFERENCES dongs(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE accounts (
    id {{ID}},
    district_id BIGINT NOT NULL REFERENCES districts(id),
    email_bidx TEXT UNIQUE,
    email_enc TEXT,
    phone_bidx TEXT UNIQUE,
    phone_enc TEXT,
    name_enc TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT NOT NULL DEFAULT 0,
    disabled BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX accounts_district ON accounts (district_id, id);

CREATE TABLE role_grants (
    id {{ID}},
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    role TEXT NOT NULL,
    scope_kind TEXT NOT NULL,
    scope_id BIGINT NOT NULL,
    district_id BIGINT NOT NULL REFERENCES districts(id),
    granted_by BIGINT,
    granted_at BIGINT NOT NULL,
    revoked_at BIGINT,
    revoked_by BIGINT
);
CREATE INDEX role_grants_account ON role_grants (account_id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE api_tokens (
    id {{ID}},
    token_hash TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    district_id BIGINT NOT NULL REFERENCES districts(id),
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);

CREATE TABLE persons (
    id {{ID}},
    district_id BIGINT NOT NULL REFERENCES districts(id),
    dong_id BIGINT NOT NULL REFERENCES dongs(id),
    name_enc TEXT NOT NULL,
    phone_enc TEXT,
    phone_bidx TEXT,
    birth_date_enc TEXT,
    address_enc TEXT,
    rrn_enc TEXT,
    created_by BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX persons_phone ON persons (district_id, phone_bidx);
CREATE INDEX persons_dong ON persons (dong_id);

-- Append-only, hash-chained: mac = HMAC(audit key, prev_mac and every column). The head row
-- records the last entry, so deleting the newest row shows too.
CREATE TABLE access_log (
    id {{ID}},
    at BIGINT NOT NULL,
    actor_account_id BIGINT NOT NULL,
    district_id BIGINT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    action TEXT NOT NULL,
    fields TEXT NOT NULL,
    reason TEXT NOT NULL,
    request_id TEXT NOT NULL,
    prev_mac TEXT NOT NULL,
    mac TEXT NOT NULL
);
CREATE INDEX access_log_subject ON access_log (subject_kind, subject_id);

CREATE TABLE access_log_head (
    id BIGINT PRIMARY KEY,
    last_id BIGINT NOT NULL,
    last_mac TEXT NOT NULL
);
INSERT INTO access_log_head (id, last_id, last_mac) VALUES (1, 0, 'genesis');

-- dialect: sqlite
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only');
END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only');
END;

-- dialect: postgresql
CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'access_log is append-only';
END;
$$;
CREATE TRIGGER access_log_no_change BEFORE UPDATE OR DELETE ON access_log
    FOR EACH ROW EXECUTE FUNCTION access_log_append_only();
