-- shipline's first schema: tenants and keys, orders with line items and
-- shipments, status history, captures, the event log and consumer state.
CREATE TABLE tenants (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);

CREATE TABLE api_keys (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  name TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);

CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  order_number TEXT NOT NULL,
  store TEXT NOT NULL,
  currency TEXT NOT NULL,
  customer_name TEXT NOT NULL,
  customer_email TEXT NOT NULL,
  ship_name TEXT NOT NULL,
  ship_line1 TEXT NOT NULL,
  ship_line2 TEXT NOT NULL,
  ship_city TEXT NOT NULL,
  ship_region TEXT NOT NULL,
  ship_postal_code TEXT NOT NULL,
  ship_country TEXT NOT NULL,
  ship_phone TEXT NOT NULL,
  payment_provider TEXT NOT NULL,
  payment_reference TEXT NOT NULL,
  amount_authorized INTEGER NOT NULL,
  amount_captured INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  UNIQUE (tenant_id, order_number)
);

CREATE TABLE line_items (
  id INTEGER PRIMARY KEY,
  order_id INTEGER NOT NULL REFERENCES orders(id),
  position INTEGER NOT NULL,
  sku TEXT NOT NULL,
  title TEXT NOT NULL,
  quantity INTEGER NOT NULL,
  unit_price INTEGER NOT NULL
);
CREATE INDEX line_items_order ON line_items (order_id, position);

CREATE TABLE shipments (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  order_id INTEGER NOT NULL REFERENCES orders(id),
  shipment_number TEXT NOT NULL,
  status TEXT NOT NULL,
  carrier TEXT,
  tracking_number TEXT,
  shipped_at INTEGER,
  claim_token TEXT,
  claim_expires_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (tenant_id, shipment_number)
);
CREATE INDEX shipments_order ON shipments (order_id);

CREATE TABLE shipment_items (
  shipment_id INTEGER NOT NULL REFERENCES shipments(id),
  line_item_id INTEGER NOT NULL REFERENCES line_items(id),
  quantity INTEGER NOT NULL,
  PRIMARY KEY (shipment_id, line_item_id)
);

CREATE TABLE status_changes (
  id INTEGER PRIMARY KEY,
  shipment_id INTEGER NOT NULL REFERENCES shipments(id),
  status TEXT NOT NULL,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  note TEXT NOT NULL
);
CREATE INDEX status_changes_shipment ON status_changes (shipment_id, id);

-- At most one capture per shipment: the unique key is the once-only guard.
CREATE TABLE captures (
  id INTEGER PRIMARY KEY,
  shipment_id INTEGER NOT NULL UNIQUE REFERENCES shipments(id),
  amount INTEGER NOT NULL,
  currency TEXT NOT NULL,
  reference TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  type TEXT NOT NULL,
  topic TEXT NOT NULL,
  subject TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX events_tenant ON events (tenant_id, id);

CREATE TABLE consumer_positions (
  consumer TEXT PRIMARY KEY,
  position INTEGER NOT NULL
);

-- One row per email sent or given up: the email consumer never sends an
-- event's email twice. failure is NULL for a sent email.
CREATE TABLE emails (
  event_id INTEGER PRIMARY KEY REFERENCES events(id),
  tenant_id INTEGER NOT NULL,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  transport TEXT NOT NULL,
  sent_at INTEGER NOT NULL,
  failure TEXT
);
