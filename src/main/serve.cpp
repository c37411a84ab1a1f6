// The composition root of `shipline serve`: opens the store, builds the
// adapters, use cases, workers and routes, and runs the HTTP server.

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <random>
#include <string>

#include "adapters/mail/file_mailer.hpp"
#include "adapters/mail/smtp_mailer.hpp"
#include "adapters/payments/http_payment_gateway.hpp"
#include "adapters/payments/manual_payment_gateway.hpp"
#include "app/api_keys.hpp"
#include "app/complete_shipment.hpp"
#include "app/create_shipment.hpp"
#include "app/idempotency_keys.hpp"
#include "app/log.hpp"
#include "app/order_queries.hpp"
#include "app/orders.hpp"
#include "app/secrets_at_rest.hpp"
#include "app/storefronts.hpp"
#include "app/update_tracking.hpp"
#include "http/router.hpp"
#include "http/routes.hpp"
#include "http/server.hpp"
#include "main/broker_setup.hpp"
#include "main/commands.hpp"
#include "main/data_folder.hpp"
#include "main/descriptor_budget.hpp"
#include "main/listen_address.hpp"
#include "main/master_key.hpp"
#include "main/metrics_setup.hpp"
#include "main/shipping_services.hpp"
#include "main/systemd_notify.hpp"
#include "main/webhooks_setup.hpp"
#include "workers/broker_publisher.hpp"
#include "workers/consumer_loop.hpp"
#include "workers/email_worker.hpp"

namespace shipline::main {

namespace {

std::unique_ptr<app::PaymentGateway> MakePayments(const ServeConfig& config) {
  if (config.payment_provider == "http") {
    return std::make_unique<adapters::HttpPaymentGateway>(config.payment_url,
                                                          config.payment_secret);
  }
  return std::make_unique<adapters::ManualPaymentGateway>();
}

std::unique_ptr<app::Mailer> MakeMailer(const ServeConfig& config) {
  if (!config.smtp.empty()) return std::make_unique<adapters::SmtpMailer>(config.smtp);
  return std::make_unique<adapters::FileMailer>(std::filesystem::path(config.data) / "mail");
}

// --max-connections, or fewer when the open-file limit (raised to its hard
// limit first) cannot hold that many besides what the rest of serve needs.
size_t ConnectionsForDescriptors(const ServeConfig& config) {
  const size_t wanted = std::max<size_t>(1, config.max_connections);
  const size_t open_file_limit = RaiseOpenFileLimit();
  const size_t reserved = DescriptorsReserved(config);
  const size_t fit = ConnectionsThatFit(wanted, open_file_limit, reserved);
  if (fit < wanted) {
    app::LogWarn("max connections lowered to fit the open-file limit",
                 app::LogFields()
                     .Add("max_connections", wanted)
                     .Add("open_file_limit", open_file_limit)
                     .Add("reserved", reserved)
                     .Add("effective_max_connections", fit));
  }
  return fit;
}

// This process's name in live_nodes (app/secrets_at_rest.hpp): host and
// process id, for the operator who reads it in a refused rotation, and a
// random part, so that a restart with the same process id is another node.
std::string NodeId() {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  std::random_device random;
  char suffix[9];
  std::snprintf(suffix, sizeof(suffix), "%08x", random());
  return std::string(host[0] != '\0' ? host : "node") + ":" + std::to_string(getpid()) + ":" +
         suffix;
}

}  // namespace

int Serve(const ServeConfig& config) {
  SetUpJsonLogging();
  http::ServerOptions server_options;
  if (!SplitListen(config.listen, server_options)) {
    std::cerr << "shipline: --listen must be HOST:PORT, got " << config.listen << "\n";
    return 2;
  }
  if (config.payment_provider == "http" && config.payment_url.empty()) {
    std::cerr << "shipline: --payment-provider http needs --payment-url\n";
    return 2;
  }
  if (Status broker_config = CheckBrokerConfig(config); !broker_config.ok()) {
    std::cerr << "shipline: " << broker_config.error().message << "\n";
    return 2;
  }
  server_options.io_threads = std::max<size_t>(1, config.io_threads);
  server_options.handler_threads = std::max<size_t>(1, config.handler_threads);
  server_options.max_connections = ConnectionsForDescriptors(config);
  server_options.max_connections_per_client =
      std::max<size_t>(1, config.max_connections_per_client);
  server_options.access_log = config.access_log;
  // The embedded store blocks a caller only on its own writer, which parks a
  // fiber; PostgreSQL's reads wait on the network, so its handlers keep the
  // pool.
  server_options.handlers_in_fibers = !IsSharedDatabase(config.database);

  // Declared before everything that reports to it, the store included (the
  // metrics listener comes last: no scrape outlives what it reads).
  app::metrics::Registry metrics;
  // Declared before the store: its writer wakes the consumers through it.
  app::EventSignal signal;
  auto store = OpenStore(config.data, config.database);
  if (!store) {
    app::LogError("cannot open the store", app::LogFields().Add("detail", store.error().detail));
    return store.error().code == ErrorCode::kInvalidArgument ? 2 : 1;
  }
  (*store)->WakeOnCommit(&signal);
  (*store)->MeasureCommits(metrics);
  // A shared database (PostgreSQL) has other nodes on it: no folder lock,
  // and claims left by a crashed node expire by their lease instead.
  std::unique_ptr<FolderLock> lock;
  if (!IsSharedDatabase(config.database)) {
    auto locked = LockForServing(config.data);
    if (!locked) {
      app::LogError(locked.error().message, app::LogFields().Add("detail", locked.error().detail));
      return 1;
    }
    lock = std::move(*locked);
    // One node owns this database: a completion claim can only be left over
    // from a crash, so free them now rather than after their lease.
    if (Status freed =
            (*store)->Write([](app::StoreWriter& tx) { return tx.Orders().ReleaseAllClaims(); });
        !freed.ok()) {
      app::LogError("cannot release completion claims",
                    app::LogFields().Add("detail", freed.error().detail));
      return 1;
    }
  }
  app::SystemClock clock;
  // Secrets at rest: the database's current key, which must be among the
  // keys given, seals them from here on; the first start with a key seals the
  // clear ones an older version left.
  auto master_keys = LoadMasterKeys(config.master_key_file, config.previous_master_key_file,
                                    config.data, IsSharedDatabase(config.database));
  if (!master_keys) {
    app::LogError(master_keys.error().message);
    return 2;
  }
  const std::shared_ptr<const app::MasterKeyRing> ring = *master_keys;
  auto sealed = app::AdoptMasterKeys(**store, ring, clock.NowMillis());
  // The key ids this node holds, for `secrets rotate` to check; written
  // after adoption, refreshed below and removed on a clean stop.
  const std::string node_id = NodeId();
  const int64_t started_at = clock.NowMillis();
  Status published = sealed.ok()
                         ? app::PublishNodeKeys(**store, node_id, *ring, started_at, started_at)
                         : Status(sealed.error());
  if (!published.ok()) {
    app::LogError("cannot use the master key", app::LogFields()
                                                   .Add("reason", published.error().message)
                                                   .Add("detail", published.error().detail));
    return published.error().code == ErrorCode::kFailedPrecondition ? 2 : 1;
  }
  if (*sealed > 0) app::LogInfo("sealed clear secrets", app::LogFields().Add("count", *sealed));
  app::RandomIdSource ids;
  app::IdempotencyKeys idempotency_keys(**store, clock, ids,
                                        {.lease_ms = config.idempotency_lease_ms});
  if (lock) {
    // As with completion claims: one node, so an unanswered Idempotency-Key
    // claim is a crash's leftover, and a retry need not wait for its lease.
    if (Status ended = idempotency_keys.EndAllLeases(); !ended.ok()) {
      app::LogError("cannot end idempotency key leases",
                    app::LogFields().Add("detail", ended.error().detail));
      return 1;
    }
  }
  auto remote_events = WakeOnRemoteEvents(config.database, signal);
  auto payments = MakePayments(config);
  auto mailer = MakeMailer(config);

  app::ApiKeys keys(**store, clock, ids);
  auto admin_key = keys.Bootstrap();
  if (!admin_key) {
    app::LogError("cannot create the first tenant",
                  app::LogFields().Add("detail", admin_key.error().detail));
    return 1;
  }
  if (!admin_key->empty()) {
    std::cout << "admin API key: " << *admin_key << std::endl;
    app::LogInfo("created tenant default and its admin key (printed once on standard output)");
  }

  app::Orders orders(**store, clock);
  app::OrderQueries queries(**store, clock, ids);
  if (Status prepared = queries.Prepare(); !prepared.ok()) {
    app::LogWarn("cursor secret not ready; lists will create it",
                 app::LogFields().Add("detail", prepared.error().detail));
  }
  app::CompleteShipment complete(**store, *payments, clock, ids, &metrics);
  app::Storefronts storefronts(**store, clock);
  app::CreateShipment create_shipment(**store, clock, complete);
  app::UpdateTracking update_tracking(**store, clock);
  http::Router router(&keys, &metrics);
  http::Services services;
  services.store = &**store;
  services.api_keys = &keys;
  services.complete = &complete;
  services.orders = &orders;
  services.queries = &queries;
  services.storefronts = &storefronts;
  services.create_shipment = &create_shipment;
  services.update_tracking = &update_tracking;
  services.idempotency_keys = &idempotency_keys;
  WebhookConfig webhook_config{config.allow_private_targets, config.webhook_retry_schedule,
                               config.webhook_time_scale,    config.webhook_concurrency,
                               config.webhook_lease_ms,      &metrics};
  auto webhooks = WebhookServices::Create(webhook_config, **store, clock, ids, signal, complete);
  if (!webhooks) {
    std::cerr << "shipline: " << webhooks.error().message << "\n";
    return 2;
  }
  (*webhooks)->AddTo(services);
  ShippingServices shipping(
      {config.shipping_orders_rate, config.shipping_orders_burst, config.demo,
       config.allow_private_targets,
       std::chrono::milliseconds(std::max<int64_t>(50, config.demo_progress_interval_ms))},
      **store, clock, ids);
  shipping.AddTo(services);
  http::AddAllRoutes(router, services);

  workers::EmailWorker::Options email_options;
  email_options.from = config.mail_from;
  email_options.lease = std::chrono::milliseconds(config.consumer_lease_ms);
  email_options.metrics = &metrics;
  workers::EmailWorker email(**store, *mailer, clock, signal, email_options);
  if (config.email_worker == "inprocess") email.Start();
  (*webhooks)->Start();
  shipping.Start();
  // Keys' last uses are noted in memory by requests and written from here,
  // at most once a minute per key, so no request waits for that write.
  workers::ConsumerLoop key_use({.thread_name = "key-use",
                                 .what = "key use flush",
                                 .failure_log = "cannot record API key use"},
                                nullptr, [&keys] {
                                  Status flushed = keys.FlushUse();
                                  return flushed.ok() ? Result<int>(0)
                                                      : Result<int>(flushed.error());
                                });
  key_use.Start();
  // Idempotency keys older than their retention go in bounded batches; a
  // full batch is followed at once by the next.
  workers::ConsumerLoop prune_keys({.thread_name = "key-pruning",
                                    .what = "idempotency key pruning",
                                    .failure_log = "cannot prune idempotency keys",
                                    .poll = std::chrono::minutes(1)},
                                   nullptr, [&idempotency_keys] {
                                     auto pruned = idempotency_keys.Prune();
                                     return pruned ? Result<int>(static_cast<int>(*pruned))
                                                   : Result<int>(pruned.error());
                                   });
  prune_keys.Start();
  workers::ConsumerLoop node_keys(
      {.thread_name = "node-keys",
       .what = "node key refresh",
       .failure_log = "cannot publish this node's master key ids",
       .poll = std::chrono::milliseconds(app::kNodeRefreshMs),
       .first_retry = std::chrono::milliseconds(500),
       .max_retry = std::chrono::milliseconds(app::kNodeRefreshMs),
       .wait_first = true},
      nullptr, [&] {
        Status refreshed =
            app::PublishNodeKeys(**store, node_id, *ring, started_at, clock.NowMillis());
        return refreshed.ok() ? Result<int>(0) : Result<int>(refreshed.error());
      });
  node_keys.Start();
  auto broker = StartBrokerPublishing(config, **store, signal);
  if (!broker) {
    std::cerr << "shipline: " << broker.error().message << "\n";
    return 2;
  }

  server_options.transport_error = [&router](std::string_view target, int status,
                                             const std::string& message) {
    return router.TransportError(target, status, message);
  };
  http::Server server(server_options,
                      [&router](http::Request& request) { return router.Handle(request); });
  auto bound = server.Listen();
  if (!bound) {
    app::LogError(bound.error().message, app::LogFields().Add("detail", bound.error().detail));
    return 1;
  }
  std::unique_ptr<MetricsListener> metrics_listener;
  if (config.metrics_listen != "off") {
    std::vector<std::string> consumers;
    if (config.email_worker == "inprocess") consumers.push_back(workers::EmailWorker::kConsumer);
    if (!config.broker.empty()) consumers.push_back(workers::BrokerPublisher::kConsumer);
    AddServeGauges(metrics, server, **store, clock, std::move(consumers));
    auto started = MetricsListener::Start(config.metrics_listen, metrics);
    if (!started) {
      app::LogError(started.error().message,
                    app::LogFields().Add("detail", started.error().detail));
      return started.error().code == ErrorCode::kInvalidArgument ? 2 : 1;
    }
    metrics_listener = std::move(*started);
    app::LogInfo("serving metrics", app::LogFields().Add("address", metrics_listener->address()));
  }
  app::LogInfo("listening", app::LogFields()
                                .Add("address", *bound)
                                .Add("data", config.data)
                                .Add("mail", mailer->Transport())
                                .Add("payment_provider", config.payment_provider));
  app::FlushLog();  // supervisors and tests wait for this line
  // Under systemd (Type=notify): ready now that the store is open and the
  // server listens; the watchdog pings while the store's writer answers (an
  // error is an answer: a database outage is not a hung process) and the I/O
  // and handler threads answer /readyz.
  SystemdNotifier systemd;
  systemd.Notify("READY=1\nSTATUS=serving on " + *bound);
  auto watchdog = std::make_unique<Watchdog>(systemd, [&store = **store, address = *bound] {
    (void)store.Write([](app::StoreWriter&) { return Status(); });  // returns: the writer lives
    return ServerAnswers(address, std::chrono::seconds(5));
  });
  server.Run();
  systemd.Notify("STOPPING=1");
  watchdog.reset();
  metrics_listener.reset();
  broker->reset();
  shipping.Stop();
  (*webhooks)->Stop();
  key_use.Stop();
  prune_keys.Stop();
  node_keys.Stop();
  if (Status withdrawn = app::WithdrawNodeKeys(**store, node_id); !withdrawn.ok()) {
    app::LogWarn("cannot remove this node's master key ids",
                 app::LogFields().Add("detail", withdrawn.error().detail));
  }
  if (Status flushed = keys.FlushUse(); !flushed.ok()) {
    app::LogWarn("cannot record API key use",
                 app::LogFields().Add("detail", flushed.error().detail));
  }
  email.Stop();
  app::LogInfo("stopped");
  return 0;
}

}  // namespace shipline::main
