-- The W3C traceparent of the request that wrote an event (NULL for events
-- written before traces were kept, or by a worker): its webhook deliveries
-- and broker message continue that trace.
ALTER TABLE events ADD COLUMN traceparent text;
