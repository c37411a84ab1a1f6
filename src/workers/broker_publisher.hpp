#pragma once

// The broker publisher: an event consumer (position "broker") that publishes
// every event of the events table, the outbox, to the message broker.
//
// Each event becomes one persistent message on `/topic/<topic>`, the topic
// chosen per event type (the event's own topic by default, e.g.
// VirtualTopic.ep.orders), with headers event-id, event-type, event-subject
// and tenant-id and the event's JSON payload as body. The saved position
// advances only past events the broker confirmed, in the same order, so an
// event is retried until confirmed, across restarts of shipline and of the
// broker. Delivery is at least once: a confirmation lost on the way makes the
// event go out again, and consumers drop repeats by event-id.
//
// On any failure the worker waits (doubling from first_retry up to
// max_retry) and retries the same events, reconnecting as needed. It never
// skips an event.

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "app/clock.hpp"
#include "app/event_signal.hpp"
#include "app/message_broker.hpp"
#include "app/store.hpp"
#include "workers/consumer_loop.hpp"
#include "workers/position_reader.hpp"

namespace shipline::workers {

class BrokerPublisher {
 public:
  struct Options {
    // Event type -> topic name, e.g. {"shipment-status-changed", "VirtualTopic.ep.status"}.
    // Types not named here go to the event's own topic.
    std::map<std::string, std::string, std::less<>> topics;
    std::chrono::milliseconds poll{1000};  // also picks up other nodes' events
    std::chrono::milliseconds first_retry{500};
    std::chrono::milliseconds max_retry{10'000};
    int batch = 64;  // events read and published per round
    // Several nodes: one at a time publishes (see ConsumerLease); longer
    // than a round of publishing can take.
    std::chrono::milliseconds lease{60'000};
  };

  BrokerPublisher(app::Store& store, app::MessagePublisher& publisher, app::EventSignal& signal,
                  Options options);
  ~BrokerPublisher() { Stop(); }
  BrokerPublisher(const BrokerPublisher&) = delete;
  BrokerPublisher& operator=(const BrokerPublisher&) = delete;

  void Start() { loop_.Start(); }
  // Stops the thread; interrupts a call to the broker in progress, so the
  // publisher cannot be used afterwards.
  void Stop();

  // Publishes what is pending now, one batch; returns the number of events
  // confirmed. Used by the thread and by tests.
  Result<int> RunOnce();

  // The destination of `event`, e.g. "/topic/VirtualTopic.ep.orders".
  std::string DestinationOf(const domain::Event& event) const;

  static constexpr const char* kConsumer = "broker";

 private:
  // Publishes `events` at once (see PositionReader::Handler).
  Result<int> Publish(const std::vector<domain::Event>& events);

  app::Store& store_;
  app::MessagePublisher& publisher_;
  Options options_;
  app::SystemClock clock_;
  app::RandomIdSource ids_;  // span ids of the messages' traceparent
  PositionReader reader_;
  ConsumerLoop loop_;
};

}  // namespace shipline::workers
