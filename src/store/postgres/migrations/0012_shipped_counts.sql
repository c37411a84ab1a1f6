-- Shipped units kept as counts, so that a completion updates its order's
-- shipping state from the lines it ships instead of reading every shipment of
-- the order (issue 12: a completion's cost does not grow with the order).
--
-- line_item_components.shipped_quantity: units of the component in the
-- order's SHIPPED and DELIVERED shipments. line_items.shipped_quantity: for a
-- plain line the units shipped, for a bundle the complete sets its components
-- make (domain::FulfilledQuantity, before the cap at the quantity ordered).
-- orders.shipped_units: every unit shipped, of any line. The store adds to them
-- in the transaction that moves a shipment to SHIPPED
-- (store/order_repository.cpp, with the same rules as below).
ALTER TABLE line_items ADD COLUMN shipped_quantity bigint NOT NULL DEFAULT 0;
ALTER TABLE line_item_components ADD COLUMN shipped_quantity bigint NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN shipped_units bigint NOT NULL DEFAULT 0;

UPDATE line_items SET shipped_quantity = coalesce((
  SELECT sum(si.quantity) FROM shipment_items si JOIN shipments s ON s.id = si.shipment_id
  WHERE si.line_item_id = line_items.id AND si.component_sku = ''
    AND s.status IN ('SHIPPED', 'DELIVERED')), 0);

UPDATE line_item_components SET shipped_quantity = coalesce((
  SELECT sum(si.quantity) FROM shipment_items si JOIN shipments s ON s.id = si.shipment_id
  WHERE si.line_item_id = line_item_components.line_item_id
    AND si.component_sku = line_item_components.sku
    AND s.status IN ('SHIPPED', 'DELIVERED')), 0);

UPDATE line_items SET shipped_quantity = (
  SELECT min(CASE WHEN c.quantity <= 0 THEN 0 ELSE c.shipped_quantity / c.quantity END)
  FROM line_item_components c WHERE c.line_item_id = line_items.id)
WHERE EXISTS (SELECT 1 FROM line_item_components c WHERE c.line_item_id = line_items.id);

UPDATE orders SET shipped_units = coalesce((
  SELECT sum(si.quantity) FROM shipment_items si JOIN shipments s ON s.id = si.shipment_id
  WHERE s.order_id = orders.id AND s.status IN ('SHIPPED', 'DELIVERED')), 0);

-- The lines of an order still to be fulfilled: "is anything left?" is one
-- index probe.
CREATE INDEX line_items_open ON line_items (order_id) WHERE shipped_quantity < quantity;
