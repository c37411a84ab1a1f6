#include "main/metrics_setup.hpp"

#include "adapters/system/process_stats.hpp"
#include "app/log.hpp"
#include "app/metrics/text_format.hpp"
#include "app/named_thread.hpp"
#include "main/listen_address.hpp"

namespace shipline::main {

Result<std::unique_ptr<MetricsListener>> MetricsListener::Start(
    const std::string& listen, const app::metrics::Registry& registry) {
  http::ServerOptions options;
  if (!SplitListen(listen, options)) {
    return Error::Invalid("--metrics-listen must be HOST:PORT or off, got " + listen,
                          "metrics-listen");
  }
  // A scraper needs little: one I/O thread, a few handlers, no access log.
  options.io_threads = 1;
  options.handler_threads = 2;
  options.body_limit = 4 << 10;
  options.max_connections = 64;
  options.access_log = false;
  options.stop_on_signals = false;  // stopped with the main listener, by its owner
  auto server = std::make_unique<http::Server>(options, [&registry](http::Request& request) {
    http::Response response;
    if (request.path != "/metrics") {
      response.status = 404;
      response.body = R"({"error":"no such endpoint"})";
    } else if (request.method != "GET" && request.method != "HEAD") {
      response.status = 405;
      response.body = R"({"error":"method not allowed"})";
    } else {
      response.content_type = app::metrics::kTextContentType;
      response.body = app::metrics::RenderText(registry.Collect());
    }
    return response;
  });
  auto bound = server->Listen();
  if (!bound) {
    Error error = std::move(bound).error();
    error.message = "metrics listener: " + error.message;
    return error;
  }
  return std::unique_ptr<MetricsListener>(new MetricsListener(std::move(server), *bound));
}

MetricsListener::MetricsListener(std::unique_ptr<http::Server> server, std::string address)
    : server_(std::move(server)), address_(std::move(address)) {
  thread_ = app::NamedThread("metrics", [this] { server_->Run(); });
}

MetricsListener::~MetricsListener() {
  server_->Stop();
  thread_.join();
}

void AddServeGauges(app::metrics::Registry& registry, const http::Server& server, app::Store& store,
                    app::Clock& clock, std::vector<std::string> consumers) {
  using app::metrics::GaugeWriter;
  registry.AddCollector([&server](GaugeWriter& out) {
    out.Gauge("shipline_http_open_connections", "Client connections open on the API listener.", {},
              static_cast<double>(server.OpenConnections()));
  });
  registry.AddCollector([&store, &clock, consumers = std::move(consumers)](GaugeWriter& out) {
    struct Row {
      std::string consumer;
      app::ConsumerBacklog backlog;
    };
    std::vector<Row> rows;
    Status read = store.Read([&](app::StoreReader& reader) -> Status {
      rows.clear();
      for (const auto& consumer : consumers) {
        auto backlog = reader.Events().Backlog(consumer, kBacklogCap);
        if (!backlog) return std::move(backlog).error();
        rows.push_back({consumer, *backlog});
      }
      auto webhooks = reader.Events().WebhookBacklog(kBacklogCap);
      if (!webhooks) return std::move(webhooks).error();
      rows.push_back({"webhooks", *webhooks});
      return Ok();
    });
    if (!read.ok()) {
      app::LogWarn("metrics: cannot read consumer backlogs",
                   app::LogFields().Add("detail", read.error().detail));
      return;
    }
    const int64_t now = clock.NowMillis();
    for (const auto& row : rows) {
      out.Gauge("shipline_consumer_lag_events",
                "Events a consumer has not processed yet (webhooks: pending deliveries), counted "
                "up to 100000.",
                {{"consumer", row.consumer}}, static_cast<double>(row.backlog.behind));
      double age = 0;
      if (row.backlog.oldest_created_at) {
        age = static_cast<double>(std::max<int64_t>(0, now - *row.backlog.oldest_created_at)) /
              1000.0;
      }
      out.Gauge("shipline_consumer_oldest_unprocessed_age_seconds",
                "Age of the oldest event a consumer has not processed yet; 0 when it is not "
                "behind.",
                {{"consumer", row.consumer}}, age);
    }
  });
  registry.AddCollector([](GaugeWriter& out) {
    adapters::ProcessStats stats = adapters::ReadProcessStats();
    if (stats.resident_bytes) {
      out.Gauge("process_resident_memory_bytes", "Resident memory size in bytes.", {},
                static_cast<double>(*stats.resident_bytes));
    }
    if (stats.open_fds) {
      out.Gauge("process_open_fds", "Number of open file descriptors.", {},
                static_cast<double>(*stats.open_fds));
    }
  });
}

}  // namespace shipline::main
