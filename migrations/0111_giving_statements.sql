-- The collector's statements (CSV) imported and matched to counter gifts; QR gifts made on the
-- collector's page arrive only this way (docs/giving.md). A gift is matched by one row at most.
CREATE TABLE giving_statements (
    id {{ID}},
    campaign_id BIGINT NOT NULL REFERENCES giving_campaigns(id),
    file_sha256 TEXT NOT NULL,
    row_count BIGINT NOT NULL,
    imported_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (campaign_id, file_sha256)
);

-- kind: matched (a counter or transfer gift of dure), qr (a gift made on the collector's page,
-- recorded as a new gift).
CREATE TABLE giving_statement_rows (
    statement_id BIGINT NOT NULL REFERENCES giving_statements(id),
    line BIGINT NOT NULL,
    day TEXT NOT NULL,
    reference TEXT NOT NULL,
    channel TEXT NOT NULL,
    amount_krw BIGINT NOT NULL,
    kind TEXT NOT NULL,
    gift_id BIGINT NOT NULL UNIQUE REFERENCES giving_gifts(id),
    PRIMARY KEY (statement_id, line)
);
