-- Fair, verifiable draws (src/community/draw.hpp, docs/community.md "Draws"). A draw is frozen
-- with its entrants (pseudonymous entry codes), the hash of their list, the rule, the number of
-- winners, the source of the seed and the legal basis, before the seed is known. Each run records
-- its seed and result; a run after the first needs a reason, and every run stays (no delete).
CREATE TABLE community_draws (
    id {{ID}},
    district_id BIGINT NOT NULL REFERENCES districts(id),
    dong_id BIGINT NOT NULL DEFAULT 0,
    organization_id BIGINT NOT NULL DEFAULT 0,
    event_id BIGINT NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    rule TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    seed_source TEXT NOT NULL,
    winner_count BIGINT NOT NULL CHECK (winner_count > 0),
    entrant_count BIGINT NOT NULL,
    list_hash TEXT NOT NULL,
    runs BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    CHECK (winner_count <= entrant_count)
);
CREATE INDEX community_draws_district ON community_draws (district_id, id);

-- The frozen entrants: the code is public, the masked name is shown only for winners, the
-- account and registration stay with the organizers.
CREATE TABLE community_draw_entrants (
    draw_id BIGINT NOT NULL REFERENCES community_draws(id),
    code TEXT NOT NULL,
    masked TEXT NOT NULL,
    account_id BIGINT NOT NULL DEFAULT 0,
    registration_id BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (draw_id, code)
);

CREATE TABLE community_draw_runs (
    id {{ID}},
    draw_id BIGINT NOT NULL REFERENCES community_draws(id),
    run_no BIGINT NOT NULL,
    seed TEXT NOT NULL,
    reason TEXT NOT NULL,
    draw_key TEXT NOT NULL,
    result TEXT NOT NULL,
    at BIGINT NOT NULL,
    by_account BIGINT NOT NULL,
    UNIQUE (draw_id, run_no)
);
