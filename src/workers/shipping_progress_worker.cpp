#include "workers/shipping_progress_worker.hpp"

#include "app/log.hpp"
#include "workers/guarded.hpp"

namespace shipline::workers {

void ShippingProgressWorker::Start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void ShippingProgressWorker::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ShippingProgressWorker::Loop() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      if (cv_.wait_for(lock, interval_, [this] { return stopping_; })) return;
    }
    auto moved = Guarded("simulated progress round",
                         [this] { return orders_.AdvanceSimulated(kOrdersPerRound); });
    if (!moved) {
      app::LogWarn("simulated progress failed",
                   app::LogFields().Add("detail", moved.error().detail));
    } else if (*moved > 0) {
      app::LogInfo("simulated progress", app::LogFields().Add("orders", *moved));
    }
  }
}

}  // namespace shipline::workers
