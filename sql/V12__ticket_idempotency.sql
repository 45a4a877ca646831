-- A walk-in ticket taken with an Idempotency-Key (a kiosk's button, tapped twice) is given once:
-- the key's hash is stored with the ticket, unique per service point, so a second request with
-- the same key, even at the same moment, finds the first ticket instead of making another.
ALTER TABLE ticket ADD COLUMN idempotency_key_hash bytea;
CREATE UNIQUE INDEX ticket_idempotency_key ON ticket (service_point_id, idempotency_key_hash)
    WHERE idempotency_key_hash IS NOT NULL;
