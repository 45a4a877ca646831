-- The audit log of staff and admin actions (issue 13): who (a member of staff, and the organisation
-- they acted for), what (the operation and the ids or booking reference it named; no resident
-- data), when, and how it ended. Kept per organisation for auditRetentionDays.
CREATE TABLE audit_event (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT now(),
    organisation_id uuid REFERENCES organisation (id) ON DELETE CASCADE,  -- NULL: a system administrator's
    staff_id        uuid NOT NULL,   -- no reference: the log outlives a removed account
    action          text NOT NULL,   -- e.g. POST /api/v1/counters/:counter/call-next
    target          jsonb NOT NULL,  -- the path's parameters: ids, a booking reference
    status          int NOT NULL
);
CREATE INDEX audit_event_organisation_at_idx ON audit_event (organisation_id, at);
CREATE INDEX audit_event_at_idx ON audit_event (at);
