-- One truth across processes (several `dure serve` on one PostgreSQL; docs/decisions/0080-scale-out.md):
-- the scheduled jobs with their cluster-wide lease and their record of runs, the outbox claim
-- (a row being sent is leased to one sender until `claimed_until`), at most one open escalation
-- per check-in assignment (enforced here, not by the code path), and the change feed that tells
-- every process's caches to follow an edit. Times are Unix seconds (UTC).

-- One row per declared job (src/jobs/). A process runs a job only after claiming its row: due
-- (`next_run_at` passed) and not leased (`lease_until` passed).
CREATE TABLE scheduled_jobs (
    name TEXT PRIMARY KEY,
    period_seconds BIGINT NOT NULL,
    next_run_at BIGINT NOT NULL,
    last_run_at BIGINT NOT NULL DEFAULT 0,
    last_success_at BIGINT NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    runs BIGINT NOT NULL DEFAULT 0,
    failures BIGINT NOT NULL DEFAULT 0,
    lease_until BIGINT NOT NULL DEFAULT 0,
    lease_owner TEXT NOT NULL DEFAULT ''
);

-- status: pending, sending (claimed until claimed_until; back to the queue after it), sent,
-- dead (undecodable, or given up after the last retry: staff see it at /api/v1/admin/outbox/dead).
ALTER TABLE outbox ADD COLUMN claimed_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN urgent BIGINT NOT NULL DEFAULT 0;
CREATE INDEX outbox_claim ON outbox (status, urgent, next_attempt_at);

-- Duplicates opened before this index (the race it closes) are closed, keeping the oldest.
UPDATE escalations SET closed_at = opened_at, closed_reason = 'duplicate of an earlier open escalation'
    WHERE closed_at = 0 AND id NOT IN (SELECT MIN(id) FROM escalations WHERE closed_at = 0 GROUP BY assignment_id);
CREATE UNIQUE INDEX escalations_one_open ON escalations (assignment_id) WHERE closed_at = 0;

-- The change feed: a generation per topic, raised in the same transaction as the change (by the
-- triggers below, so every writer counts: any server, the CLI import). On PostgreSQL the trigger
-- also sends NOTIFY dure_changes '<topic>' (delivered at commit); a listener that lost its
-- connection catches up by comparing generations.
CREATE TABLE change_feed (
    topic TEXT PRIMARY KEY,
    generation BIGINT NOT NULL DEFAULT 0
);
INSERT INTO change_feed (topic, generation) VALUES ('catalog', 0);

-- dialect: postgresql
CREATE FUNCTION dure_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE change_feed SET generation = generation + 1 WHERE topic = TG_ARGV[0];
    PERFORM pg_notify('dure_changes', TG_ARGV[0]);
    RETURN NULL;
END;
$$;
CREATE TRIGGER services_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON services
    FOR EACH STATEMENT EXECUTE FUNCTION dure_changed('catalog');

-- dialect: sqlite
CREATE TRIGGER services_changed_insert AFTER INSERT ON services
BEGIN
    UPDATE change_feed SET generation = generation + 1 WHERE topic = 'catalog';
END;
CREATE TRIGGER services_changed_update AFTER UPDATE ON services
BEGIN
    UPDATE change_feed SET generation = generation + 1 WHERE topic = 'catalog';
END;
CREATE TRIGGER services_changed_delete AFTER DELETE ON services
BEGIN
    UPDATE change_feed SET generation = generation + 1 WHERE topic = 'catalog';
END;
