-- Receipt records (기부금영수증 data, docs/giving.md "Receipts"): the collector issues the receipt;
-- dure keeps the record of which gift got which serial number. Serial numbers are unique per year
-- (UNIQUE (year, serial)); a receipt is never edited or deleted: a void is a row of
-- giving_receipt_voids with its reason, and a reissue is a new receipt naming the one it replaces.
-- A gift has at most one first receipt, and a receipt is replaced at most once (partial unique
-- indexes), so a gift has at most one receipt that is not void.
CREATE TABLE giving_receipts (
    id {{ID}},
    campaign_id BIGINT NOT NULL REFERENCES giving_campaigns(id),
    gift_id BIGINT NOT NULL REFERENCES giving_gifts(id),
    year BIGINT NOT NULL CHECK (year >= 2000 AND year <= 9999),
    serial BIGINT NOT NULL CHECK (serial > 0),
    replaces_id BIGINT NOT NULL DEFAULT 0,
    issued_by BIGINT NOT NULL,
    issued_at BIGINT NOT NULL,
    UNIQUE (year, serial)
);
CREATE UNIQUE INDEX giving_receipts_first ON giving_receipts (gift_id) WHERE replaces_id = 0;
CREATE UNIQUE INDEX giving_receipts_replaces ON giving_receipts (replaces_id) WHERE replaces_id > 0;
CREATE INDEX giving_receipts_campaign ON giving_receipts (campaign_id, id);

CREATE TABLE giving_receipt_voids (
    receipt_id BIGINT PRIMARY KEY REFERENCES giving_receipts(id),
    reason TEXT NOT NULL,
    by_account BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

-- dialect: sqlite
CREATE TRIGGER giving_receipts_no_update BEFORE UPDATE ON giving_receipts
BEGIN
    SELECT RAISE(ABORT, 'giving_receipts is append-only: void and reissue instead');
END;
CREATE TRIGGER giving_receipts_no_delete BEFORE DELETE ON giving_receipts
BEGIN
    SELECT RAISE(ABORT, 'giving_receipts is append-only: void and reissue instead');
END;
CREATE TRIGGER giving_receipt_voids_no_update BEFORE UPDATE ON giving_receipt_voids
BEGIN
    SELECT RAISE(ABORT, 'giving_receipt_voids is append-only');
END;
CREATE TRIGGER giving_receipt_voids_no_delete BEFORE DELETE ON giving_receipt_voids
BEGIN
    SELECT RAISE(ABORT, 'giving_receipt_voids is append-only');
END;

-- dialect: postgresql
CREATE TRIGGER giving_receipts_no_change BEFORE UPDATE OR DELETE ON giving_receipts
    FOR EACH ROW EXECUTE FUNCTION giving_append_only();
CREATE TRIGGER giving_receipt_voids_no_change BEFORE UPDATE OR DELETE ON giving_receipt_voids
    FOR EACH ROW EXECUTE FUNCTION giving_append_only();
