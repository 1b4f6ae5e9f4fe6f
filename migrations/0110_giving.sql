-- Giving (docs/giving.md): campaigns run for a legal collector, gifts taken at dong counters,
-- council-approved distributions from funds that never go below zero, and the public ledger
-- sealed into a hash chain. dure holds no money: these are records for the collector.
-- Amounts are integer KRW, 1 … 10^13. Gifts, reversals and ledger entries are append-only.

CREATE TABLE giving_campaigns (
    id {{ID}},
    district_id BIGINT NOT NULL REFERENCES districts(id),
    code TEXT NOT NULL UNIQUE,
    title_ko TEXT NOT NULL,
    title_en TEXT NOT NULL,
    target_krw BIGINT NOT NULL CHECK (target_krw > 0 AND target_krw <= 10000000000000),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    -- The legal collector (기부금품법 §5: never the district): who solicits, holds the account,
    -- issues receipts.
    collector_name TEXT NOT NULL,
    collector_registration TEXT NOT NULL,
    collector_legal_basis TEXT NOT NULL,
    collector_account_holder TEXT NOT NULL,
    collector_url TEXT NOT NULL DEFAULT '',
    -- The ledger: last sealed day (YYYY-MM-DD, '' none), last entry number and head hash.
    sealed_through TEXT NOT NULL DEFAULT '',
    ledger_seq BIGINT NOT NULL DEFAULT 0,
    ledger_head TEXT NOT NULL DEFAULT 'genesis',
    created_at BIGINT NOT NULL
);

CREATE TABLE giving_dong_targets (
    campaign_id BIGINT NOT NULL REFERENCES giving_campaigns(id),
    dong_id BIGINT NOT NULL REFERENCES dongs(id),
    target_krw BIGINT NOT NULL CHECK (target_krw > 0 AND target_krw <= 10000000000000),
    PRIMARY KEY (campaign_id, dong_id)
);

-- kind: general, dong, purpose, program. dong_id 0 unless kind = dong.
CREATE TABLE giving_designations (
    id {{ID}},
    campaign_id BIGINT NOT NULL REFERENCES giving_campaigns(id),
    code TEXT NOT NULL,
    kind TEXT NOT NULL,
    label_ko TEXT NOT NULL,
    label_en TEXT NOT NULL,
    dong_id BIGINT NOT NULL DEFAULT 0,
    UNIQUE (campaign_id, code)
);

-- A fund: designation × form (cash, in_kind). The balance row the database keeps at or above zero:
-- distributions subtract with a conditional UPDATE, and the CHECK refuses any write that would
-- take it below.
CREATE TABLE giving_funds (
    designation_id BIGINT NOT NULL REFERENCES giving_designations(id),
    form TEXT NOT NULL,
    balance_krw BIGINT NOT NULL DEFAULT 0 CHECK (balance_krw >= 0),
    PRIMARY KEY (designation_id, form)
);

-- A gift (기탁서). channel: counter, qr, transfer. donor_kind: person, organization, anonymous.
-- display: anonymous (default), masked, named. Personal fields are encrypted; donor_bidx is a
-- keyed blind index of the donor's phone or e-mail, so the donor sees their own gifts.
-- Receipt identifiers only when receipt_wanted = 1 with consent (개인정보 보호법 §24의2).
CREATE TABLE giving_gifts (
    id {{ID}},
    campaign_id BIGINT NOT NULL REFERENCES giving_campaigns(id),
    designation_id BIGINT NOT NULL REFERENCES giving_designations(id),
    dong_id BIGINT NOT NULL,
    channel TEXT NOT NULL,
    form TEXT NOT NULL,
    amount_krw BIGINT NOT NULL CHECK (amount_krw > 0 AND amount_krw <= 10000000000000),
    items TEXT NOT NULL DEFAULT '',
    valuation_basis TEXT NOT NULL DEFAULT '',
    donor_kind TEXT NOT NULL,
    display TEXT NOT NULL,
    donor_name_enc TEXT NOT NULL DEFAULT '',
    donor_contact_enc TEXT NOT NULL DEFAULT '',
    donor_bidx TEXT NOT NULL DEFAULT '',
    receipt_wanted BIGINT NOT NULL DEFAULT 0,
    receipt_consent_at BIGINT NOT NULL DEFAULT 0,
    receipt_id_enc TEXT NOT NULL DEFAULT '',
    receipt_address_enc TEXT NOT NULL DEFAULT '',
    given_on TEXT NOT NULL,
    ledger_day TEXT NOT NULL,
    entered_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX giving_gifts_fund ON giving_gifts (designation_id, form, id);
CREATE INDEX giving_gifts_campaign_day ON giving_gifts (campaign_id, ledger_day);
CREATE INDEX giving_gifts_donor ON giving_gifts (donor_bidx);

-- A correcting entry: the gift stays, this row takes it back, once, with a reason.
CREATE TABLE giving_reversals (
    id {{ID}},
    gift_id BIGINT NOT NULL UNIQUE REFERENCES giving_gifts(id),
    campaign_id BIGINT NOT NULL REFERENCES giving_campaigns(id),
    reason TEXT NOT NULL,
    ledger_day TEXT NOT NULL,
    by_account BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX giving_reversals_campaign_day ON giving_reversals (campaign_id, ledger_day);

-- A distribution (배분) the council approved. recipient_kind: household (household_ref_enc set;
-- households = 1) or program (households = how many it helped). received_at: the household's or
-- programme's receipt, 0 until recorded.
CREATE TABLE giving_distributions (
    id {{ID}},
    campaign_id BIGINT NOT NULL REFERENCES giving_campaigns(id),
    designation_id BIGINT NOT NULL REFERENCES giving_designations(id),
    form TEXT NOT NULL,
    amount_krw BIGINT NOT NULL CHECK (amount_krw > 0 AND amount_krw <= 10000000000000),
    purpose TEXT NOT NULL,
    program TEXT NOT NULL,
    recipient_kind TEXT NOT NULL,
    household_ref_enc TEXT NOT NULL DEFAULT '',
    households BIGINT NOT NULL DEFAULT 0 CHECK (households >= 0),
    approval_ref TEXT NOT NULL,
    approved_by BIGINT NOT NULL,
    given_on TEXT NOT NULL,
    ledger_day TEXT NOT NULL,
    received_at BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX giving_distributions_fund ON giving_distributions (designation_id, form, id);
CREATE INDEX giving_distributions_campaign_day ON giving_distributions (campaign_id, ledger_day);

-- The sealed public ledger (src/giving/rules.hpp: ledger_line, chain_hash).
CREATE TABLE giving_ledger (
    campaign_id BIGINT NOT NULL REFERENCES giving_campaigns(id),
    seq BIGINT NOT NULL,
    day TEXT NOT NULL,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    purpose TEXT NOT NULL,
    designation TEXT NOT NULL,
    form TEXT NOT NULL,
    count BIGINT NOT NULL,
    amount_krw BIGINT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (campaign_id, seq)
);

-- dialect: sqlite
CREATE TRIGGER giving_gifts_no_update BEFORE UPDATE ON giving_gifts
BEGIN
    SELECT RAISE(ABORT, 'giving_gifts is append-only: reverse a gift instead');
END;
CREATE TRIGGER giving_gifts_no_delete BEFORE DELETE ON giving_gifts
BEGIN
    SELECT RAISE(ABORT, 'giving_gifts is append-only: reverse a gift instead');
END;
CREATE TRIGGER giving_reversals_no_change BEFORE UPDATE ON giving_reversals
BEGIN
    SELECT RAISE(ABORT, 'giving_reversals is append-only');
END;
CREATE TRIGGER giving_reversals_no_delete BEFORE DELETE ON giving_reversals
BEGIN
    SELECT RAISE(ABORT, 'giving_reversals is append-only');
END;
CREATE TRIGGER giving_ledger_no_update BEFORE UPDATE ON giving_ledger
BEGIN
    SELECT RAISE(ABORT, 'giving_ledger is append-only');
END;
CREATE TRIGGER giving_ledger_no_delete BEFORE DELETE ON giving_ledger
BEGIN
    SELECT RAISE(ABORT, 'giving_ledger is append-only');
END;

-- dialect: postgresql
CREATE FUNCTION giving_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER giving_gifts_no_change BEFORE UPDATE OR DELETE ON giving_gifts
    FOR EACH ROW EXECUTE FUNCTION giving_append_only();
CREATE TRIGGER giving_reversals_no_change BEFORE UPDATE OR DELETE ON giving_reversals
    FOR EACH ROW EXECUTE FUNCTION giving_append_only();
CREATE TRIGGER giving_ledger_no_change BEFORE UPDATE OR DELETE ON giving_ledger
    FOR EACH ROW EXECUTE FUNCTION giving_append_only();
