#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace shipline::main {

// `--database postgres://...`: the PostgreSQL database several nodes share,
// instead of DATA/shipline.db. Empty: SQLite in the data folder.
struct DatabaseConfig {
  std::string url;
  size_t readers = 16;  // pooled read connections
  size_t writers = 2;   // write transactions in flight at once
  size_t batch = 32;    // callers per write transaction (group commit)
};

struct ServeConfig {
  std::string listen = "127.0.0.1:8080";
  std::string metrics_listen = "127.0.0.1:9464";  // GET /metrics; "off": none
  std::string data = "./var";
  std::string smtp;
  std::string mail_from = "shipline@localhost";
  std::string payment_provider = "manual";
  std::string payment_url;
  std::string payment_secret;
  size_t io_threads = 2;
  size_t handler_threads = 64;
  size_t max_connections = 10'000;
  size_t max_connections_per_client = 256;
  bool access_log = true;
  std::string broker;                         // stomp://... ; empty: no broker
  std::vector<std::string> broker_topics;     // EVENT_TYPE=TOPIC overrides
  std::string broker_ca_file;                 // stomp+ssl://: CAs to trust; empty: the system's
  bool broker_allow_plaintext_login = false;  // login over plain TCP beyond loopback
  std::string email_worker = "inprocess";     // inprocess or off
  bool allow_private_targets = false;  // webhooks and http providers on loopback/private networks
  std::string webhook_retry_schedule;  // comma-separated durations; empty: the default
  double webhook_time_scale = 1;       // tests only: divides every retry duration
  size_t webhook_concurrency = 64;     // webhook requests in flight
  // How long a delivery taken for sending stays taken: after a crash, when it
  // is due again.
  int64_t webhook_lease_ms = 120'000;
  double shipping_orders_rate = 100;         // Shipping Order API requests/s per API key; 0: off
  double shipping_orders_burst = 200;        // token bucket size of that limit
  bool demo = false;                         // rate-table bookings progress by themselves
  int64_t demo_progress_interval_ms = 5000;  // how often demo progress is recorded
  std::string master_key_file;               // main/master_key.hpp: empty for the other sources
  std::string previous_master_key_file;      // keys held besides it (a rotation); empty: none
  DatabaseConfig database;
  int64_t consumer_lease_ms = 60'000;  // email and broker consumers, several nodes
  // How long a request holds its Idempotency-Key before a repeat may take it
  // over (the request must have died without changing anything).
  int64_t idempotency_lease_ms = 60'000;
};

// `shipline worker email`: the email handler as a consumer of the broker.
struct EmailWorkerConfig {
  std::string broker;
  std::string broker_ca_file;
  bool broker_allow_plaintext_login = false;
  std::string data = "./var";
  std::string smtp;
  std::string mail_from = "shipline@localhost";
  std::string queue = "/queue/Consumer.email.VirtualTopic.ep.orders";
  DatabaseConfig database;
};

// `shipline keys create`: the tenant (created if needed), the key's name,
// scopes and optional expiry (ISO 8601).
struct KeyOptions {
  std::string tenant;
  std::string name;
  std::vector<std::string> scopes{"admin"};
  std::string expires;
};

// `shipline secrets rotate`: the keys in use (as `serve` finds them), the
// file of the new one, and whether to rotate although a serving node does
// not hold it.
struct RotateOptions {
  std::string data = "./var";
  DatabaseConfig database;
  std::string master_key_file;
  std::string previous_master_key_file;
  std::string new_key_file;
  bool force = false;
};

// Each returns the process exit code.
int Serve(const ServeConfig& config);
int CreateKey(const std::string& data, const DatabaseConfig& database, const KeyOptions& options);
// Prints the keys of `tenant` (every tenant's when empty), one JSON object a line.
int ListKeys(const std::string& data, const DatabaseConfig& database, const std::string& tenant);
int RevokeKey(const std::string& data, const DatabaseConfig& database, int64_t key_id);
int MigrateCommand(const std::string& data, const DatabaseConfig& database);
// `shipline tracking check NUMBER...`: the words are one number (spaces are
// ignored); prints the recognition as one JSON object.
int TrackingCheckCommand(const std::vector<std::string>& words);
int EmailWorkerCommand(const EmailWorkerConfig& config);
int RotateSecretsCommand(const RotateOptions& options);
// `shipline backup`: a consistent copy of DATA/shipline.db and DATA/mail/ in
// the new file `to`, while servers keep serving (backup_command.cpp).
int BackupCommand(const std::string& data, const std::string& to);
// `shipline restore`: the backup `from` into the absent or empty folder `data`.
int RestoreCommand(const std::string& from, const std::string& data);

}  // namespace shipline::main
