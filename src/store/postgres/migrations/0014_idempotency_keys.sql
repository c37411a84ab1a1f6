-- Idempotency keys on every write (issue 15). One row per tenant and key:
-- the request it was first used with (method, target and the SHA-256 of the
-- body), who is working on it (owner, a token of the request that claimed it,
-- and lease_until, when another request may take the claim over), whether a
-- change made on its behalf has committed (applied, set in the change's own
-- transaction) and, once answered, the answer: status, content type, the
-- headers kept for replays ("Name: value" lines) and the body.
CREATE TABLE idempotency_keys (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  idempotency_key text NOT NULL,
  method text NOT NULL,
  target text NOT NULL,
  fingerprint text NOT NULL,
  owner text NOT NULL,
  lease_until bigint NOT NULL,
  applied boolean NOT NULL DEFAULT false,
  status integer,
  content_type text,
  headers text,
  body text,
  created_at bigint NOT NULL,
  PRIMARY KEY (tenant_id, idempotency_key)
);
-- The background pruning walks keys oldest first.
CREATE INDEX idempotency_keys_by_created ON idempotency_keys(created_at);
