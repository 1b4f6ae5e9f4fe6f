-- The meeting link of an online or hybrid event (Zoom and the like), encrypted at rest: shown only
-- to confirmed participants, from an hour before the start until the end (docs/community.md).
ALTER TABLE community_events ADD COLUMN meeting_link_enc TEXT NOT NULL DEFAULT '';
