#pragma once

// Wiring of shipment notifications both ways for `shipline serve`: the
// webhook and 3PL use cases, the 3PL formatter, the libcurl transport and the
// webhook worker, built from the serve flags and owned together.

#include <memory>
#include <string>

#include "app/clock.hpp"
#include "app/complete_shipment.hpp"
#include "app/event_signal.hpp"
#include "app/store.hpp"
#include "domain/result.hpp"
#include "http/routes.hpp"

namespace shipline::main {

struct WebhookConfig {
  bool allow_private = false;  // receivers on loopback and private networks
  std::string retry_schedule;  // comma-separated durations; empty: the default
  double time_scale = 1;       // tests: divide every retry duration by this
  size_t concurrency = 64;     // requests in flight
  int64_t lease_ms = 120'000;  // a delivery being sent stays taken this long
  // Where deliveries and 3PL notifications are counted (not owned); none: not counted.
  app::metrics::Registry* metrics = nullptr;
};

class WebhookServices {
 public:
  // kInvalidArgument for a malformed schedule or scale.
  static Result<std::unique_ptr<WebhookServices>> Create(const WebhookConfig& config,
                                                         app::Store& store, app::Clock& clock,
                                                         app::IdSource& ids,
                                                         app::EventSignal& signal,
                                                         app::CompleteShipment& complete);
  ~WebhookServices();

  // Registers the use cases for their routes.
  void AddTo(http::Services& services);
  void Start();
  void Stop();

 private:
  struct Parts;
  explicit WebhookServices(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace shipline::main
