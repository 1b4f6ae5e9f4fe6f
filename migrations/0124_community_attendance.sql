-- Attendance at events (src/community, docs/community.md "Attendance"): staff mark a confirmed
-- participant attended or no-show at the event; the participant sees it in their history.
-- Weekly series of space bookings: every booking of one series carries the series id (the first
-- booking's id), saved all or nothing in one transaction with the slot table.
ALTER TABLE community_registrations ADD COLUMN attendance TEXT NOT NULL DEFAULT '';
ALTER TABLE community_registrations ADD COLUMN attendance_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE community_registrations ADD COLUMN attendance_by BIGINT NOT NULL DEFAULT 0;
ALTER TABLE community_bookings ADD COLUMN series_id BIGINT NOT NULL DEFAULT 0;
