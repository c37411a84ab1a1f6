-- The operator console shows an order's events (with the email sent for
-- each): read by order, not by scanning the tenant's whole outbox.
CREATE INDEX events_order ON events (order_id, id);
