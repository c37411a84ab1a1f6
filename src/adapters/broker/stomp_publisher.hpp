#pragma once

// The message publisher port over STOMP: each message becomes a persistent
// SEND with a receipt, and counts as published only when the RECEIPT comes
// back. Messages are pipelined: a window of SENDs is written before their
// receipts are awaited, which the broker returns in order.

#include <cstddef>

#include "adapters/broker/stomp_client.hpp"
#include "app/message_broker.hpp"

namespace shipline::adapters::broker {

class StompPublisher final : public app::MessagePublisher {
 public:
  StompPublisher(StompUrl url, StompClient::Options options, size_t window = 32);

  // Connects when needed. Headers of a message come after the ones this
  // adapter sets (destination, persistent, content-type), so they cannot
  // override them (STOMP 1.2: a repeated header's first occurrence wins).
  app::PublishOutcome Publish(std::span<const app::OutgoingMessage> messages) override;
  void KeepAlive() override;
  void Close() override;
  void Interrupt() override { client_.Interrupt(); }

 private:
  StompUrl url_;
  StompClient client_;
  size_t window_;
};

}  // namespace shipline::adapters::broker
