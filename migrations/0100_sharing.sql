-- Help matching (src/sharing, docs/sharing.md): offers of help and needs for it, vetted by a
-- manager, connections between them, and the append-only, hash-chained hours ledger. A side is
-- a resident's account, or a person record a staff member entered on the resident's behalf
-- (대리 입력) with the resident's consent (who recorded it, when, how). Sub-field codes are those
-- of data/sharing/fields.json. Free text about a need is encrypted; times are Unix seconds (UTC).

-- status: pending (waiting for vetting), approved, refused (refusal_reason is shown to the
-- resident), withdrawn. vetted_level: the highest check a manager recorded (none, identity,
-- training, criminal_record). days: bit 0 Monday … bit 6 Sunday; hours [hour_from, hour_to).
CREATE TABLE sharing_offers (
    id {{ID}},
    district_id BIGINT NOT NULL REFERENCES districts(id),
    dong_id BIGINT NOT NULL REFERENCES dongs(id),
    account_id BIGINT REFERENCES accounts(id),
    person_id BIGINT REFERENCES persons(id),
    subfields TEXT NOT NULL,
    days BIGINT NOT NULL,
    hour_from BIGINT NOT NULL,
    hour_to BIGINT NOT NULL,
    mode TEXT NOT NULL,
    languages TEXT NOT NULL DEFAULT 'ko',
    note_enc TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'pending',
    vetted_level TEXT NOT NULL DEFAULT 'none',
    vetted_by BIGINT REFERENCES accounts(id),
    vetted_at BIGINT NOT NULL DEFAULT 0,
    refusal_reason TEXT NOT NULL DEFAULT '',
    entered_by BIGINT NOT NULL REFERENCES accounts(id),
    consent_method TEXT NOT NULL DEFAULT 'self',
    consent_at BIGINT NOT NULL,
    completed_count BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    CHECK ((account_id IS NULL) <> (person_id IS NULL)),
    CHECK (status IN ('pending', 'approved', 'refused', 'withdrawn')),
    CHECK (hour_from >= 0 AND hour_from < hour_to AND hour_to <= 24)
);
CREATE INDEX sharing_offers_scope ON sharing_offers (district_id, status, dong_id);
CREATE INDEX sharing_offers_account ON sharing_offers (account_id);

-- status: pending, open (approved, waiting for help), refused, served (a connection completed),
-- closed. window_from/window_to: YYYY-MM-DD. urgency: normal, urgent. escalated_at: when the
-- need, waiting past the district's setting, was brought to its dong's managers (0: not yet).
CREATE TABLE sharing_needs (
    id {{ID}},
    district_id BIGINT NOT NULL REFERENCES districts(id),
    dong_id BIGINT NOT NULL REFERENCES dongs(id),
    account_id BIGINT REFERENCES accounts(id),
    person_id BIGINT REFERENCES persons(id),
    subfield TEXT NOT NULL,
    window_from TEXT NOT NULL,
    window_to TEXT NOT NULL,
    days BIGINT NOT NULL,
    hour_from BIGINT NOT NULL,
    hour_to BIGINT NOT NULL,
    languages TEXT NOT NULL DEFAULT 'ko',
    urgency TEXT NOT NULL DEFAULT 'normal',
    detail_enc TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'pending',
    vetted_by BIGINT REFERENCES accounts(id),
    vetted_at BIGINT NOT NULL DEFAULT 0,
    refusal_reason TEXT NOT NULL DEFAULT '',
    entered_by BIGINT NOT NULL REFERENCES accounts(id),
    consent_method TEXT NOT NULL DEFAULT 'self',
    consent_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    escalated_at BIGINT NOT NULL DEFAULT 0,
    CHECK ((account_id IS NULL) <> (person_id IS NULL)),
    CHECK (status IN ('pending', 'open', 'refused', 'served', 'closed')),
    CHECK (hour_from >= 0 AND hour_from < hour_to AND hour_to <= 24)
);
CREATE INDEX sharing_needs_scope ON sharing_needs (district_id, status, dong_id);
CREATE INDEX sharing_needs_account ON sharing_needs (account_id);

-- status: proposed (a manager connected both sides), accepted (both accepted: contact released),
-- active (help under way), completed, cancelled (cancel_reason). One live connection per need:
-- the partial unique index refuses a second one even when two managers connect at once.
CREATE TABLE sharing_connections (
    id {{ID}},
    district_id BIGINT NOT NULL REFERENCES districts(id),
    dong_id BIGINT NOT NULL REFERENCES dongs(id),
    need_id BIGINT NOT NULL REFERENCES sharing_needs(id),
    offer_id BIGINT NOT NULL REFERENCES sharing_offers(id),
    status TEXT NOT NULL DEFAULT 'proposed',
    helper_accepted_at BIGINT NOT NULL DEFAULT 0,
    recipient_accepted_at BIGINT NOT NULL DEFAULT 0,
    recipient_accept_method TEXT NOT NULL DEFAULT '',
    proposed_by BIGINT NOT NULL REFERENCES accounts(id),
    proposed_at BIGINT NOT NULL,
    started_at BIGINT NOT NULL DEFAULT 0,
    ended_at BIGINT NOT NULL DEFAULT 0,
    ended_by BIGINT REFERENCES accounts(id),
    cancel_reason TEXT NOT NULL DEFAULT '',
    helper_feedback TEXT NOT NULL DEFAULT '',
    recipient_feedback TEXT NOT NULL DEFAULT '',
    CHECK (status IN ('proposed', 'accepted', 'active', 'completed', 'cancelled'))
);
CREATE UNIQUE INDEX sharing_connections_one_live ON sharing_connections (need_id)
    WHERE status IN ('proposed', 'accepted', 'active');
CREATE INDEX sharing_connections_offer ON sharing_connections (offer_id, status);
CREATE INDEX sharing_connections_scope ON sharing_connections (district_id, dong_id, status);

-- The hours ledger: append-only rows chained by hash per district. kind: entry (hours recorded
-- for a connection on a day), confirm (of entry ref_id), reverse (of a confirmed entry ref_id,
-- with reason). An entry is never edited: it is confirmed, or reversed by a new row. The unique
-- (district_id, prev_hash) refuses a fork when two writers append at once.
CREATE TABLE sharing_ledger (
    id {{ID}},
    district_id BIGINT NOT NULL REFERENCES districts(id),
    dong_id BIGINT NOT NULL REFERENCES dongs(id),
    kind TEXT NOT NULL,
    ref_id BIGINT NOT NULL DEFAULT 0,
    connection_id BIGINT NOT NULL REFERENCES sharing_connections(id),
    helper_offer_id BIGINT NOT NULL REFERENCES sharing_offers(id),
    day TEXT NOT NULL,
    start_minute BIGINT NOT NULL DEFAULT 0,
    minutes BIGINT NOT NULL DEFAULT 0,
    reason TEXT NOT NULL DEFAULT '',
    actor BIGINT NOT NULL REFERENCES accounts(id),
    at BIGINT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    CHECK (kind IN ('entry', 'confirm', 'reverse')),
    CHECK (minutes >= 0 AND minutes <= 1440)
);
CREATE UNIQUE INDEX sharing_ledger_chain ON sharing_ledger (district_id, prev_hash);
CREATE INDEX sharing_ledger_connection ON sharing_ledger (connection_id);
CREATE INDEX sharing_ledger_helper ON sharing_ledger (helper_offer_id, day);

-- dialect: sqlite
CREATE TRIGGER sharing_ledger_no_update BEFORE UPDATE ON sharing_ledger
BEGIN
    SELECT RAISE(ABORT, 'sharing_ledger is append-only');
END;
CREATE TRIGGER sharing_ledger_no_delete BEFORE DELETE ON sharing_ledger
BEGIN
    SELECT RAISE(ABORT, 'sharing_ledger is append-only');
END;

-- dialect: postgresql
CREATE FUNCTION sharing_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'sharing_ledger is append-only';
END;
$$;
CREATE TRIGGER sharing_ledger_no_change BEFORE UPDATE OR DELETE ON sharing_ledger
    FOR EACH ROW EXECUTE FUNCTION sharing_ledger_append_only();
