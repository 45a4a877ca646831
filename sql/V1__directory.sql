-- Servicepunkt directory: who serves where, when, and with which services.
-- Instants are timestamptz; weekly hours and dated exceptions are local clock times
-- interpreted in the service point's own time zone.

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE organisation (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX organisation_name_key ON organisation (lower(name));

CREATE TABLE service_point (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL REFERENCES organisation (id),  -- the host, who runs the premises
    name            text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('office', 'mobile')),
    time_zone       text NOT NULL,
    street          text,
    postal_code     text,
    city            text,
    description     text,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX service_point_organisation_idx ON service_point (organisation_id);

-- Joint operation: other organisations that serve at a service point besides its host.
CREATE TABLE service_point_member (
    service_point_id uuid NOT NULL REFERENCES service_point (id) ON DELETE CASCADE,
    organisation_id  uuid NOT NULL REFERENCES organisation (id),
    PRIMARY KEY (service_point_id, organisation_id)
);

CREATE TABLE service (
    id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id       uuid NOT NULL REFERENCES organisation (id),
    name_sv               text NOT NULL,
    name_en               text NOT NULL,
    ticket_letter         char(1) NOT NULL CHECK (ticket_letter ~ '^[A-Z]$'),
    duration_minutes      int NOT NULL CHECK (duration_minutes BETWEEN 5 AND 480),
    channels              text[] NOT NULL CHECK (cardinality(channels) > 0 AND channels <@ ARRAY['desk', 'video']),
    min_notice_minutes    int NOT NULL DEFAULT 60 CHECK (min_notice_minutes >= 0),
    horizon_days          int NOT NULL DEFAULT 60 CHECK (horizon_days BETWEEN 1 AND 366),
    cancel_cutoff_minutes int NOT NULL DEFAULT 120 CHECK (cancel_cutoff_minutes >= 0),
    created_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX service_organisation_idx ON service (organisation_id);

-- Which services are offered at which service point.
CREATE TABLE service_offering (
    service_point_id uuid NOT NULL REFERENCES service_point (id) ON DELETE CASCADE,
    service_id       uuid NOT NULL REFERENCES service (id) ON DELETE CASCADE,
    PRIMARY KEY (service_point_id, service_id)
);
CREATE INDEX service_offering_service_idx ON service_offering (service_id);

CREATE TABLE counter (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    service_point_id uuid NOT NULL REFERENCES service_point (id) ON DELETE CASCADE,
    name             text NOT NULL,
    channel          text NOT NULL DEFAULT 'desk' CHECK (channel IN ('desk', 'video'))
);
CREATE UNIQUE INDEX counter_name_key ON counter (service_point_id, lower(name));

CREATE TABLE weekly_hours (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    service_point_id uuid NOT NULL REFERENCES service_point (id) ON DELETE CASCADE,
    weekday          int NOT NULL CHECK (weekday BETWEEN 1 AND 7),  -- ISO: 1 = Monday
    opens            time NOT NULL,
    closes           time NOT NULL,
    CHECK (opens < closes)
);
CREATE INDEX weekly_hours_point_idx ON weekly_hours (service_point_id, weekday);

-- A dated exception replaces the weekly hours of that local date: closed, or other hours.
CREATE TABLE opening_exception (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    service_point_id uuid NOT NULL REFERENCES service_point (id) ON DELETE CASCADE,
    day              date NOT NULL,
    closed           boolean NOT NULL,
    opens            time,
    closes           time,
    reason           text,
    UNIQUE (service_point_id, day),
    CHECK ((closed AND opens IS NULL AND closes IS NULL)
        OR (NOT closed AND opens IS NOT NULL AND closes IS NOT NULL AND opens < closes))
);

-- A mobile unit is open only at its stops: a place on a date between two local times.
CREATE TABLE mobile_stop (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    service_point_id uuid NOT NULL REFERENCES service_point (id) ON DELETE CASCADE,
    day              date NOT NULL,
    opens            time NOT NULL,
    closes           time NOT NULL,
    place            text NOT NULL,
    street           text,
    city             text,
    CHECK (opens < closes)
);
CREATE INDEX mobile_stop_point_idx ON mobile_stop (service_point_id, day);

CREATE TABLE staff (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id  uuid REFERENCES organisation (id),   -- NULL only for system administrators
    email            text NOT NULL,
    display_name     text NOT NULL,
    password_hash    text NOT NULL,
    roles            text[] NOT NULL CHECK (roles <@ ARRAY['staff', 'admin', 'sysadmin'] AND cardinality(roles) > 0),
    active           boolean NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (organisation_id IS NOT NULL OR 'sysadmin' = ANY (roles))
);
CREATE UNIQUE INDEX staff_email_key ON staff (lower(email));
CREATE INDEX staff_organisation_idx ON staff (organisation_id);

CREATE TABLE staff_skill (
    staff_id   uuid NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    service_id uuid NOT NULL REFERENCES service (id) ON DELETE CASCADE,
    PRIMARY KEY (staff_id, service_id)
);

-- A shift makes a member of staff available at a service point, at its desks or by video.
-- No member of staff works two overlapping shifts.
CREATE TABLE shift (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    staff_id         uuid NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    service_point_id uuid NOT NULL REFERENCES service_point (id) ON DELETE CASCADE,
    channel          text NOT NULL CHECK (channel IN ('desk', 'video')),
    period           tstzrange NOT NULL CHECK (NOT isempty(period) AND lower_inc(period) AND NOT upper_inc(period)),
    EXCLUDE USING gist (staff_id WITH =, period WITH &&)
);
CREATE INDEX shift_point_period_idx ON shift USING gist (service_point_id, period);

-- Failed sign-ins per e-mail address (known or not, so a lock-out reveals nothing).
CREATE TABLE login_throttle (
    email_key     text PRIMARY KEY,
    failures      int NOT NULL,
    first_failure timestamptz NOT NULL,
    locked_until  timestamptz
);
