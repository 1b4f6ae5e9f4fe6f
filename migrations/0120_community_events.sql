-- Community events (src/community, docs/community.md): capacity, waitlist in arrival order and
-- time-limited offers. `taken` counts the places held (confirmed, or offered to the next on the
-- waitlist); a registration takes one with a conditional UPDATE (taken < capacity) in the same
-- transaction as its insert, and the CHECK makes over-allocation impossible whatever the
-- concurrency. `seq` numbers registrations in arrival order (the row lock of that UPDATE orders
-- them). Times are Unix seconds (UTC).
CREATE TABLE community_events (
    id {{ID}},
    district_id BIGINT NOT NULL REFERENCES districts(id),
    dong_id BIGINT NOT NULL DEFAULT 0,
    organization_id BIGINT NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    mode TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    eligibility TEXT NOT NULL DEFAULT '',
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    closes_at BIGINT NOT NULL,
    capacity BIGINT NOT NULL CHECK (capacity > 0),
    waitlist BIGINT NOT NULL DEFAULT 1,
    offer_hours BIGINT NOT NULL DEFAULT 48 CHECK (offer_hours BETWEEN 24 AND 72),
    allocation TEXT NOT NULL DEFAULT 'first_come',
    status TEXT NOT NULL DEFAULT 'open',
    taken BIGINT NOT NULL DEFAULT 0,
    seq BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (taken >= 0 AND taken <= capacity)
);
CREATE INDEX community_events_district ON community_events (district_id, starts_at);

-- One registration per person and event. status: applied (awaiting a draw), confirmed,
-- waitlisted, offered (a freed place, until offer_expires_at), cancelled, lapsed (offer not taken),
-- event_cancelled. `details_enc` (name and phone for the organizer) is kept only for confirmed
-- registrations: the waitlisted give them when promoted.
CREATE TABLE community_registrations (
    id {{ID}},
    event_id BIGINT NOT NULL REFERENCES community_events(id),
    account_id BIGINT NOT NULL,
    status TEXT NOT NULL,
    position BIGINT NOT NULL,
    details_enc TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    offered_at BIGINT NOT NULL DEFAULT 0,
    offer_expires_at BIGINT NOT NULL DEFAULT 0,
    UNIQUE (event_id, account_id)
);
CREATE INDEX community_registrations_event ON community_registrations (event_id, status, position);
CREATE INDEX community_registrations_account ON community_registrations (account_id);
CREATE INDEX community_registrations_offers ON community_registrations (status, offer_expires_at);
