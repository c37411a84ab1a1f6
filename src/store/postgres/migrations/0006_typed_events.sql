-- Events carry typed headers beside their payload: the storefront, the order
-- and shipment they are about, and whether the customer is to be emailed.
-- Consumers decide on these columns instead of parsing payloads. Existing
-- events get them from their payload and subject (shipline's own compact
-- JSON, read here by pattern so that no payload can make the upgrade fail).
-- The store is a JSON string: the pattern takes only well-formed string
-- contents (no raw control character, no escape that text cannot hold) and
-- json decodes them, so that a store named `Zoë's "Corner" \ Shop` is
-- backfilled as such rather than with its escapes.
ALTER TABLE events
  ADD COLUMN storefront text,
  ADD COLUMN order_id bigint,
  ADD COLUMN shipment_id bigint,
  ADD COLUMN send_email boolean NOT NULL DEFAULT false;
UPDATE events SET
  storefront = CAST('"' || substring(payload from '"store":"((?:' ||
                   '[^"\\\x01-\x1f]|\\["\\/bfnrt]|\\u(?!0000|[dD][89a-fA-F])[0-9a-fA-F]{4}' ||
                   ')*)"') || '"' AS json) #>> '{}',
  send_email = type IN ('order-shipment-shipped', 'shipment-tracking-updated')
               AND payload NOT LIKE '%"sendEmail":false%';
UPDATE events e SET shipment_id = s.id, order_id = s.order_id
  FROM shipments s
  WHERE e.topic = 'VirtualTopic.ep.orders' AND s.tenant_id = e.tenant_id
    AND s.shipment_number = e.subject;
-- Events whose payload names no store (shipment-status-changed) take their
-- order's, as new ones do.
UPDATE events e SET storefront = o.store
  FROM orders o
  WHERE e.storefront IS NULL AND o.id = e.order_id;
