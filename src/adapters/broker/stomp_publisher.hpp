#pragma once

// The message publisher port over STOMP: each message becomes a persistent
// SEND, and counts as published only when the broker's RECEIPT says so.
//
// Messages go out in windows of up to `window`: a window of several messages
// is one STOMP transaction (BEGIN, the SENDs, COMMIT with a receipt), so the
// broker stores it with one disk sync and confirms it as a whole; a window of
// one is a lone SEND with its own receipt. A failure before the COMMIT's
// receipt leaves the window unconfirmed (the broker rolls back a transaction
// whose connection closes), so windows before it are the confirmed prefix.

#include <cstddef>
#include <cstdint>

#include "adapters/broker/stomp_client.hpp"
#include "app/message_broker.hpp"

namespace shipline::adapters::broker {

class StompPublisher final : public app::MessagePublisher {
 public:
  StompPublisher(StompUrl url, StompClient::Options options, size_t window = 64);

  // Connects when needed. Headers of a message come after the ones this
  // adapter sets (destination, persistent, content-type, transaction), so
  // they cannot override them (STOMP 1.2: a repeated header's first
  // occurrence wins).
  app::PublishOutcome Publish(std::span<const app::OutgoingMessage> messages) override;
  void KeepAlive() override;
  void Close() override;
  void Interrupt() override { client_.Interrupt(); }

 private:
  // Sends one window and waits for the broker's confirmation of all of it.
  Status PublishWindow(std::span<const app::OutgoingMessage> window);

  StompUrl url_;
  StompClient client_;
  size_t window_;
  uint64_t transactions_ = 0;
};

}  // namespace shipline::adapters::broker
