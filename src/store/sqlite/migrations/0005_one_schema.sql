-- Brings the two engines' schemas to one (tests/unit/schema_parity_test.cpp
-- compares them), so that the store core's one SQL serves both.
--
-- Shipment items get an id of their own, as on PostgreSQL, so that one ORDER
-- BY keeps the order in which items were added (SQLite's rowid kept it
-- before). The rowid becomes the id: the order is unchanged.
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

-- Consumer positions get the lease columns PostgreSQL's have (one process
-- owns an SQLite database, so they stay empty here) and a key that cannot be
-- NULL (SQLite allows NULL in a non-integer primary key unless told not to).
CREATE TABLE consumer_positions_rebuilt (
  consumer TEXT NOT NULL PRIMARY KEY,
  position INTEGER NOT NULL,
  lease_owner TEXT,
  lease_expires_at INTEGER
);
INSERT INTO consumer_positions_rebuilt (consumer, position)
  SELECT consumer, position FROM consumer_positions;
DROP TABLE consumer_positions;
ALTER TABLE consumer_positions_rebuilt RENAME TO consumer_positions;
