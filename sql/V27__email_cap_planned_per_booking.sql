-- The cap's count (V24) is planned for each booking with its own address. PL/pgSQL keeps a
-- connection's plan after five executions; a plan made while the booking table was nearly empty
-- walked the whole no-double-booking index instead of the address's (booking_active_email_idx),
-- so each resident's booking grew slower as bookings accumulated until the connection ended
-- (2.3 ms at 160 bookings, and half the bookings a second in the booking benchmark). Planning the
-- small count each time costs a few hundredths of a millisecond.
ALTER FUNCTION booking_within_email_cap() SET plan_cache_mode = force_custom_plan;
