-- Residents' active bookings per e-mail address and service are capped (activeBookingsPerEmail):
-- the check counts them at every booking, so they are found by index, not by reading every booking.
CREATE INDEX booking_active_email_idx ON booking (lower(email), service_id) WHERE status = 'active';
