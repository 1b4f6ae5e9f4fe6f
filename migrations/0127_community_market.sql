-- The sharing market (나눔장터; src/community/market.hpp, docs/community.md "Sharing market"):
-- residents list things to give away or lend (no price: no money changes hands here), others
-- ask, the giver picks one (a conditional UPDATE from 'listed', so one reservation only),
-- hands over (and, for a loan, gets it back). A reported listing is hidden until staff review it.
CREATE TABLE community_market_items (
    id {{ID}},
    district_id BIGINT NOT NULL REFERENCES districts(id),
    dong_id BIGINT NOT NULL,
    owner_id BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('give', 'lend')),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    handover_place TEXT NOT NULL,
    status TEXT NOT NULL,
    reserved_request BIGINT NOT NULL DEFAULT 0,
    hidden BIGINT NOT NULL DEFAULT 0,
    reports BIGINT NOT NULL DEFAULT 0,
    moderation_note TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX community_market_items_district ON community_market_items (district_id, status, id);
CREATE INDEX community_market_items_owner ON community_market_items (owner_id);

CREATE TABLE community_market_requests (
    id {{ID}},
    item_id BIGINT NOT NULL REFERENCES community_market_items(id),
    account_id BIGINT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (item_id, account_id)
);

CREATE TABLE community_market_reports (
    item_id BIGINT NOT NULL REFERENCES community_market_items(id),
    account_id BIGINT NOT NULL,
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (item_id, account_id)
);
