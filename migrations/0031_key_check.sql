-- A key check value: a keyed hash of a fixed text under the master key. A server started with a
-- different key file finds a different value and refuses to start instead of writing data
-- nobody can read back (src/identity/store.cpp, check_master_key).
CREATE TABLE key_check (
    id BIGINT PRIMARY KEY,
    kcv TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
