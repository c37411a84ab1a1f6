-- Secrets at rest. The secrets shipline uses again (webhook signing secrets
-- and Basic-auth passwords, provider configurations, server secrets) are
-- sealed with a master key that stays outside the database; this table
-- records which key, so a server started with another one stops at once.
-- The values themselves are sealed by the first start with a key (code, not
-- SQL: the key is not the database's to know). 3PL password hashes become
-- salted scrypt at each connection's next successful check.
CREATE TABLE secret_keys (
  name text PRIMARY KEY,
  key_id text NOT NULL,
  updated_at bigint NOT NULL
);
