-- Two stops of one mobile unit never overlap in time on a date.
ALTER TABLE mobile_stop
    ADD CONSTRAINT mobile_stop_no_overlap
    EXCLUDE USING gist (service_point_id WITH =, tsrange(day + opens, day + closes) WITH &&);
