-- A tenant-wide default IANA time zone ("America/Chicago") for the shipping
-- order contract's status-history times: a location without a zone of its
-- own uses it; '' is UTC (issue 16).
ALTER TABLE tenants ADD COLUMN time_zone text NOT NULL DEFAULT '';
