-- Meeting spaces booked by the hour (src/community/spaces.hpp, docs/community.md "Spaces"). A
-- booking holds one row per hour in community_booking_slots, whose primary key makes a double
-- booking impossible on SQLite and PostgreSQL alike, whatever the concurrency; a rejected or
-- cancelled booking gives its hours back. Hours are local (Asia/Seoul), 0-24, within one day.
CREATE TABLE community_spaces (
    id {{ID}},
    district_id BIGINT NOT NULL REFERENCES districts(id),
    dong_id BIGINT NOT NULL DEFAULT 0,
    organization_id BIGINT NOT NULL DEFAULT 0,
    name TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    capacity BIGINT NOT NULL CHECK (capacity > 0),
    opens_hour BIGINT NOT NULL CHECK (opens_hour BETWEEN 0 AND 23),
    closes_hour BIGINT NOT NULL CHECK (closes_hour BETWEEN 1 AND 24),
    equipment TEXT NOT NULL DEFAULT '',
    accessibility TEXT NOT NULL DEFAULT '',
    fee_note TEXT NOT NULL DEFAULT '',
    fee_source TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    CHECK (opens_hour < closes_hour)
);

CREATE TABLE community_bookings (
    id {{ID}},
    space_id BIGINT NOT NULL REFERENCES community_spaces(id),
    account_id BIGINT NOT NULL,
    day TEXT NOT NULL,
    start_hour BIGINT NOT NULL,
    end_hour BIGINT NOT NULL,
    purpose TEXT NOT NULL,
    attendees BIGINT NOT NULL,
    status TEXT NOT NULL,
    decided_by BIGINT NOT NULL DEFAULT 0,
    decided_at BIGINT NOT NULL DEFAULT 0,
    decision_note TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    CHECK (start_hour >= 0 AND end_hour <= 24 AND start_hour < end_hour)
);
CREATE INDEX community_bookings_space ON community_bookings (space_id, day);
CREATE INDEX community_bookings_account ON community_bookings (account_id);

CREATE TABLE community_booking_slots (
    space_id BIGINT NOT NULL REFERENCES community_spaces(id),
    day TEXT NOT NULL,
    hour BIGINT NOT NULL,
    booking_id BIGINT NOT NULL REFERENCES community_bookings(id),
    PRIMARY KEY (space_id, day, hour)
);
