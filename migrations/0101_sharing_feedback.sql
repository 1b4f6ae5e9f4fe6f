-- Help matching (src/sharing, docs/sharing.md): feedback from both sides of a completed
-- connection, and withdrawal and edits of offers and needs by their owner.
--
-- Feedback is private to managers (never shown publicly, never a star rating): side helper or
-- recipient; outcome helped, partly, not_helped or concern; the reason (encrypted) says why.
-- One per side; written by the side's account, or by a manager for a side entered on a person's
-- behalf (consent_method in_person, phone or paper).
CREATE TABLE sharing_feedback (
    id {{ID}},
    connection_id BIGINT NOT NULL REFERENCES sharing_connections(id),
    district_id BIGINT NOT NULL REFERENCES districts(id),
    side TEXT NOT NULL,
    outcome TEXT NOT NULL,
    reason_enc TEXT NOT NULL DEFAULT '',
    written_by BIGINT NOT NULL REFERENCES accounts(id),
    consent_method TEXT NOT NULL DEFAULT 'self',
    at BIGINT NOT NULL,
    CHECK (side IN ('helper', 'recipient')),
    CHECK (outcome IN ('helped', 'partly', 'not_helped', 'concern')),
    UNIQUE (connection_id, side)
);

-- When the owner withdrew it (0: not; an offer becomes withdrawn, a need closed) and last edited
-- it (an edit of a vetted field sends it back to pending).
ALTER TABLE sharing_offers ADD COLUMN withdrawn_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sharing_offers ADD COLUMN edited_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sharing_needs ADD COLUMN withdrawn_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sharing_needs ADD COLUMN edited_at BIGINT NOT NULL DEFAULT 0;
