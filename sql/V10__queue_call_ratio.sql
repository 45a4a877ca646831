-- The priority ratio is the queue's own policy state, not the event stream's: it moves out of
-- queue_state (which now only numbers a point's events) into a table the call statements update.
CREATE TABLE queue_call_ratio (
    service_point_id        uuid PRIMARY KEY REFERENCES service_point (id) ON DELETE CASCADE,
    ordinary_since_priority int NOT NULL DEFAULT 0
);
INSERT INTO queue_call_ratio (service_point_id, ordinary_since_priority)
SELECT service_point_id, ordinary_since_priority FROM queue_state;
ALTER TABLE queue_state DROP COLUMN ordinary_since_priority;
