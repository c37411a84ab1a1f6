-- Shipping orders dispatched to delivery providers: the tenant's locations,
-- providers and orchestration rules, the orders with their status history.

CREATE TABLE so_locations (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  external_id TEXT NOT NULL,
  name TEXT NOT NULL,
  street1 TEXT NOT NULL,
  street2 TEXT NOT NULL,
  apartment_number TEXT NOT NULL,
  city TEXT NOT NULL,
  state TEXT NOT NULL,
  postal_code TEXT NOT NULL,
  country_code TEXT NOT NULL,
  latitude_e7 INTEGER, -- degrees times 10^7
  longitude_e7 INTEGER,
  contact_name TEXT NOT NULL,
  contact_phone TEXT NOT NULL,
  contact_email TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (tenant_id, external_id)
);

CREATE TABLE so_providers (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  provider_id TEXT NOT NULL,
  name TEXT NOT NULL,
  display_name TEXT NOT NULL,
  kind TEXT NOT NULL,
  config TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (tenant_id, provider_id)
);
CREATE INDEX so_providers_kind ON so_providers (kind);

-- The providers assigned to a location, in the order they were given.
CREATE TABLE so_location_providers (
  location_id INTEGER NOT NULL REFERENCES so_locations(id) ON DELETE CASCADE,
  provider_id INTEGER NOT NULL REFERENCES so_providers(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  PRIMARY KEY (location_id, provider_id)
);
CREATE INDEX so_location_providers_provider ON so_location_providers (provider_id);

-- List columns hold comma-separated ids (ids never contain commas).
CREATE TABLE so_rules (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  name TEXT NOT NULL,
  location_external_id TEXT NOT NULL,
  priority INTEGER NOT NULL,
  enabled INTEGER NOT NULL,
  allowed_providers TEXT NOT NULL,
  excluded_providers TEXT NOT NULL,
  service_types TEXT NOT NULL,
  max_fee INTEGER,
  must_meet_pickup_window INTEGER NOT NULL,
  must_meet_delivery_window INTEGER NOT NULL,
  require_temperature_control INTEGER NOT NULL,
  min_order_value INTEGER,
  max_order_value INTEGER,
  objective TEXT NOT NULL,
  fee_weight_milli INTEGER NOT NULL, -- weights times 1000
  time_weight_milli INTEGER NOT NULL
);
CREATE INDEX so_rules_tenant ON so_rules (tenant_id, priority, id);

-- The columns that lists filter on are columns; the rest of the order
-- (addresses, contacts, package, items, estimates, ...) is one JSON document
-- in shipline's storage format (store/shipping_order_document.cpp).
CREATE TABLE so_orders (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  public_id TEXT NOT NULL,
  external_id TEXT NOT NULL,
  location_external_id TEXT NOT NULL,
  group_id TEXT,
  status TEXT NOT NULL,
  sub_status TEXT NOT NULL,
  provider_id TEXT,
  provider_order_id TEXT,
  pickup_starts_at INTEGER,
  delivery_ends_at INTEGER,
  created_at INTEGER NOT NULL,
  last_updated_at INTEGER NOT NULL,
  document TEXT NOT NULL,
  UNIQUE (tenant_id, external_id)
);
-- Keyset pages: every list is ordered by (last_updated_at, id).
CREATE INDEX so_orders_updated ON so_orders (tenant_id, last_updated_at, id);
CREATE INDEX so_orders_location ON so_orders (tenant_id, location_external_id, last_updated_at, id);
CREATE INDEX so_orders_group ON so_orders (tenant_id, group_id, last_updated_at, id)
  WHERE group_id IS NOT NULL;
CREATE INDEX so_orders_provider_order ON so_orders (tenant_id, provider_id, provider_order_id)
  WHERE provider_order_id IS NOT NULL;
CREATE INDEX so_orders_in_flight ON so_orders (tenant_id, provider_id, id)
  WHERE status IN ('ORDER_DISPATCHED', 'PICKUP_STARTED', 'PICKUP_COMPLETED', 'OUT_FOR_DELIVERY');

CREATE TABLE so_status_changes (
  id INTEGER PRIMARY KEY,
  order_id INTEGER NOT NULL REFERENCES so_orders(id),
  status TEXT NOT NULL,
  sub_status TEXT NOT NULL,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  note TEXT NOT NULL,
  reason_code TEXT NOT NULL,
  reason_title TEXT NOT NULL,
  reason_note TEXT NOT NULL
);
CREATE INDEX so_status_changes_order ON so_status_changes (order_id, id);
