-- Idempotency keys on every write (issue 15). One row per tenant and key:
-- the request it was first used with (method, target and the SHA-256 of the
-- body), who is working on it (owner, a token of the request that claimed it,
-- and lease_until, when another request may take the claim over), whether a
-- change made on its behalf has committed (applied, set in the change's own
-- transaction) and, once answered, the answer: status, content type, the
-- headers kept for replays ("Name: value" lines) and the body.
CREATE TABLE idempotency_keys (
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  idempotency_key TEXT NOT NULL,
  method TEXT NOT NULL,
  target TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  owner TEXT NOT NULL,
  lease_until INTEGER NOT NULL,
  applied INTEGER NOT NULL DEFAULT 0,
  status INTEGER,
  content_type TEXT,
  headers TEXT,
  body TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, idempotency_key)
);
-- The background pruning walks keys oldest first.
CREATE INDEX idempotency_keys_by_created ON idempotency_keys(created_at);
