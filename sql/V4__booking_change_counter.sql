-- A counter that moves whenever the set of busy times may have changed (a booking is made,
-- moved, cancelled or deleted), however the change is made. Availability keeps each person's
-- busy times in memory and trusts them only while this counter stands still.
CREATE SEQUENCE booking_change;

CREATE FUNCTION booking_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM nextval('booking_change');
  RETURN NULL;
END
$$;

CREATE TRIGGER booking_changed
  AFTER INSERT OR DELETE OR UPDATE OF status, period, staff_id ON booking
  FOR EACH STATEMENT EXECUTE FUNCTION booking_changed();
