-- The outbox is filled by triggers on the booking table, in the transaction of the booking change
-- that causes the messages, so that booking knows nothing of e-mail and every change (made by the
-- server or in SQL) queues what it should. A new booking with an address queues its confirmation
-- and the reminders still ahead; a move queues a notice and new reminders; a cancellation queues
-- a notice; both withdraw the reminders still waiting. The unique key (booking, kind, reminder
-- offset, booking sequence) keeps a message from being queued twice.
--
-- The time of a change is the booking's own: created_at for a new booking, updated_at for a
-- change (the server writes both from its clock).

-- What the triggers need from the configuration: the reminder offsets (mailReminders) and the
-- right-hand side of Message-IDs. One row, written by the server at start-up; instances of one
-- installation share one configuration.
CREATE TABLE mail_setting (
    id               boolean PRIMARY KEY DEFAULT true CHECK (id),
    reminder_minutes int[] NOT NULL,
    message_domain   text NOT NULL
);
INSERT INTO mail_setting (reminder_minutes, message_domain) VALUES ('{}', 'localhost');

CREATE FUNCTION mail_queue_for_booking() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  setting mail_setting;
  notice  text;
  changed timestamptz;
BEGIN
  SELECT * INTO setting FROM mail_setting;
  IF TG_OP = 'INSERT' THEN
    notice := 'confirmation';
    changed := NEW.created_at;
  ELSE
    UPDATE mail_message SET status = 'withdrawn'
    WHERE booking_id = NEW.id AND kind = 'reminder' AND status = 'queued';
    notice := CASE WHEN NEW.status = 'cancelled' THEN 'cancellation' ELSE 'rescheduled' END;
    changed := NEW.updated_at;
  END IF;
  INSERT INTO mail_message (booking_id, kind, offset_minutes, booking_sequence, recipient, language, due_at, message_id)
  SELECT NEW.id, q.kind, q.minutes, NEW.sequence, NEW.email, NEW.language, q.due,
         '<' || gen_random_uuid() || '@' || setting.message_domain || '>'
  FROM (
    SELECT notice AS kind, 0 AS minutes, changed AS due
    UNION ALL
    SELECT 'reminder', o.minutes, lower(NEW.period) - make_interval(mins => o.minutes)
    FROM unnest(setting.reminder_minutes) AS o (minutes)
    WHERE NEW.status = 'active'
  ) q
  WHERE q.kind <> 'reminder' OR q.due > changed
  ON CONFLICT (booking_id, kind, offset_minutes, booking_sequence) DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER mail_booking_created
  AFTER INSERT ON booking
  FOR EACH ROW WHEN (NEW.email IS NOT NULL)
  EXECUTE FUNCTION mail_queue_for_booking();

CREATE TRIGGER mail_booking_changed
  AFTER UPDATE OF status, period, sequence ON booking
  FOR EACH ROW WHEN (NEW.email IS NOT NULL
                     AND ((OLD.status = 'active' AND NEW.status = 'cancelled')
                          OR (NEW.status = 'active' AND (OLD.period <> NEW.period OR OLD.sequence <> NEW.sequence))))
  EXECUTE FUNCTION mail_queue_for_booking();

-- A booking's e-mail address goes with the rest of its personal data (the retention job removes
-- it): its messages forget their recipient at the same time, in the same transaction.
CREATE FUNCTION mail_forget_recipient() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE mail_message SET recipient = NULL WHERE booking_id = NEW.id AND recipient IS NOT NULL;
  RETURN NULL;
END
$$;

CREATE TRIGGER mail_booking_address_removed
  AFTER UPDATE OF email ON booking
  FOR EACH ROW WHEN (OLD.email IS NOT NULL AND NEW.email IS NULL)
  EXECUTE FUNCTION mail_forget_recipient();
