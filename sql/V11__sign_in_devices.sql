-- Sign-in throttling that nobody can use to lock a member of staff out (issue 13): failures per
-- account now delay further attempts by a growing wait instead of locking the account for
-- everyone, and a device the account has signed in from before is not held up by that wait.
ALTER TABLE login_throttle ADD COLUMN last_failure timestamptz;
UPDATE login_throttle SET last_failure = first_failure;
ALTER TABLE login_throttle ALTER COLUMN last_failure SET NOT NULL;
ALTER TABLE login_throttle DROP COLUMN locked_until;
CREATE INDEX login_throttle_last_failure_idx ON login_throttle (last_failure);

-- Devices each member of staff has signed in from: the SHA-256 of a random token the device keeps.
CREATE TABLE staff_device (
    staff_id   uuid NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    token_hash bytea NOT NULL,
    last_used  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (staff_id, token_hash)
);
CREATE INDEX staff_device_last_used_idx ON staff_device (last_used);
