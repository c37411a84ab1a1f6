#pragma once

// The email handler as a consumer of the broker: reads the events that the
// broker publisher put on the virtual topic from this handler's own queue
// (`/queue/Consumer.email.VirtualTopic.ep.orders`), sends the customer's
// email for each event that wants one (see app::WantsCustomerEmail; the
// shipment confirmation of order-shipment-shipped), and acknowledges a
// message only after its email is sent and recorded.
//
// The message names its event by the event-id header; the worker reads that
// event, its shipment and order from the store (the same database the
// publishing nodes use), never from the message, and records the email by
// event id, so that a message delivered twice is mailed once.
//
// Outcomes per message:
// - sent, or recorded as sent before, or an event that mails no one: ACK;
// - no usable event-id, or an event this store does not hold (a foreign
//   message, or a worker pointed at the wrong database): NACK, which ActiveMQ
//   moves to its dead-letter queue, and an error in the log;
// - the store or the mailer fails: the message is held and retried with
//   backoff (doubling from first_retry up to max_retry); after max_attempts
//   it is NACKed and the failure logged.
// A lost connection drops the held message; the broker delivers it again.

#include <chrono>
#include <optional>
#include <string>

#include "app/clock.hpp"
#include "app/mailer.hpp"
#include "app/message_broker.hpp"
#include "app/store.hpp"
#include "workers/consumer_loop.hpp"

namespace shipline::workers {

class BrokerEmailWorker {
 public:
  struct Options {
    std::string from = "shipline@localhost";
    std::chrono::milliseconds receive_wait{1000};
    std::chrono::milliseconds first_retry{500};
    std::chrono::milliseconds max_retry{30'000};
    int max_attempts = 50;
  };

  BrokerEmailWorker(app::Store& store, app::MessageSubscriber& subscriber, app::Mailer& mailer,
                    app::Clock& clock, Options options);
  ~BrokerEmailWorker() { Stop(); }
  BrokerEmailWorker(const BrokerEmailWorker&) = delete;
  BrokerEmailWorker& operator=(const BrokerEmailWorker&) = delete;

  void Start() { loop_.Start(); }
  // Stops the thread; interrupts a call to the broker in progress, so the
  // subscriber cannot be used afterwards.
  void Stop();

  // Takes one message (the held one, or the next within receive_wait) and
  // handles it. Returns true when a message was settled (acked or nacked),
  // false when none came; fails when the broker, the store or the mailer
  // failed (the caller backs off). Used by the thread and by tests.
  Result<bool> RunOnce();

 private:
  // What to do with a message: mail and ACK, or NACK.
  enum class Verdict { kAck, kNack };
  Result<Verdict> Handle(const app::IncomingMessage& message);

  app::Store& store_;
  app::MessageSubscriber& subscriber_;
  app::Mailer& mailer_;
  app::Clock& clock_;
  Options options_;
  std::optional<app::IncomingMessage> held_;  // received, not yet settled
  int attempts_ = 0;                          // failed attempts at held_
  ConsumerLoop loop_;
};

}  // namespace shipline::workers
