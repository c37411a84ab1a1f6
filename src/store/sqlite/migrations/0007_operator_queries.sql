-- Operator queries (GET /api/v1/orders, GET /api/v1/shipments): keyset pages
-- newest first, each filter an index range in page order.
--
-- An order gets the columns its filters read: when it last changed (itself or
-- one of its shipments), its shipping state, and its customer's email folded
-- to lower case (ASCII, as the server folds it). The shipping state is derived
-- from the shipments (domain::DeriveShippingState); it is stored so that a
-- filter on it is an index range, and the store writes it again in every
-- transaction that changes a shipment's status or adds one
-- (store/order_repository.cpp, with the same rule as below).
ALTER TABLE orders ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN shipping_state TEXT NOT NULL DEFAULT 'unshipped';
ALTER TABLE orders ADD COLUMN customer_email_key TEXT NOT NULL DEFAULT '';

UPDATE orders SET
  customer_email_key = lower(customer_email),
  updated_at = max(created_at, coalesce((SELECT max(s.updated_at) FROM shipments s
                                          WHERE s.order_id = orders.id), 0)),
  shipping_state = CASE
    WHEN NOT EXISTS (SELECT 1 FROM shipments s JOIN shipment_items si ON si.shipment_id = s.id
                     WHERE s.order_id = orders.id AND s.status IN ('SHIPPED', 'DELIVERED')
                       AND si.quantity > 0)
    THEN CASE WHEN EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = orders.id)
               AND NOT EXISTS (SELECT 1 FROM shipments s
                               WHERE s.order_id = orders.id AND s.status <> 'CANCELLED')
              THEN 'cancelled' ELSE 'unshipped' END
    WHEN EXISTS (SELECT 1 FROM line_items li WHERE li.order_id = orders.id
                   AND NOT EXISTS (SELECT 1 FROM line_item_components c
                                   WHERE c.line_item_id = li.id)
                   AND (SELECT CAST(coalesce(sum(si.quantity), 0) AS BIGINT)
                        FROM shipments s JOIN shipment_items si ON si.shipment_id = s.id
                        WHERE s.order_id = orders.id AND si.line_item_id = li.id
                          AND si.component_sku = '' AND s.status IN ('SHIPPED', 'DELIVERED'))
                       < li.quantity)
      OR EXISTS (SELECT 1 FROM line_items li JOIN line_item_components c
                   ON c.line_item_id = li.id
                 WHERE li.order_id = orders.id
                   AND (c.quantity <= 0
                        OR (SELECT CAST(coalesce(sum(si.quantity), 0) AS BIGINT)
                            FROM shipments s JOIN shipment_items si ON si.shipment_id = s.id
                            WHERE s.order_id = orders.id AND si.line_item_id = li.id
                              AND si.component_sku = c.sku
                              AND s.status IN ('SHIPPED', 'DELIVERED')) / c.quantity
                           < li.quantity))
    THEN 'partially_shipped'
    ELSE 'shipped' END;

-- Orders, newest first by creation (or by last change), alone or within one
-- shipping state, store or customer. An order number prefix is a range of
-- orders_number, which holds both sort times so that a page is read from the
-- index alone (its cost grows with the orders the prefix matches).
CREATE INDEX orders_created ON orders (tenant_id, created_at, id);
CREATE INDEX orders_updated ON orders (tenant_id, updated_at, id);
CREATE INDEX orders_state_created ON orders (tenant_id, shipping_state, created_at, id);
CREATE INDEX orders_state_updated ON orders (tenant_id, shipping_state, updated_at, id);
CREATE INDEX orders_store_created ON orders (tenant_id, store, created_at, id);
CREATE INDEX orders_email_created ON orders (tenant_id, customer_email_key, created_at, id);
CREATE INDEX orders_number ON orders (tenant_id, order_number, created_at, updated_at, id);

-- Shipments the same way, by creation, last change or shipping time, alone or
-- within one status or carrier; a tracking number is exact.
CREATE INDEX shipments_created ON shipments (tenant_id, created_at, id);
CREATE INDEX shipments_updated ON shipments (tenant_id, updated_at, id);
CREATE INDEX shipments_shipped ON shipments (tenant_id, shipped_at, id);
CREATE INDEX shipments_status_created ON shipments (tenant_id, status, created_at, id);
CREATE INDEX shipments_status_updated ON shipments (tenant_id, status, updated_at, id);
CREATE INDEX shipments_carrier_created ON shipments (tenant_id, carrier, created_at, id);
CREATE INDEX shipments_tracking ON shipments (tenant_id, tracking_number);

-- Secrets a server keeps in its database so that every node shares them:
-- 'cursor' signs the query cursors. Created on first use.
CREATE TABLE server_secrets (
  name TEXT NOT NULL PRIMARY KEY,
  secret TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
