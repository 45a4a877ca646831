-- Revocable staff access (issue 13): a token names the session version it was issued at, and is
-- good only while the member of staff is active and their version has not moved. Deactivation, a
-- change of roles, organisation or password, and signing out move it; every instance notices at
-- the next request, through a counter every change to staff advances.
ALTER TABLE staff ADD COLUMN session_version int NOT NULL DEFAULT 0;

CREATE FUNCTION staff_sessions_end() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.active IS DISTINCT FROM OLD.active OR NEW.roles IS DISTINCT FROM OLD.roles
     OR NEW.organisation_id IS DISTINCT FROM OLD.organisation_id OR NEW.password_hash IS DISTINCT FROM OLD.password_hash
  THEN
    NEW.session_version := OLD.session_version + 1;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER staff_sessions_end BEFORE UPDATE ON staff FOR EACH ROW EXECUTE FUNCTION staff_sessions_end();

CREATE SEQUENCE staff_access_change;
CREATE FUNCTION staff_access_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM nextval('staff_access_change');
  RETURN NULL;
END $$;
CREATE TRIGGER staff_access_changed AFTER UPDATE OR DELETE OR TRUNCATE ON staff
  FOR EACH STATEMENT EXECUTE FUNCTION staff_access_changed();
