-- Shipment notifications both ways: outbound webhook subscriptions with their
-- signing secrets, deliveries and attempts; inbound 3PL connections and the
-- notifications they sent; and the packages of a shipment.

CREATE TABLE webhook_subscriptions (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  url TEXT NOT NULL,
  store TEXT,                      -- NULL: every store
  event_types TEXT NOT NULL,       -- comma-separated; '' for every type
  format TEXT NOT NULL,            -- 'native' or '3pl'
  basic_username TEXT,
  basic_password TEXT,
  signing INTEGER NOT NULL,
  delay_ms INTEGER NOT NULL,
  enabled INTEGER NOT NULL,
  disabled_reason TEXT,
  disabled_at INTEGER,
  failing_since INTEGER,
  description TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted_at INTEGER
);
CREATE INDEX webhook_subscriptions_tenant ON webhook_subscriptions (tenant_id, id);

CREATE TABLE webhook_secrets (
  id INTEGER PRIMARY KEY,
  subscription_id INTEGER NOT NULL REFERENCES webhook_subscriptions(id),
  secret TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER
);
CREATE INDEX webhook_secrets_subscription ON webhook_secrets (subscription_id, id);

CREATE TABLE webhook_deliveries (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL,
  subscription_id INTEGER NOT NULL REFERENCES webhook_subscriptions(id),
  event_id INTEGER REFERENCES events(id),  -- NULL for a test delivery
  event_type TEXT NOT NULL,
  message_id TEXT NOT NULL UNIQUE,
  once_key TEXT,                   -- set where a subscription takes one delivery per key
  status TEXT NOT NULL,            -- 'pending', 'delivered', 'failed'
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,         -- pending only
  body TEXT,                       -- fixed at the first attempt
  last_status INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  completed_at INTEGER
);
-- The 3PL format notifies once per shipment (seed 002): the key is the shipment.
CREATE UNIQUE INDEX webhook_deliveries_once ON webhook_deliveries (subscription_id, once_key);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
  WHERE status = 'pending';
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries (subscription_id, id);
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_id);

CREATE TABLE webhook_attempts (
  id INTEGER PRIMARY KEY,
  delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries(id),
  attempted_at INTEGER NOT NULL,
  status_code INTEGER NOT NULL,
  latency_ms INTEGER NOT NULL,
  response_excerpt TEXT NOT NULL,
  error TEXT NOT NULL
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);

CREATE TABLE threepl_connections (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  name TEXT NOT NULL,
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX threepl_connections_tenant ON threepl_connections (tenant_id, id);

CREATE TABLE threepl_notifications (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  connection_id INTEGER NOT NULL REFERENCES threepl_connections(id),
  order_number TEXT NOT NULL,
  shipment_number TEXT NOT NULL,
  status TEXT NOT NULL,            -- 'applied' or 'rejected'
  error_code TEXT NOT NULL,        -- '' when applied
  reason TEXT NOT NULL,
  body TEXT NOT NULL,
  body_hash TEXT NOT NULL,
  times_received INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX threepl_notifications_tenant ON threepl_notifications (tenant_id, id);
CREATE INDEX threepl_notifications_hash ON threepl_notifications (tenant_id, body_hash);

CREATE TABLE shipment_packages (
  id INTEGER PRIMARY KEY,
  shipment_id INTEGER NOT NULL REFERENCES shipments(id),
  tracking_number TEXT NOT NULL,
  carrier TEXT NOT NULL,
  service TEXT NOT NULL,
  tracking_url TEXT NOT NULL,
  weight_milli INTEGER,          -- thousandths of weight_unit
  weight_unit TEXT NOT NULL,
  length_milli INTEGER,          -- thousandths of dimension_unit
  width_milli INTEGER,
  height_milli INTEGER,
  dimension_unit TEXT NOT NULL,
  shipped_at INTEGER,
  UNIQUE (shipment_id, tracking_number)
);
