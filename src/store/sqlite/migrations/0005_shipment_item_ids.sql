-- Shipment items get an id of their own, as on PostgreSQL, so that the one
-- query both engines run keeps the order in which items were added (SQLite's
-- rowid kept it before). The rowid becomes the id: the order is unchanged.
CREATE TABLE shipment_items_rebuilt (
  id INTEGER PRIMARY KEY,
  shipment_id INTEGER NOT NULL REFERENCES shipments(id),
  line_item_id INTEGER NOT NULL REFERENCES line_items(id),
  component_sku TEXT NOT NULL DEFAULT '',
  quantity INTEGER NOT NULL,
  UNIQUE (shipment_id, line_item_id, component_sku)
);
INSERT INTO shipment_items_rebuilt (id, shipment_id, line_item_id, component_sku, quantity)
  SELECT rowid, shipment_id, line_item_id, component_sku, quantity FROM shipment_items;
DROP TABLE shipment_items;
ALTER TABLE shipment_items_rebuilt RENAME TO shipment_items;
