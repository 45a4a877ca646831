-- Invariant 4: a message (confirmation, reminder, notice of a change, cancellation) is queued in
-- the transaction of the booking change that causes it, at most once per booking, kind, reminder
-- offset and version of the booking, survives restarts, and is retried until delivered or
-- visibly given up.
CREATE TABLE mail_message (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    booking_id       uuid NOT NULL REFERENCES booking (id) ON DELETE CASCADE,
    kind             text NOT NULL CHECK (kind IN ('confirmation', 'reminder', 'rescheduled', 'cancellation')),
    offset_minutes   int NOT NULL DEFAULT 0,   -- reminders: minutes before the start
    booking_sequence int NOT NULL,             -- the booking's SEQUENCE when the message was queued
    recipient        text,                     -- removed with the booking's other personal data
    language         text NOT NULL CHECK (language IN ('sv', 'en')),
    due_at           timestamptz NOT NULL,
    status           text NOT NULL DEFAULT 'queued'
                     CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'withdrawn', 'skipped')),
    attempts         int NOT NULL DEFAULT 0,
    last_error       text,
    message_id       text NOT NULL UNIQUE,     -- the Message-ID header, the same on every attempt
    claim            uuid,                     -- the worker pass that holds it while sending
    lease_until      timestamptz,              -- after this, another worker may take it over
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz,
    UNIQUE (booking_id, kind, offset_minutes, booking_sequence)
);
CREATE INDEX mail_message_due_idx ON mail_message (due_at) WHERE status IN ('queued', 'sending');
CREATE INDEX mail_message_booking_idx ON mail_message (booking_id);
