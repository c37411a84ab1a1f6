#pragma once

// The webhook sender: a consumer of the deliveries table. Deliveries are
// written with their events (see WebhookRepository::FanOut), so this worker
// keeps no position of its own: it takes whatever is due, sends it through
// the transport (many at once, bounded overall and per subscription), and
// records every attempt with its effect (delivered, retry at, failed,
// subscription disabled) in one transaction per batch of answers.
//
// Taking a delivery moves its due time past the transport's timeout (a
// lease), so a crash mid-send only delays that delivery; a clean stop makes
// the deliveries in flight due again at once. A receiver may therefore see a
// message twice after a crash, with the same webhook-id.

#include <chrono>
#include <random>
#include <unordered_map>
#include <vector>

#include "app/clock.hpp"
#include "app/event_signal.hpp"
#include "app/metrics/registry.hpp"
#include "app/store.hpp"
#include "app/webhooks/delivery_body.hpp"
#include "app/webhooks/retry_policy.hpp"
#include "app/webhooks/webhook_transport.hpp"
#include "workers/consumer_loop.hpp"

namespace shipline::workers {

class WebhookWorker {
 public:
  struct Options {
    size_t max_in_flight = 64;
    size_t max_in_flight_per_subscription = 16;
    std::chrono::milliseconds poll{1000};  // also picks up other nodes' deliveries
    int64_t lease_ms = 120'000;            // longer than any transfer can take
    // After the first answer of a round, how long to wait for more before
    // recording them together (one commit per round).
    std::chrono::milliseconds linger{5};
    app::webhooks::RetryPolicy policy = app::webhooks::RetryPolicy::Default();
    // Where attempts are counted by outcome (not owned); none: not counted.
    app::metrics::Registry* metrics = nullptr;
  };

  WebhookWorker(app::Store& store, app::webhooks::WebhookTransport& transport,
                const app::webhooks::DeliveryBodies& bodies, app::Clock& clock,
                app::EventSignal& signal, Options options);
  ~WebhookWorker() { Stop(); }
  WebhookWorker(const WebhookWorker&) = delete;
  WebhookWorker& operator=(const WebhookWorker&) = delete;

  void Start();
  // Stops sending, abandons transfers in flight and makes them due again.
  void Stop();

  // One round: starts what is due (as far as the limits allow), waits up to
  // `max_wait` for answers and records them. Returns the number of attempts
  // recorded. Used by the thread and by tests (with a fake transport).
  Result<int> RunOnce(std::chrono::milliseconds max_wait);

  size_t InFlight() const { return in_flight_.size(); }

 private:
  struct Sending {
    app::webhooks::DueDelivery due;
    int64_t attempted_at = 0;
  };
  struct Stepped {
    int recorded = 0;        // attempts recorded
    int started = 0;         // deliveries started
    bool held_back = false;  // due deliveries waited for their subscription's limit
  };

  // One transaction: records `results` and takes what is due now (as far as
  // the limits allow); then starts what it took. One commit per round keeps
  // the sender's cost near one fsync per batch of answers.
  Result<Stepped> Step(std::vector<app::webhooks::TransferResult> results);
  Result<std::chrono::milliseconds> NextWait(const Stepped& stepped);
  // The thread's round: records the answers of the last round, starts what
  // is due, then waits in the transport for answers (up to NextWait).
  Result<int> Round();
  // Collects answers that are in already (during a backoff).
  void CollectAnswers(std::chrono::milliseconds max_wait = std::chrono::milliseconds(0));
  void ReleaseAll();

  app::Store& store_;
  app::webhooks::WebhookTransport& transport_;
  const app::webhooks::DeliveryBodies& bodies_;
  app::Clock& clock_;
  app::EventSignal& signal_;
  Options options_;
  std::unordered_map<int64_t, Sending> in_flight_;                 // by delivery id
  std::unordered_map<int64_t, size_t> in_flight_by_subscription_;  // by subscription id
  std::mt19937_64 random_;
  app::RandomIdSource ids_;  // span ids of the attempts' traceparent
  // Attempts by outcome: delivered, retry (failed, tried again later),
  // failed (given up); null when not counted.
  app::metrics::Counter* delivered_ = nullptr;
  app::metrics::Counter* retried_ = nullptr;
  app::metrics::Counter* failed_ = nullptr;
  std::vector<app::webhooks::TransferResult> answers_;  // not yet recorded
  uint64_t woken_ = 0;  // the signal's generation last passed on to the transport
  ConsumerLoop loop_;
  // New events and replays notify the signal; the sender may be blocked in
  // the transport's poll, which only its Wake interrupts.
  ConsumerLoop waker_;
};

}  // namespace shipline::workers
