-- A paused counter says why (lunch, a meeting, admin work, something else) and since when, so that
-- colleagues at the point see it in their consoles' list of counters. Both are kept only while the
-- session is paused: resuming or closing clears them.
ALTER TABLE counter_session
    ADD COLUMN pause_reason text CHECK (pause_reason IN ('lunch', 'meeting', 'admin', 'other')),
    ADD COLUMN paused_at    timestamptz,
    ADD CONSTRAINT counter_session_pause_only_when_paused
        CHECK (status = 'paused' OR (pause_reason IS NULL AND paused_at IS NULL));
