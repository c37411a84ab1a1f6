-- API keys carry scopes (read, write, admin; stored as a comma-separated
-- list), a non-secret prefix shown in listings, an optional expiry and the
-- time of their last use (written at most once a minute by the server).
-- Keys made before scopes existed could do everything: they become admin.
-- Their prefix is unknown (only the hash was kept) and stays empty.
ALTER TABLE api_keys ADD COLUMN scopes TEXT NOT NULL DEFAULT 'admin';
ALTER TABLE api_keys ADD COLUMN prefix TEXT NOT NULL DEFAULT '';
ALTER TABLE api_keys ADD COLUMN expires_at INTEGER;
ALTER TABLE api_keys ADD COLUMN last_used_at INTEGER;
CREATE INDEX api_keys_tenant ON api_keys (tenant_id, id);
