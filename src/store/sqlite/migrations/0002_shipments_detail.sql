-- Shipments in detail: the carrier's registry code, service, package count,
-- tracking link, return-slip tracking, internal comment, customer note and
-- dispatch time; bundle components of line items, counted per component in
-- shipments; and each tenant's stores with their settings and carriers.
ALTER TABLE shipments ADD COLUMN carrier_code TEXT NOT NULL DEFAULT '';
ALTER TABLE shipments ADD COLUMN service TEXT NOT NULL DEFAULT '';
ALTER TABLE shipments ADD COLUMN package_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE shipments ADD COLUMN tracking_url TEXT NOT NULL DEFAULT '';
ALTER TABLE shipments ADD COLUMN return_tracking_number TEXT NOT NULL DEFAULT '';
ALTER TABLE shipments ADD COLUMN internal_comment TEXT NOT NULL DEFAULT '';
ALTER TABLE shipments ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE shipments ADD COLUMN dispatched_at INTEGER;

CREATE TABLE line_item_components (
  line_item_id INTEGER NOT NULL REFERENCES line_items(id),
  position INTEGER NOT NULL,
  sku TEXT NOT NULL,
  quantity INTEGER NOT NULL,  -- units in one bundle
  PRIMARY KEY (line_item_id, position)
);

-- A shipment holds a bundle as its components, one row per component, so the
-- key gains the component's sku ('' for a plain line item). SQLite cannot
-- change a primary key in place: the table is rebuilt.
CREATE TABLE shipment_items_rebuilt (
  shipment_id INTEGER NOT NULL REFERENCES shipments(id),
  line_item_id INTEGER NOT NULL REFERENCES line_items(id),
  component_sku TEXT NOT NULL DEFAULT '',
  quantity INTEGER NOT NULL,
  PRIMARY KEY (shipment_id, line_item_id, component_sku)
);
INSERT INTO shipment_items_rebuilt (shipment_id, line_item_id, component_sku, quantity)
  SELECT shipment_id, line_item_id, '', quantity FROM shipment_items;
DROP TABLE shipment_items;
ALTER TABLE shipment_items_rebuilt RENAME TO shipment_items;

-- A tenant's storefront, created on first use (an order naming it, or its
-- settings being written). Absent rows mean the default settings.
CREATE TABLE stores (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  name TEXT NOT NULL,
  send_shipping_confirmation INTEGER NOT NULL DEFAULT 1,
  sender TEXT NOT NULL DEFAULT '',  -- From of customer email; '' for the server's default
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (tenant_id, name)
);

-- A store's own carriers, on top of the built-in registry.
CREATE TABLE store_carriers (
  store_id INTEGER NOT NULL REFERENCES stores(id),
  position INTEGER NOT NULL,
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  tracking_url_template TEXT NOT NULL,
  aliases TEXT NOT NULL,  -- one alias per line
  PRIMARY KEY (store_id, code)
);
