-- A walk-in ticket taken with an Idempotency-Key (a kiosk's button, tapped twice) is given once:
-- the key's hash is stored with the ticket, unique per service point, so a second request with
-- the same key, even at the same moment, finds the first ticket instead of making another.
ALTER TABLE ticket ADD COLUMN idempotency_key_hash bytea;
CREATE UNIQUE INDEX ticket_idempotency_key ON ticket (service_point_id, idempotency_key_hash)
    WHERE idempotency_key_hash IS NOT NULL;

-- A walk-in ticket's short link (/k/CODE): the code's hash, and the ticket's token sealed under a
-- key derived from the code (neither the code nor the token can be read from the database).
ALTER TABLE ticket ADD COLUMN short_code_hash bytea, ADD COLUMN sealed_token bytea;
CREATE UNIQUE INDEX ticket_short_code ON ticket (short_code_hash) WHERE short_code_hash IS NOT NULL;
