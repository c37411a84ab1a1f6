#include "workers/shipping_progress_worker.hpp"

#include "app/log.hpp"

namespace shipline::workers {

ShippingProgressWorker::ShippingProgressWorker(app::ShippingOrders& orders,
                                               std::chrono::milliseconds interval)
    : orders_(orders),
      // Every round waits an interval first, failed or not: each round moves
      // an order one step on, so rounds must not follow each other at once.
      loop_({.thread_name = "demo-progress",
             .what = "simulated progress round",
             .failure_log = "simulated progress failed",
             .poll = interval,
             .first_retry = interval,
             .max_retry = interval,
             .wait_first = true},
            nullptr, [this] { return Advance(); }) {}

Result<int> ShippingProgressWorker::Advance() {
  auto moved = orders_.AdvanceSimulated(kOrdersPerRound);
  if (!moved) return std::move(moved).error();
  if (*moved > 0) app::LogInfo("simulated progress", app::LogFields().Add("orders", *moved));
  return 0;  // done for this interval, however many moved
}

}  // namespace shipline::workers
