-- Access log, tail protection. TRUNCATE fires no row triggers on PostgreSQL, so a statement
-- trigger refuses it too; `dure audit verify` checks that these guards are still in place and
-- compares the head with the signed checkpoints the server writes outside the database
-- (src/identity/audit_anchor.cpp).

-- dialect: postgresql
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
    FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only();
