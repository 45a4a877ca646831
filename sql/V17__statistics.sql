-- Statistics (issue 14): figures per organisation, service point, service, channel, local day and
-- local hour, kept up to date as the facts happen, so that a year's report reads a few thousand
-- rows instead of every ticket and booking, and still adds up after the retention job has removed
-- the personal data.
--
-- How: triggers on ticket, booking and shift append small anonymous rows (no names, no ids of
-- residents, bookings or tickets) to stats_delta in the transaction of the change itself; a job
-- folds them every few seconds into stats_cell with one statement. Appending never waits for
-- another transaction (no shared row to lock), so busy points do not queue behind their counters;
-- a report adds the deltas not yet folded, so it is never behind.

-- The target of a service's waiting time: a visitor called within it counts as "within target".
ALTER TABLE service ADD COLUMN wait_target_minutes int NOT NULL DEFAULT 15
    CHECK (wait_target_minutes BETWEEN 1 AND 180);

-- Who cancelled a booking (the resident, staff, or an erasure under the GDPR); NULL for bookings
-- cancelled before this column existed.
ALTER TABLE booking ADD COLUMN cancelled_by text CHECK (cancelled_by IN ('resident', 'staff', 'erasure'));

-- The first time a ticket was called (a recall or a return to the queue moves called_at, not this):
-- the end of its waiting time.
ALTER TABLE ticket ADD COLUMN first_called_at timestamptz;

-- The kept figures. A row is one metric of one key; `hour` is the local hour at the point (0-23),
-- -1 for the whole local day, or -2 for the whole local month (then `day` is its first day). All
-- three are kept, so a report by day reads the day rows only, and a year by month or in total the
-- month rows only (a few hundred per service instead of a year of days). `bucket` splits a distribution: for 'wait' and 'service' the minutes begun (0: none,
-- 1: up to a minute, ..., 180: 180 or more), for 'lead' the whole days from booking to
-- appointment (up to 180), for searches the days ahead of the first day searched (up to 180);
-- -1 otherwise. `n` counts (it can be negative for a change that takes back an earlier count),
-- `total` sums seconds or minutes (see README "Statistics" for each metric).
-- service_id is the nil uuid for figures of no single service (shift minutes, which belong to the
-- staff's organisation).
CREATE TABLE stats_cell (
    service_point_id uuid NOT NULL,
    day              date NOT NULL,
    hour             smallint NOT NULL CHECK (hour BETWEEN -2 AND 23),
    organisation_id  uuid NOT NULL,
    service_id       uuid NOT NULL,
    channel          text NOT NULL,
    metric           text NOT NULL,
    bucket           smallint NOT NULL DEFAULT -1,
    n                bigint NOT NULL DEFAULT 0,
    total            bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (service_point_id, day, hour, organisation_id, service_id, channel, metric, bucket)
);
CREATE INDEX stats_cell_organisation_idx ON stats_cell (organisation_id, hour, day);

-- Facts not yet folded. `at` is the instant the fact belongs to; a span (shift minutes, booked
-- minutes) runs from `at` to `until` and is split into the local hours it covers when folded.
-- organisation_id NULL: the service's organisation.
CREATE TABLE stats_delta (
    service_point_id uuid NOT NULL,
    organisation_id  uuid,
    service_id       uuid NOT NULL,
    channel          text NOT NULL,
    at               timestamptz NOT NULL,
    until            timestamptz,
    metric           text NOT NULL,
    bucket           smallint NOT NULL DEFAULT -1,
    n                int NOT NULL DEFAULT 1,
    total            bigint NOT NULL DEFAULT 0
);

-- Minutes begun of a duration, 0..180 (180: three hours or more).
CREATE FUNCTION stats_minutes_bucket(d interval) RETURNS smallint LANGUAGE sql IMMUTABLE AS $$
  SELECT least(180, greatest(0, ceil(extract(epoch FROM d) / 60)))::smallint
$$;

-- The first call of a ticket.
CREATE FUNCTION stats_ticket_first_call() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.first_called_at := NEW.called_at;
  RETURN NEW;
END
$$;

CREATE TRIGGER stats_ticket_first_call
  BEFORE UPDATE OF called_at ON ticket
  FOR EACH ROW WHEN (NEW.called_at IS NOT NULL AND OLD.first_called_at IS NULL)
  EXECUTE FUNCTION stats_ticket_first_call();

-- A booking checked in: counted on its appointment's hour (booked minus checked in = no-shows).
CREATE FUNCTION stats_ticket_checked_in() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stats_delta (service_point_id, service_id, channel, at, metric)
  SELECT b.service_point_id, b.service_id, b.channel, lower(b.period), 'checked_in'
  FROM booking b WHERE b.id = NEW.booking_id;
  RETURN NULL;
END
$$;

CREATE TRIGGER stats_ticket_checked_in
  AFTER INSERT ON ticket
  FOR EACH ROW WHEN (NEW.booking_id IS NOT NULL)
  EXECUTE FUNCTION stats_ticket_checked_in();

-- A ticket's end: served (with its waiting and service time), a no-show when called, left
-- unserved at closing, or left the queue. Counted on the local hour the visitor arrived.
CREATE FUNCTION stats_ticket_ended() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  waited_from timestamptz := greatest(NEW.arrived_at, coalesce(NEW.booked_start, NEW.arrived_at));
BEGIN
  IF NEW.status = 'done' THEN
    INSERT INTO stats_delta (service_point_id, service_id, channel, at, metric, bucket, n, total)
    VALUES (NEW.service_point_id, NEW.service_id, NEW.channel, NEW.arrived_at,
            CASE WHEN NEW.booked_start IS NULL AND NEW.booking_id IS NULL THEN 'served_walk_in' ELSE 'served_booked' END,
            -1, 1, 0);
    IF NEW.first_called_at IS NOT NULL THEN
      INSERT INTO stats_delta (service_point_id, service_id, channel, at, metric, bucket, n, total)
      VALUES (NEW.service_point_id, NEW.service_id, NEW.channel, NEW.arrived_at, 'wait',
              stats_minutes_bucket(NEW.first_called_at - waited_from), 1,
              greatest(0, round(extract(epoch FROM NEW.first_called_at - waited_from)))::bigint);
    END IF;
    IF NEW.started_at IS NOT NULL THEN
      INSERT INTO stats_delta (service_point_id, service_id, channel, at, metric, bucket, n, total)
      VALUES (NEW.service_point_id, NEW.service_id, NEW.channel, NEW.arrived_at, 'service',
              stats_minutes_bucket(NEW.finished_at - NEW.started_at), 1,
              greatest(0, round(extract(epoch FROM NEW.finished_at - NEW.started_at)))::bigint);
    END IF;
  ELSE
    INSERT INTO stats_delta (service_point_id, service_id, channel, at, metric)
    VALUES (NEW.service_point_id, NEW.service_id, NEW.channel, NEW.arrived_at,
            CASE NEW.status WHEN 'no_show' THEN 'no_show_called' WHEN 'expired' THEN 'unserved_at_closing'
                            ELSE 'left_queue' END);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER stats_ticket_ended
  AFTER UPDATE OF status ON ticket
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
                     AND NEW.status IN ('done', 'no_show', 'expired', 'cancelled'))
  EXECUTE FUNCTION stats_ticket_ended();

-- Bookings, counted on their appointment's local hour: made (with the lead time), moved,
-- cancelled (by whom); 'booked' is the net number of active appointments and 'booked_minutes'
-- their minutes, so a move or a cancellation takes back what the booking counted before.
CREATE FUNCTION stats_booking_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    -- one row, which the fold expands into booking_made, booked, lead and booked_minutes: the
    -- booking's own insert, the hot path, writes as little as it can
    INSERT INTO stats_delta (service_point_id, service_id, channel, at, until, metric, bucket, n, total)
    VALUES (NEW.service_point_id, NEW.service_id, NEW.channel, lower(NEW.period), upper(NEW.period), 'booking',
            least(180, greatest(0, floor(extract(epoch FROM lower(NEW.period) - NEW.created_at) / 86400)))::smallint, 1,
            greatest(0, round(extract(epoch FROM lower(NEW.period) - NEW.created_at) / 60))::bigint);
  ELSIF OLD.status = 'active' AND NEW.status = 'cancelled' THEN
    INSERT INTO stats_delta (service_point_id, service_id, channel, at, until, metric, bucket, n, total)
    VALUES (OLD.service_point_id, OLD.service_id, OLD.channel, lower(OLD.period), NULL,
            'cancelled_by_' || coalesce(NEW.cancelled_by, 'unknown'), -1, 1, 0),
           (OLD.service_point_id, OLD.service_id, OLD.channel, lower(OLD.period), NULL, 'booked', -1, -1, 0),
           (OLD.service_point_id, OLD.service_id, OLD.channel, lower(OLD.period), upper(OLD.period), 'booked_minutes',
            -1, -1, 0);
  ELSIF OLD.status = 'active' AND NEW.status = 'active' AND OLD.period <> NEW.period THEN
    INSERT INTO stats_delta (service_point_id, service_id, channel, at, until, metric, bucket, n, total)
    VALUES (NEW.service_point_id, NEW.service_id, NEW.channel, lower(NEW.period), NULL, 'rescheduled', -1, 1, 0),
           (OLD.service_point_id, OLD.service_id, OLD.channel, lower(OLD.period), NULL, 'booked', -1, -1, 0),
           (NEW.service_point_id, NEW.service_id, NEW.channel, lower(NEW.period), NULL, 'booked', -1, 1, 0),
           (OLD.service_point_id, OLD.service_id, OLD.channel, lower(OLD.period), upper(OLD.period), 'booked_minutes',
            -1, -1, 0),
           (NEW.service_point_id, NEW.service_id, NEW.channel, lower(NEW.period), upper(NEW.period), 'booked_minutes',
            -1, 1, 0);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER stats_booking_created
  AFTER INSERT ON booking
  FOR EACH ROW EXECUTE FUNCTION stats_booking_changed();

CREATE TRIGGER stats_booking_changed
  AFTER UPDATE OF status, period ON booking
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.period IS DISTINCT FROM NEW.period)
  EXECUTE FUNCTION stats_booking_changed();

-- Shift minutes offered, for the staff's organisation at the point on the channel (a shift serves
-- every service its person handles, so it is counted for no single service).
CREATE FUNCTION stats_shift_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO stats_delta (service_point_id, organisation_id, service_id, channel, at, until, metric, n)
    SELECT OLD.service_point_id, s.organisation_id, '00000000-0000-0000-0000-000000000000', OLD.channel,
           lower(OLD.period), upper(OLD.period), 'shift_minutes', -1
    FROM staff s WHERE s.id = OLD.staff_id AND s.organisation_id IS NOT NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO stats_delta (service_point_id, organisation_id, service_id, channel, at, until, metric, n)
    SELECT NEW.service_point_id, s.organisation_id, '00000000-0000-0000-0000-000000000000', NEW.channel,
           lower(NEW.period), upper(NEW.period), 'shift_minutes', 1
    FROM staff s WHERE s.id = NEW.staff_id AND s.organisation_id IS NOT NULL;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER stats_shift_changed
  AFTER INSERT OR DELETE OR UPDATE OF period, channel, service_point_id, staff_id ON shift
  FOR EACH ROW EXECUTE FUNCTION stats_shift_changed();

-- Folds the deltas into stats_cell, once per hour of the day, once for the whole day and once for the
-- whole month; a span is
-- split into the local hours it covers (minutes in `total`, n times the sign). Deltas of a service
-- point or service that no longer exists are dropped. Returns the number of deltas folded. Safe to
-- run on several instances at once: each delta is deleted (and so folded) by one of them, and the
-- rows are written in key order, so two folds wait for each other rather than deadlock.
CREATE FUNCTION stats_fold() RETURNS bigint LANGUAGE sql AS $$
  WITH deleted AS (
    DELETE FROM stats_delta RETURNING *
  ), moved AS (
    SELECT d.service_point_id, d.organisation_id, d.service_id, d.channel, d.at, x.until, x.metric, x.bucket, d.n, x.total
    FROM deleted d CROSS JOIN LATERAL (
      SELECT d.until, d.metric, d.bucket, d.total WHERE d.metric <> 'booking'
      UNION ALL SELECT NULL::timestamptz, 'booking_made', -1::smallint, 0::bigint WHERE d.metric = 'booking'
      UNION ALL SELECT NULL, 'booked', -1, 0 WHERE d.metric = 'booking'
      UNION ALL SELECT NULL, 'lead', d.bucket, d.total WHERE d.metric = 'booking'
      UNION ALL SELECT d.until, 'booked_minutes', -1, 0 WHERE d.metric = 'booking') AS x (until, metric, bucket, total)
  ), facts AS (
    SELECT m.service_point_id, coalesce(m.organisation_id, s.organisation_id) AS organisation_id, m.service_id,
           m.channel, m.at AT TIME ZONE p.time_zone AS local, m.metric, m.bucket, m.n, m.total
    FROM moved m JOIN service_point p ON p.id = m.service_point_id LEFT JOIN service s ON s.id = m.service_id
    WHERE m.until IS NULL AND coalesce(m.organisation_id, s.organisation_id) IS NOT NULL
    UNION ALL
    SELECT m.service_point_id, coalesce(m.organisation_id, s.organisation_id), m.service_id, m.channel,
           h.piece AT TIME ZONE p.time_zone, m.metric, m.bucket, m.n,
           m.n * round(extract(epoch FROM least(m.until, h.piece + interval '1 hour') - greatest(m.at, h.piece)) / 60)::bigint
    FROM moved m JOIN service_point p ON p.id = m.service_point_id LEFT JOIN service s ON s.id = m.service_id
    CROSS JOIN LATERAL generate_series(date_trunc('hour', m.at AT TIME ZONE p.time_zone) AT TIME ZONE p.time_zone,
                                       m.until - interval '1 microsecond', interval '1 hour') AS h (piece)
    WHERE m.until IS NOT NULL AND coalesce(m.organisation_id, s.organisation_id) IS NOT NULL
  ), cells AS (
    SELECT f.service_point_id, h.day, h.hour, f.organisation_id, f.service_id, f.channel, f.metric,
           f.bucket, sum(f.n) AS n, sum(f.total) AS total
    FROM facts f CROSS JOIN LATERAL (VALUES (f.local::date, extract(hour FROM f.local)::smallint),
                                            (f.local::date, -1::smallint),
                                            (date_trunc('month', f.local)::date, -2::smallint)) AS h (day, hour)
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
  ), folded AS (
    INSERT INTO stats_cell AS c (service_point_id, day, hour, organisation_id, service_id, channel, metric, bucket, n, total)
    SELECT * FROM cells ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
    ON CONFLICT (service_point_id, day, hour, organisation_id, service_id, channel, metric, bucket)
    DO UPDATE SET n = c.n + EXCLUDED.n, total = c.total + EXCLUDED.total
  )
  SELECT count(*) FROM deleted
$$;

-- What is there already: facts of the past, so the figures start complete. Shifts, bookings and
-- tickets that ended are turned into deltas once, as the triggers would have (a cancellation of
-- the past is of unknown origin, and a past ticket's first call its last), then folded.
INSERT INTO stats_delta (service_point_id, organisation_id, service_id, channel, at, until, metric, n)
SELECT h.service_point_id, s.organisation_id, '00000000-0000-0000-0000-000000000000', h.channel,
       lower(h.period), upper(h.period), 'shift_minutes', 1
FROM shift h JOIN staff s ON s.id = h.staff_id WHERE s.organisation_id IS NOT NULL;

INSERT INTO stats_delta (service_point_id, service_id, channel, at, until, metric, bucket, n, total)
SELECT b.service_point_id, b.service_id, b.channel, lower(b.period), f.until, f.metric, f.bucket, f.n, f.total
FROM booking b CROSS JOIN LATERAL (VALUES
    (NULL::timestamptz, 'booking_made', -1::smallint, 1, 0::bigint),
    (NULL, 'lead', least(180, greatest(0, floor(extract(epoch FROM lower(b.period) - b.created_at) / 86400)))::smallint, 1,
     greatest(0, round(extract(epoch FROM lower(b.period) - b.created_at) / 60))::bigint),
    (NULL, CASE WHEN b.status = 'active' THEN 'booked' ELSE 'cancelled_by_unknown' END, -1, 1, 0),
    (CASE WHEN b.status = 'active' THEN upper(b.period) END, 'booked_minutes', -1,
     CASE WHEN b.status = 'active' THEN 1 ELSE 0 END, 0)) AS f (until, metric, bucket, n, total)
WHERE f.n <> 0;

INSERT INTO stats_delta (service_point_id, service_id, channel, at, metric)
SELECT b.service_point_id, b.service_id, b.channel, lower(b.period), 'checked_in'
FROM ticket t JOIN booking b ON b.id = t.booking_id;

INSERT INTO stats_delta (service_point_id, service_id, channel, at, metric, bucket, n, total)
SELECT t.service_point_id, t.service_id, t.channel, t.arrived_at, f.metric, f.bucket, 1, f.total
FROM ticket t CROSS JOIN LATERAL (VALUES
    (CASE t.status WHEN 'done' THEN CASE WHEN t.booked_start IS NULL AND t.booking_id IS NULL THEN 'served_walk_in'
                                         ELSE 'served_booked' END
                   WHEN 'no_show' THEN 'no_show_called' WHEN 'expired' THEN 'unserved_at_closing'
                   WHEN 'cancelled' THEN 'left_queue' END, -1::smallint, 0::bigint),
    (CASE WHEN t.status = 'done' AND t.called_at IS NOT NULL THEN 'wait' END,
     stats_minutes_bucket(t.called_at - greatest(t.arrived_at, coalesce(t.booked_start, t.arrived_at))),
     greatest(0, round(extract(epoch FROM t.called_at - greatest(t.arrived_at, coalesce(t.booked_start, t.arrived_at)))))::bigint),
    (CASE WHEN t.status = 'done' AND t.started_at IS NOT NULL THEN 'service' END,
     stats_minutes_bucket(t.finished_at - t.started_at),
     greatest(0, round(extract(epoch FROM t.finished_at - t.started_at)))::bigint)) AS f (metric, bucket, total)
WHERE f.metric IS NOT NULL;

UPDATE ticket SET first_called_at = called_at WHERE called_at IS NOT NULL;

SELECT stats_fold();
