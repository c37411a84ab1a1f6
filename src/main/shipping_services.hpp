#pragma once

// The composition of the shipping-order feature for `shipline serve`: the
// provider factory, the use cases, the Shipping Order API's rate limiter and,
// in demo mode, the simulated-progress worker.

#include <chrono>
#include <memory>

#include "adapters/providers/provider_factory.hpp"
#include "app/shipping_orders/delivery_network.hpp"
#include "app/shipping_orders/shipping_orders.hpp"
#include "http/rate_limiter.hpp"
#include "http/routes.hpp"
#include "workers/shipping_progress_worker.hpp"

namespace shipline::main {

struct ShippingConfig {
  double rate = 100;   // requests per second per API key on the Shipping Order API; 0: unlimited
  double burst = 200;  // bucket size
  bool demo = false;   // rate-table bookings progress by themselves
  bool allow_private_targets = false;  // http providers on loopback/private networks
  std::chrono::milliseconds progress_interval{5000};
};

class ShippingServices {
 public:
  ShippingServices(const ShippingConfig& config, app::Store& store, app::Clock& clock,
                   app::IdSource& ids);

  void AddTo(http::Services& services);
  void Start();
  void Stop();

 private:
  ShippingConfig config_;
  adapters::BuiltInProviderFactory factory_;
  app::NoGeocoder geocoder_;
  app::ShippingOrders orders_;
  app::DeliveryNetwork network_;
  http::RateLimiter limiter_;
  workers::ShippingProgressWorker progress_;
};

}  // namespace shipline::main
