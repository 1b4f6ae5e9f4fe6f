-- What an event gives away (e.g. 10 kg of kimchi per participant to the family centre), recorded
-- as an in-kind gift in the giving module's ledger (src/giving/store.hpp add_gift, in the same
-- transaction) and linked to the event here (docs/community.md "In-kind gifts").
CREATE TABLE community_event_gifts (
    id {{ID}},
    event_id BIGINT NOT NULL REFERENCES community_events(id),
    gift_id BIGINT NOT NULL,
    campaign_code TEXT NOT NULL,
    items TEXT NOT NULL,
    recipient TEXT NOT NULL,
    amount_krw BIGINT NOT NULL CHECK (amount_krw > 0),
    recorded_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX community_event_gifts_event ON community_event_gifts (event_id);
