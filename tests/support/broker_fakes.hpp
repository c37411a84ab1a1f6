#pragma once

// Test doubles for the message broker ports: a publisher that records what it
// was asked to publish and confirms as told, and a subscriber fed by the test.

#include <atomic>
#include <deque>
#include <vector>

#include "app/message_broker.hpp"

namespace shipline::test {

class FakePublisher final : public app::MessagePublisher {
 public:
  app::PublishOutcome Publish(std::span<const app::OutgoingMessage> messages) override {
    app::PublishOutcome outcome;
    for (const auto& message : messages) {
      if (confirm_budget == 0) {
        outcome.status = Error::Unavailable("message broker unavailable", "fake outage");
        return outcome;
      }
      if (confirm_budget > 0) --confirm_budget;
      published.push_back(message);
      ++outcome.confirmed;
    }
    return outcome;
  }
  void KeepAlive() override {}
  void Close() override { ++closes; }
  void Interrupt() override { interrupted = true; }

  // How many more messages the broker confirms; negative: no limit.
  int confirm_budget = -1;
  std::vector<app::OutgoingMessage> published;
  int closes = 0;
  std::atomic<bool> interrupted{false};
};

class FakeSubscriber final : public app::MessageSubscriber {
 public:
  Result<std::optional<app::IncomingMessage>> Receive(std::chrono::milliseconds) override {
    if (fail_receive) return Error::Unavailable("message broker unavailable", "fake outage");
    if (queue.empty()) return std::optional<app::IncomingMessage>();
    app::IncomingMessage message = queue.front();
    queue.pop_front();
    return std::optional<app::IncomingMessage>(std::move(message));
  }
  Status Ack(const app::IncomingMessage& message) override {
    acked.push_back(message.ack_id);
    return Ok();
  }
  Status Nack(const app::IncomingMessage& message) override {
    nacked.push_back(message.ack_id);
    return Ok();
  }
  void KeepAlive() override {}
  void Close() override {}
  void Interrupt() override {}

  // A message as the broker publisher would have sent it for `event_id`.
  void Deliver(const std::string& ack_id, const std::string& event_id) {
    app::IncomingMessage message;
    message.ack_id = ack_id;
    message.destination = "/queue/Consumer.email.VirtualTopic.ep.orders";
    if (!event_id.empty()) message.headers.emplace_back("event-id", event_id);
    queue.push_back(std::move(message));
  }

  bool fail_receive = false;
  std::deque<app::IncomingMessage> queue;
  std::vector<std::string> acked;
  std::vector<std::string> nacked;
};

}  // namespace shipline::test
