#pragma once

// Demo mode: a thread that, every `interval`, records the simulated progress
// of the bookings made with rate-table providers (pickup started, completed,
// out for delivery, delivered), as if the provider had reported it.

#include <chrono>

#include "app/shipping_orders/shipping_orders.hpp"
#include "workers/consumer_loop.hpp"

namespace shipline::workers {

class ShippingProgressWorker {
 public:
  ShippingProgressWorker(app::ShippingOrders& orders, std::chrono::milliseconds interval);
  ~ShippingProgressWorker() { Stop(); }

  void Start() { loop_.Start(); }
  // Returns once the thread has finished its current round. Idempotent.
  void Stop() { loop_.Stop(); }

  static constexpr int kOrdersPerRound = 1000;

 private:
  // One step of progress for up to kOrdersPerRound orders.
  Result<int> Advance();

  app::ShippingOrders& orders_;
  ConsumerLoop loop_;
};

}  // namespace shipline::workers
