#pragma once

// The metrics side of `shipline serve`: the separate listener that serves
// GET /metrics (Prometheus text format, no API key) and the gauges that are
// read when it is scraped.

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "app/clock.hpp"
#include "app/metrics/registry.hpp"
#include "app/store.hpp"
#include "domain/result.hpp"
#include "http/server.hpp"

namespace shipline::main {

class MetricsListener {
 public:
  // Binds `listen` ("HOST:PORT") and serves the registry's page on a thread
  // of its own until destroyed. kInvalidArgument for a malformed address;
  // kUnavailable when the address cannot be bound (e.g. a busy port).
  static Result<std::unique_ptr<MetricsListener>> Start(const std::string& listen,
                                                        const app::metrics::Registry& registry);
  ~MetricsListener();
  MetricsListener(const MetricsListener&) = delete;
  MetricsListener& operator=(const MetricsListener&) = delete;

  const std::string& address() const { return address_; }

 private:
  MetricsListener(std::unique_ptr<http::Server> server, std::string address);

  std::unique_ptr<http::Server> server_;
  std::string address_;
  std::thread thread_;
};

// Gauges read at scrape time: open connections of `server`; per consumer in
// `consumers` ("email", "broker") and for webhook deliveries, the events it
// is behind and the age of its oldest unprocessed one (read from `store`,
// counted up to kBacklogCap); the process's resident memory and open file
// descriptors. Everything passed must outlive the registry's scrapes.
void AddServeGauges(app::metrics::Registry& registry, const http::Server& server, app::Store& store,
                    app::Clock& clock, std::vector<std::string> consumers);

// A backlog is counted up to this many events, so that a scrape costs a
// bounded read however far a consumer has fallen behind.
inline constexpr int64_t kBacklogCap = 100'000;

}  // namespace shipline::main
