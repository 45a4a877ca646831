-- Three rows go into the outbox with every booking, so every index on it is paid for on the
-- booking's hot path (the booking benchmark fell from ~1,000 to ~800 bookings per second).
-- The unique key (booking_id, kind, offset_minutes, booking_sequence) already serves lookups by
-- booking; Message-IDs are random UUIDs, unique without an index to prove it.
DROP INDEX mail_message_booking_idx;
ALTER TABLE mail_message DROP CONSTRAINT mail_message_message_id_key;
