-- A counter that moves whenever what booking reads from the directory may have changed: service
-- points and who serves there, services and where they are offered, opening hours, exceptions
-- and mobile stops. Booking keeps these in memory and trusts them only while it stands still.
CREATE SEQUENCE directory_change;

CREATE FUNCTION directory_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM nextval('directory_change');
  RETURN NULL;
END
$$;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['organisation', 'service_point', 'service_point_member', 'service', 'service_offering',
                           'weekly_hours', 'opening_exception', 'mobile_stop'] LOOP
    EXECUTE format('CREATE TRIGGER directory_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
                   'FOR EACH STATEMENT EXECUTE FUNCTION directory_changed()', t);
  END LOOP;
END
$$;
