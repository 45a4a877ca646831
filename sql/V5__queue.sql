-- The live queue: tickets (walk-ins, checked-in bookings, video visitors), the counters that
-- call them, and the events that screens, visitors and staff follow.

-- A member of staff serving at a counter. The channels say which visitors the counter takes
-- (a desk counter desk visitors, a video room video visitors; both when staff take both).
CREATE TABLE counter_session (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    counter_id uuid NOT NULL REFERENCES counter (id) ON DELETE CASCADE,
    staff_id   uuid NOT NULL REFERENCES staff (id),
    channels   text[] NOT NULL CHECK (cardinality(channels) > 0 AND channels <@ ARRAY['desk', 'video']),
    status     text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'paused', 'closed')),
    opened_at  timestamptz NOT NULL DEFAULT now(),
    closed_at  timestamptz,
    CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);
CREATE UNIQUE INDEX counter_session_one_per_counter ON counter_session (counter_id) WHERE status <> 'closed';
CREATE UNIQUE INDEX counter_session_one_per_staff ON counter_session (staff_id) WHERE status <> 'closed';

-- Ticket numbers restart every local day: the last number given per point, day and letter.
CREATE TABLE ticket_number (
    service_point_id uuid NOT NULL REFERENCES service_point (id) ON DELETE CASCADE,
    local_date       date NOT NULL,
    letter           char(1) NOT NULL,
    last_number      int NOT NULL,
    PRIMARY KEY (service_point_id, local_date, letter)
);

CREATE TABLE ticket (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    service_point_id uuid NOT NULL REFERENCES service_point (id) ON DELETE CASCADE,
    service_id       uuid NOT NULL REFERENCES service (id),
    channel          text NOT NULL CHECK (channel IN ('desk', 'video')),
    local_date       date NOT NULL,
    number           text NOT NULL,
    token_hash       bytea NOT NULL,
    language         text NOT NULL CHECK (language IN ('sv', 'en')),
    priority_reason  text,
    booking_id       uuid UNIQUE REFERENCES booking (id) ON DELETE SET NULL,
    booked_start     timestamptz,          -- a booked visitor keeping the booked place in the queue
    arrived_at       timestamptz NOT NULL,  -- first arrival; kept when transferred
    arrival          bigint GENERATED ALWAYS AS IDENTITY,  -- order of arrival among equal times
    status           text NOT NULL DEFAULT 'waiting'
                     CHECK (status IN ('waiting', 'called', 'serving', 'done', 'no_show', 'expired', 'cancelled')),
    session_id       uuid REFERENCES counter_session (id) ON DELETE SET NULL,
    counter_id       uuid REFERENCES counter (id) ON DELETE SET NULL,
    staff_id         uuid REFERENCES staff (id),
    called_at        timestamptz,
    recalls          int NOT NULL DEFAULT 0,
    started_at       timestamptz,
    finished_at      timestamptz,
    outcome          text,
    video_room       text,
    transfers        int NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now()
);
-- Invariant 2: ticket numbers are unique per service point and local day.
CREATE UNIQUE INDEX ticket_number_key ON ticket (service_point_id, local_date, number);
CREATE INDEX ticket_open_idx ON ticket (service_point_id, status) WHERE status IN ('waiting', 'called', 'serving');
CREATE INDEX ticket_done_idx ON ticket (service_point_id, service_id, finished_at) WHERE status = 'done';

-- One row per point: the last event id (the row lock orders a point's events by commit) and
-- how many ordinary visitors were called since the last priority visitor.
CREATE TABLE queue_state (
    service_point_id        uuid PRIMARY KEY REFERENCES service_point (id) ON DELETE CASCADE,
    last_event_id           bigint NOT NULL DEFAULT 0,
    ordinary_since_priority int NOT NULL DEFAULT 0
);

-- Invariant 5: every change to a queue is an event whose id grows per service point.
CREATE TABLE queue_event (
    service_point_id uuid NOT NULL REFERENCES service_point (id) ON DELETE CASCADE,
    id               bigint NOT NULL,
    type             text NOT NULL,
    data             jsonb NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service_point_id, id)
);
CREATE INDEX queue_event_created_idx ON queue_event (created_at);

-- Read-only tokens for reception screens, created and revoked by an administrator.
CREATE TABLE display_token (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    service_point_id uuid NOT NULL REFERENCES service_point (id) ON DELETE CASCADE,
    name             text NOT NULL,
    token_hash       bytea NOT NULL UNIQUE,
    created_by       uuid REFERENCES staff (id) ON DELETE SET NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    revoked_at       timestamptz
);
CREATE INDEX display_token_point_idx ON display_token (service_point_id);
