-- The nodes that serve, and which master keys each holds (their ids only: a
-- key never enters the database). `serve` writes its row at start, refreshes
-- it on a timer and removes it on a clean stop; rows not refreshed for a
-- while are pruned. `shipline secrets rotate` refuses to switch to a key that
-- a node seen recently does not hold (docs/DEPLOYMENT.md).
CREATE TABLE live_nodes (
  node_id text PRIMARY KEY,
  key_ids text NOT NULL,
  started_at bigint NOT NULL,
  seen_at bigint NOT NULL
);
