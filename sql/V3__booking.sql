-- Bookings: one staff resource holds one active booking at a time, enforced by PostgreSQL.

CREATE TABLE booking (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    reference         text NOT NULL UNIQUE,             -- short, human-readable, e.g. K7XM-2QPD
    manage_token_hash bytea NOT NULL,                   -- SHA-256 of the resident's manage token
    service_point_id  uuid NOT NULL REFERENCES service_point (id),
    service_id        uuid NOT NULL REFERENCES service (id),
    staff_id          uuid NOT NULL REFERENCES staff (id),
    channel           text NOT NULL CHECK (channel IN ('desk', 'video')),
    period            tstzrange NOT NULL CHECK (NOT isempty(period) AND lower_inc(period) AND NOT upper_inc(period)),
    status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
    language          text NOT NULL CHECK (language IN ('sv', 'en')),
    name              text,                             -- personal data, removed by the retention job
    email             text,
    phone             text,
    video_room        text,                             -- unguessable room name for video bookings
    sequence          int NOT NULL DEFAULT 0,           -- iCalendar SEQUENCE: grows on every change
    created_by        uuid REFERENCES staff (id) ON DELETE SET NULL,  -- staff who booked by phone
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    cancelled_at      timestamptz,
    anonymised_at     timestamptz,
    CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
    CHECK ((channel = 'video') = (video_room IS NOT NULL)),
    CONSTRAINT booking_no_double_booking EXCLUDE USING gist (staff_id WITH =, period WITH &&) WHERE (status = 'active')
);
CREATE INDEX booking_point_period_idx ON booking USING gist (service_point_id, period);
CREATE INDEX booking_retention_idx ON booking (upper(period)) WHERE anonymised_at IS NULL;

-- A retried POST /bookings with the same Idempotency-Key gets the first answer. Only hashes of the
-- key are stored, and the answer (which holds the manage token) is encrypted with a key derived
-- from the Idempotency-Key, which only the client knows.
CREATE TABLE idempotent_request (
    key_hash      bytea PRIMARY KEY,
    request_hash  bytea NOT NULL,
    status        int,
    response      bytea,
    created_at    timestamptz NOT NULL DEFAULT now()
);
