-- A few visitors' places counted from an index instead of ranking every waiting visitor of the
-- point: a new ticket's answer and a ticket stream's first state need one place each, and in a
-- morning rush (2,000 walk-ins in a minute, each with its own answer and stream) ranking the
-- whole queue for each of them was most of the database's time. The index holds the waiting
-- visitors in the queue's own order (booked time, else arrival; then arrival), so the count of
-- those ahead of one visitor reads just them.
CREATE INDEX ticket_waiting_order_idx ON ticket
    (service_point_id, service_id, channel, (coalesce(booked_start, arrived_at)), arrived_at, arrival)
    WHERE status = 'waiting';
