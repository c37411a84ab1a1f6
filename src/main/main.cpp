// The shipline command line: serve, keys, migrate, tracking, worker. The composition
// root (serve.cpp) is the only place that sees every layer.

#include <CLI/CLI.hpp>
#include <iostream>

#include "app/log.hpp"
#include "main/commands.hpp"
#include "main/config_file.hpp"

#ifndef SHIPLINE_VERSION
#define SHIPLINE_VERSION "dev"
#endif

int main(int argc, char** argv) {
  using namespace shipline::main;
  using shipline::Status;
  CLI::App app{"shipline: a self-hosted shipment service"};
  app.set_version_flag("--version", std::string("shipline ") + SHIPLINE_VERSION);
  app.require_subcommand(1);

  // The broker connection's TLS and login flags, alike for every command that
  // takes --broker.
  auto add_broker_security_options = [](CLI::App& command, std::string& ca_file,
                                        bool& allow_plaintext_login) {
    command
        .add_option("--broker-ca-file", ca_file,
                    "PEM file of the CAs that may sign a stomp+ssl:// broker's certificate "
                    "(default: the system's trust store)")
        ->envname("SHIPLINE_BROKER_CA_FILE")
        ->check(CLI::ExistingFile);
    command
        .add_flag("--broker-allow-plaintext-login", allow_plaintext_login,
                  "Let a stomp:// URL's login and passcode travel in clear to a host that is "
                  "not loopback (a network you trust)")
        ->envname("SHIPLINE_BROKER_ALLOW_PLAINTEXT_LOGIN");
  };

  ServeConfig serve;
  std::string config_path;
  auto* serve_cmd = app.add_subcommand("serve", "Serve the HTTP APIs and run the workers");
  AddConfigOption(*serve_cmd, config_path);
  serve_cmd->add_option("--listen", serve.listen, "HOST:PORT to listen on")
      ->envname("SHIPLINE_LISTEN")
      ->capture_default_str();
  serve_cmd
      ->add_option("--metrics-listen", serve.metrics_listen,
                   "HOST:PORT to serve GET /metrics (Prometheus) on, without a key; off: none")
      ->envname("SHIPLINE_METRICS_LISTEN")
      ->capture_default_str();
  serve_cmd->add_option("--data", serve.data, "Data folder (database, mail)")
      ->envname("SHIPLINE_DATA")
      ->capture_default_str();
  serve_cmd
      ->add_option("--database", serve.database.url,
                   "PostgreSQL database shared by several nodes (postgres://user@host/db); "
                   "without it the store is SQLite in the data folder")
      ->envname("SHIPLINE_DATABASE");
  serve_cmd
      ->add_option("--database-readers", serve.database.readers,
                   "PostgreSQL connections for reads, at most")
      ->envname("SHIPLINE_DATABASE_READERS")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  serve_cmd
      ->add_option("--database-writers", serve.database.writers,
                   "PostgreSQL write transactions in flight at once (one connection each)")
      ->envname("SHIPLINE_DATABASE_WRITERS")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  serve_cmd
      ->add_option("--database-batch", serve.database.batch,
                   "Requests per PostgreSQL write transaction, at most (group commit)")
      ->envname("SHIPLINE_DATABASE_BATCH")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  // Hidden, for tests: how long a node holds the email and broker consumers
  // before another may take them over.
  serve_cmd
      ->add_option("--master-key-file", serve.master_key_file,
                   "File holding the master key (base64 of 32 bytes) that seals stored secrets; "
                   "or SHIPLINE_MASTER_KEY; SQLite default: DATA/master.key, made if missing")
      ->envname("SHIPLINE_MASTER_KEY_FILE");
  serve_cmd
      ->add_option("--previous-master-key-file", serve.previous_master_key_file,
                   "File holding more master keys, one a line, to open what they sealed while a "
                   "rotation is under way; or SHIPLINE_PREVIOUS_MASTER_KEY")
      ->envname("SHIPLINE_PREVIOUS_MASTER_KEY_FILE");
  serve_cmd->add_option("--consumer-lease-ms", serve.consumer_lease_ms)
      ->envname("SHIPLINE_CONSUMER_LEASE_MS")
      ->check(CLI::Range(1000, 3'600'000))
      ->group("");
  // Hidden, for tests: how long a request holds its Idempotency-Key without
  // an answer before a repeat may take the key over.
  serve_cmd->add_option("--idempotency-lease-ms", serve.idempotency_lease_ms)
      ->envname("SHIPLINE_IDEMPOTENCY_LEASE_MS")
      ->check(CLI::Range(1000, 3'600'000))
      ->group("");
  // Hidden, for tests: how long a webhook delivery being sent stays taken,
  // i.e. how soon a delivery a killed node was sending goes out again.
  serve_cmd->add_option("--webhook-lease-ms", serve.webhook_lease_ms)
      ->envname("SHIPLINE_WEBHOOK_LEASE_MS")
      ->check(CLI::Range(1000, 3'600'000))
      ->group("");
  serve_cmd
      ->add_option("--smtp", serve.smtp,
                   "SMTP URL (smtp://host:port); without it mail is "
                   "written to DATA/mail/*.eml")
      ->envname("SHIPLINE_SMTP");
  serve_cmd->add_option("--mail-from", serve.mail_from, "Sender address of customer email")
      ->envname("SHIPLINE_MAIL_FROM")
      ->capture_default_str();
  serve_cmd->add_option("--payment-provider", serve.payment_provider, "manual or http")
      ->envname("SHIPLINE_PAYMENT_PROVIDER")
      ->check(CLI::IsMember({"manual", "http"}))
      ->capture_default_str();
  serve_cmd->add_option("--payment-url", serve.payment_url, "Base URL of the http payment provider")
      ->envname("SHIPLINE_PAYMENT_URL");
  serve_cmd
      ->add_option("--payment-secret", serve.payment_secret,
                   "Bearer secret for the http payment provider")
      ->envname("SHIPLINE_PAYMENT_SECRET");
  serve_cmd->add_option("--io-threads", serve.io_threads, "HTTP I/O threads")
      ->envname("SHIPLINE_IO_THREADS")
      ->capture_default_str();
  serve_cmd
      ->add_option(
          "--handler-threads", serve.handler_threads,
          "Threads for blocking work: request handlers on PostgreSQL, outside calls on SQLite")
      ->envname("SHIPLINE_HANDLER_THREADS")
      ->capture_default_str();
  serve_cmd
      ->add_option("--max-connections", serve.max_connections,
                   "Open client connections in all; more are closed at once")
      ->envname("SHIPLINE_MAX_CONNECTIONS")
      ->capture_default_str();
  serve_cmd
      ->add_option("--max-connections-per-client", serve.max_connections_per_client,
                   "Open connections from one client address; more are closed at once")
      ->envname("SHIPLINE_MAX_CONNECTIONS_PER_CLIENT")
      ->capture_default_str();
  serve_cmd->add_flag("--access-log,!--no-access-log", serve.access_log, "Log one line per request")
      ->envname("SHIPLINE_ACCESS_LOG");
  serve_cmd
      ->add_option("--broker", serve.broker,
                   "Publish every event to this STOMP broker: stomp://[user:pass@]host:port, "
                   "or stomp+ssl://... for TLS")
      ->envname("SHIPLINE_BROKER");
  add_broker_security_options(*serve_cmd, serve.broker_ca_file, serve.broker_allow_plaintext_login);
  serve_cmd
      ->add_option("--broker-topic", serve.broker_topics,
                   "EVENT_TYPE=TOPIC: publish that event type to /topic/TOPIC instead of its "
                   "own topic (repeatable; comma-separated in the environment)")
      ->envname("SHIPLINE_BROKER_TOPICS")
      ->delimiter(',');
  serve_cmd
      ->add_option("--email-worker", serve.email_worker,
                   "inprocess: send emails from this process; off: leave them to "
                   "`shipline worker email`")
      ->envname("SHIPLINE_EMAIL_WORKER")
      ->check(CLI::IsMember({"inprocess", "off"}))
      ->capture_default_str();
  serve_cmd
      ->add_flag("--allow-private-targets,--webhook-allow-private", serve.allow_private_targets,
                 "Let webhook receivers and http delivery providers be on loopback, private and "
                 "link-local addresses (tests, on-premise systems); --webhook-allow-private is "
                 "the older name")
      ->envname("SHIPLINE_ALLOW_PRIVATE_TARGETS");
  serve_cmd
      ->add_option("--webhook-retry-schedule", serve.webhook_retry_schedule,
                   "Delays between webhook attempts, e.g. 5s,5m,30m,2h (default: the Standard "
                   "Webhooks schedule over about 3 days)")
      ->envname("SHIPLINE_WEBHOOK_RETRY_SCHEDULE");
  serve_cmd
      ->add_option("--webhook-concurrency", serve.webhook_concurrency,
                   "Webhook requests in flight at once")
      ->envname("SHIPLINE_WEBHOOK_CONCURRENCY")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  serve_cmd
      ->add_option("--shipping-orders-rate", serve.shipping_orders_rate,
                   "Shipping Order API requests per second per API key (0: unlimited)")
      ->envname("SHIPLINE_SHIPPING_ORDERS_RATE")
      ->check(CLI::Range(0.0, 1e9))
      ->capture_default_str();
  serve_cmd
      ->add_option("--shipping-orders-burst", serve.shipping_orders_burst,
                   "Shipping Order API burst per API key (token bucket size)")
      ->envname("SHIPLINE_SHIPPING_ORDERS_BURST")
      ->check(CLI::Range(1.0, 1e9))
      ->capture_default_str();
  serve_cmd
      ->add_flag("--demo,!--no-demo", serve.demo,
                 "Demo mode: rate-table bookings progress by themselves to delivery")
      ->envname("SHIPLINE_DEMO");
  serve_cmd
      ->add_option("--demo-progress-interval-ms", serve.demo_progress_interval_ms,
                   "How often demo progress is recorded, in milliseconds")
      ->envname("SHIPLINE_DEMO_PROGRESS_INTERVAL_MS")
      ->check(CLI::Range(50, 3'600'000))
      ->capture_default_str();
  // Hidden, for tests: runs the retry schedule (and the 5-day disabling) this
  // many times faster. See docs/webhooks.md.
  serve_cmd->add_option("--webhook-time-scale", serve.webhook_time_scale)
      ->envname("SHIPLINE_TEST_TIME_SCALE")
      ->check(CLI::Range(1.0, 1e9))
      ->group("");

  std::string data = "./var";
  DatabaseConfig database;
  KeyOptions key_options;
  std::string list_tenant;
  int64_t revoke_id = 0;
  auto* keys_cmd = app.add_subcommand("keys", "Manage API keys (works while a server runs)");
  keys_cmd->require_subcommand(1);
  auto add_store_options = [&](CLI::App* cmd) {
    cmd->add_option("--data", data, "Data folder")->envname("SHIPLINE_DATA");
    cmd->add_option("--database", database.url, "PostgreSQL database (postgres://...)")
        ->envname("SHIPLINE_DATABASE");
    AddConfigOption(*cmd, config_path);
  };
  auto* create_cmd = keys_cmd->add_subcommand("create", "Create an API key and print it");
  add_store_options(create_cmd);
  create_cmd->add_option("--tenant", key_options.tenant, "Tenant (created if needed)")->required();
  create_cmd->add_option("--name", key_options.name, "Name of the key")->required();
  create_cmd
      ->add_option("--scopes", key_options.scopes,
                   "Scopes: read, write, admin (comma-separated; admin includes write, write "
                   "includes read)")
      ->delimiter(',')
      ->capture_default_str();
  create_cmd->add_option("--expires", key_options.expires,
                         "Expiry, ISO 8601 (e.g. 2030-01-31T00:00:00Z); default: never");
  auto* list_cmd = keys_cmd->add_subcommand("list", "List API keys, one JSON object a line");
  add_store_options(list_cmd);
  list_cmd->add_option("--tenant", list_tenant, "Only this tenant's keys");
  auto* revoke_cmd = keys_cmd->add_subcommand("revoke", "Revoke an API key");
  add_store_options(revoke_cmd);
  revoke_cmd->add_option("id", revoke_id, "The key's id (from keys list)")
      ->required()
      ->check(CLI::PositiveNumber);

  auto* migrate_cmd = app.add_subcommand("migrate", "Apply database migrations and exit");
  add_store_options(migrate_cmd);

  std::string backup_file;
  auto* backup_cmd = app.add_subcommand(
      "backup",
      "Write a consistent copy of the embedded database and the mail folder to FILE "
      "(works while a server runs)");
  backup_cmd->add_option("--data", data, "Data folder")->envname("SHIPLINE_DATA");
  AddConfigOption(*backup_cmd, config_path);
  backup_cmd->add_option("--to", backup_file, "Backup file to write (must not exist)")->required();
  auto* restore_cmd = app.add_subcommand(
      "restore", "Put a backup back into an empty data folder (no server may use it)");
  restore_cmd->add_option("--data", data, "Data folder (absent or empty)")
      ->envname("SHIPLINE_DATA");
  AddConfigOption(*restore_cmd, config_path);
  restore_cmd->add_option("--from", backup_file, "Backup file written by shipline backup")
      ->required();

  std::string check_file;
  auto* config_cmd = app.add_subcommand("config", "The configuration file");
  config_cmd->require_subcommand(1);
  auto* config_check_cmd = config_cmd->add_subcommand(
      "check", "Validate a configuration file without starting; prints the problem and exits 2");
  config_check_cmd->add_option("file", check_file, "The TOML file")->required();

  std::vector<std::string> tracking_words;
  auto* tracking_cmd = app.add_subcommand("tracking", "Tracking numbers");
  tracking_cmd->require_subcommand(1);
  auto* check_cmd = tracking_cmd->add_subcommand(
      "check", "Recognise a tracking number: prints {carrier, format, valid, trackingUrl}");
  check_cmd->add_option("number", tracking_words, "The tracking number (spaces are ignored)")
      ->required();

  EmailWorkerConfig email_worker;
  auto* worker_cmd = app.add_subcommand("worker", "Run a worker as its own process");
  worker_cmd->require_subcommand(1);
  auto* email_worker_cmd = worker_cmd->add_subcommand(
      "email", "Send shipment emails for the events on the broker's email queue");
  AddConfigOption(*email_worker_cmd, config_path);
  // Required, from a flag, the environment or the configuration file.
  email_worker_cmd
      ->add_option("--broker", email_worker.broker,
                   "STOMP broker URL (stomp://..., or stomp+ssl://... for TLS)")
      ->envname("SHIPLINE_BROKER");
  add_broker_security_options(*email_worker_cmd, email_worker.broker_ca_file,
                              email_worker.broker_allow_plaintext_login);
  email_worker_cmd->add_option("--data", email_worker.data, "Data folder (the nodes' database)")
      ->envname("SHIPLINE_DATA")
      ->capture_default_str();
  email_worker_cmd
      ->add_option("--database", email_worker.database.url,
                   "PostgreSQL database of the nodes (postgres://...), instead of DATA")
      ->envname("SHIPLINE_DATABASE");
  email_worker_cmd
      ->add_option("--smtp", email_worker.smtp,
                   "SMTP URL; without it mail is written to DATA/mail/*.eml")
      ->envname("SHIPLINE_SMTP");
  email_worker_cmd
      ->add_option("--mail-from", email_worker.mail_from, "Sender address of customer email")
      ->envname("SHIPLINE_MAIL_FROM")
      ->capture_default_str();
  email_worker_cmd->add_option("--queue", email_worker.queue, "Queue to consume")
      ->envname("SHIPLINE_EMAIL_QUEUE")
      ->capture_default_str();

  RotateOptions rotate;
  auto* secrets_cmd = app.add_subcommand("secrets", "Secrets at rest");
  secrets_cmd->require_subcommand(1);
  auto* rotate_cmd = secrets_cmd->add_subcommand(
      "rotate",
      "Re-seal every stored secret with a new master key (servers on PostgreSQL may run)");
  rotate_cmd->add_option("--data", rotate.data, "Data folder")->envname("SHIPLINE_DATA");
  rotate_cmd->add_option("--database", rotate.database.url, "PostgreSQL database (postgres://...)")
      ->envname("SHIPLINE_DATABASE");
  rotate_cmd->add_option("--master-key-file", rotate.master_key_file, "The key in use")
      ->envname("SHIPLINE_MASTER_KEY_FILE");
  rotate_cmd
      ->add_option("--previous-master-key-file", rotate.previous_master_key_file,
                   "More keys in use, one a line")
      ->envname("SHIPLINE_PREVIOUS_MASTER_KEY_FILE");
  rotate_cmd->add_option("--new-key-file", rotate.new_key_file, "The new key (base64 of 32 bytes)")
      ->required();
  rotate_cmd->add_flag("--force", rotate.force,
                       "Rotate even when a node seen in the last minute does not hold the new key");
  AddConfigOption(*rotate_cmd, config_path);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Every usage error exits 2, as a bad configuration file does: the units'
    // RestartPreventExitStatus=2 then stops instead of restarting in a loop.
    return app.exit(e) == 0 ? 0 : 2;
  }

  // The configuration file fills what flags and the environment left unset
  // (main/config_file.hpp): the one place that orders the sources.
  const std::vector<const CLI::App*> config_schema{serve_cmd, email_worker_cmd};
  if (config_check_cmd->parsed()) {
    for (CLI::App* command : {serve_cmd, email_worker_cmd}) {
      if (Status checked = ApplyConfigFile(check_file, *command, config_schema); !checked.ok()) {
        std::cerr << "shipline: " << checked.error().message << "\n";
        return 2;
      }
    }
    std::cout << check_file << ": ok\n";
    return 0;
  }
  for (CLI::App* command : {serve_cmd, email_worker_cmd, create_cmd, list_cmd, revoke_cmd,
                            migrate_cmd, backup_cmd, restore_cmd, rotate_cmd}) {
    if (!command->parsed()) continue;
    std::string path = ConfigPathToUse(config_path);
    if (path.empty()) break;
    if (Status applied = ApplyConfigFile(path, *command, config_schema); !applied.ok()) {
      std::cerr << "shipline: " << applied.error().message << "\n";
      return 2;
    }
  }

  auto run = [&]() -> int {
    if (serve_cmd->parsed()) return Serve(serve);
    if (create_cmd->parsed()) return CreateKey(data, database, key_options);
    if (list_cmd->parsed()) return ListKeys(data, database, list_tenant);
    if (revoke_cmd->parsed()) return RevokeKey(data, database, revoke_id);
    if (migrate_cmd->parsed()) return MigrateCommand(data, database);
    if (check_cmd->parsed()) return TrackingCheckCommand(tracking_words);
    if (email_worker_cmd->parsed()) return EmailWorkerCommand(email_worker);
    if (rotate_cmd->parsed()) return RotateSecretsCommand(rotate);
    if (backup_cmd->parsed()) return BackupCommand(data, backup_file);
    if (restore_cmd->parsed()) return RestoreCommand(backup_file, data);
    std::cerr << app.help();
    return 2;
  };
  int code = run();
  // Log lines are written in batches: the last ones go out before exit.
  shipline::app::FlushLog();
  return code;
}
