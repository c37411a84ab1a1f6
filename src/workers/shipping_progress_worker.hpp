#pragma once

// Demo mode: a thread that, every `interval`, records the simulated progress
// of the bookings made with rate-table providers (pickup started, completed,
// out for delivery, delivered), as if the provider had reported it.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "app/shipping_orders/shipping_orders.hpp"

namespace shipline::workers {

class ShippingProgressWorker {
 public:
  ShippingProgressWorker(app::ShippingOrders& orders, std::chrono::milliseconds interval)
      : orders_(orders), interval_(interval) {}
  ~ShippingProgressWorker() { Stop(); }

  void Start();
  // Returns once the thread has finished its current round. Idempotent.
  void Stop();

  static constexpr int kOrdersPerRound = 1000;

 private:
  void Loop();

  app::ShippingOrders& orders_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace shipline::workers
