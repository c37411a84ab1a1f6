-- What the contracts' answers need to be written as their documents show
-- (issue 16).
--
-- How the client wrote a shipment's dispatched_at, so that the marketplace
-- contract answers it in that form: the UTC offset it was written in, in
-- minutes east of UTC, and whether it was a bare date (1) rather than a date
-- and time (0). Shipments written before keep UTC and a date and time.
ALTER TABLE shipments ADD COLUMN dispatched_offset_minutes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE shipments ADD COLUMN dispatched_date_only INTEGER NOT NULL DEFAULT 0;

-- A location's IANA time zone ("America/Chicago"): the shipping order
-- contract writes status-history times in it. '' is UTC.
ALTER TABLE so_locations ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
