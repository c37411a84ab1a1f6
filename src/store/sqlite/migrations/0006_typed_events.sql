-- Events carry typed headers beside their payload: the storefront, the order
-- and shipment they are about, and whether the customer is to be emailed.
-- Consumers decide on these columns instead of parsing payloads. Existing
-- events get them from their payload and subject (shipline's own JSON).
ALTER TABLE events ADD COLUMN storefront TEXT;
ALTER TABLE events ADD COLUMN order_id INTEGER;
ALTER TABLE events ADD COLUMN shipment_id INTEGER;
ALTER TABLE events ADD COLUMN send_email INTEGER NOT NULL DEFAULT 0;
UPDATE events SET
  storefront = CASE WHEN json_valid(payload) THEN json_extract(payload, '$.store') END,
  send_email = CASE WHEN type IN ('order-shipment-shipped', 'shipment-tracking-updated')
                     AND NOT (json_valid(payload) AND json_extract(payload, '$.sendEmail') IS 0)
               THEN 1 ELSE 0 END;
UPDATE events SET
  shipment_id = (SELECT s.id FROM shipments s
                 WHERE s.tenant_id = events.tenant_id AND s.shipment_number = events.subject),
  order_id = (SELECT s.order_id FROM shipments s
              WHERE s.tenant_id = events.tenant_id AND s.shipment_number = events.subject)
  WHERE topic = 'VirtualTopic.ep.orders';
-- Events whose payload names no store (shipment-status-changed) take their
-- order's, as new ones do.
UPDATE events SET storefront = (SELECT o.store FROM orders o WHERE o.id = events.order_id)
  WHERE storefront IS NULL AND order_id IS NOT NULL;
