-- The cap of coming bookings per e-mail address and service (activeBookingsPerEmail) is held by a
-- trigger on the resident's own insert instead of a lock, insert and unlock sent by the server:
-- the trigger takes the address's advisory lock, then counts with a fresh snapshot (each statement
-- of a PL/pgSQL function sees one in READ COMMITTED), so it sees every booking of the address
-- committed before, its own included; the lock lasts until the booking's transaction ends, so two
-- bookings racing cannot both slip under the cap. Over the cap the insert fails with SQLSTATE
-- SP409 and nothing is booked. Staff booking on a resident's behalf (created_by set) are exempt.
-- The cap itself is written here by each instance at start-up, as mail_setting is.
CREATE TABLE booking_setting (
    active_per_email integer NOT NULL CHECK (active_per_email > 0)
);
INSERT INTO booking_setting (active_per_email) VALUES (3);

CREATE FUNCTION booking_within_email_cap() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  cap  integer;
  held bigint;
BEGIN
  SELECT active_per_email INTO cap FROM booking_setting;
  PERFORM pg_advisory_xact_lock(hashtextextended(lower(NEW.email) || '/' || NEW.service_id, 7));
  SELECT count(*) INTO held FROM booking
  WHERE lower(email) = lower(NEW.email) AND service_id = NEW.service_id AND status = 'active'
    AND upper(period) > NEW.created_at;
  IF held > cap THEN
    RAISE EXCEPTION 'the address already holds % coming bookings of the service', cap USING ERRCODE = 'SP409';
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER booking_email_cap AFTER INSERT ON booking FOR EACH ROW
  WHEN (NEW.created_by IS NULL AND NEW.email IS NOT NULL)
  EXECUTE FUNCTION booking_within_email_cap();
