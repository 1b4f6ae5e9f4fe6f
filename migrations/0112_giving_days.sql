-- Donation days (모금의 날, docs/giving.md "Campaigns"): events of a campaign — a day within its
-- period, a title, a place, optionally the dong whose counter hosts it (0: district-wide).
CREATE TABLE giving_days (
    id {{ID}},
    campaign_id BIGINT NOT NULL REFERENCES giving_campaigns(id),
    day TEXT NOT NULL,
    title_ko TEXT NOT NULL,
    title_en TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    dong_id BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (campaign_id, day, title_ko)
);
