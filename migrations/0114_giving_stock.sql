-- Stock of goods (docs/giving.md "Stock of goods"): in-kind gifts counted by item as they come in,
-- distributions out by item as the council approves them. The quantity on hand is a row the
-- database keeps at or above zero: a move out subtracts with a conditional UPDATE and the CHECK
-- refuses any write that would take it below. Moves are append-only.
CREATE TABLE giving_stock (
    campaign_id BIGINT NOT NULL REFERENCES giving_campaigns(id),
    item TEXT NOT NULL,
    unit TEXT NOT NULL,
    quantity BIGINT NOT NULL DEFAULT 0 CHECK (quantity >= 0),
    PRIMARY KEY (campaign_id, item)
);

-- direction: in (a gift of goods, gift_id set when it came through a counter gift) or out (a
-- distribution the council approved: approval_ref, purpose, households helped).
CREATE TABLE giving_stock_moves (
    id {{ID}},
    campaign_id BIGINT NOT NULL REFERENCES giving_campaigns(id),
    item TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    quantity BIGINT NOT NULL CHECK (quantity > 0 AND quantity <= 1000000000),
    gift_id BIGINT NOT NULL DEFAULT 0,
    approval_ref TEXT NOT NULL DEFAULT '',
    purpose TEXT NOT NULL DEFAULT '',
    households BIGINT NOT NULL DEFAULT 0 CHECK (households >= 0),
    dong_id BIGINT NOT NULL DEFAULT 0,
    by_account BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX giving_stock_moves_item ON giving_stock_moves (campaign_id, item, id);

-- dialect: sqlite
CREATE TRIGGER giving_stock_moves_no_update BEFORE UPDATE ON giving_stock_moves
BEGIN
    SELECT RAISE(ABORT, 'giving_stock_moves is append-only');
END;
CREATE TRIGGER giving_stock_moves_no_delete BEFORE DELETE ON giving_stock_moves
BEGIN
    SELECT RAISE(ABORT, 'giving_stock_moves is append-only');
END;

-- dialect: postgresql
CREATE TRIGGER giving_stock_moves_no_change BEFORE UPDATE OR DELETE ON giving_stock_moves
    FOR EACH ROW EXECUTE FUNCTION giving_append_only();
