#pragma once

// The message subscriber port over STOMP: one subscription with
// `ack:client-individual`, so that each message is acknowledged on its own
// and one that is never acknowledged returns to the queue when the
// connection ends. ACK and NACK ask for a receipt, so that their failure is
// seen rather than silent.

#include <cstddef>
#include <cstdint>
#include <string>

#include "adapters/broker/stomp_client.hpp"
#include "app/message_broker.hpp"

namespace shipline::adapters::broker {

class StompSubscriber final : public app::MessageSubscriber {
 public:
  // `prefetch` bounds the messages the broker hands this subscriber before
  // they are acknowledged (ActiveMQ's activemq.prefetchSize; other brokers
  // ignore the header).
  StompSubscriber(StompUrl url, std::string destination, StompClient::Options options,
                  size_t prefetch = 16);

  Result<std::optional<app::IncomingMessage>> Receive(std::chrono::milliseconds wait) override;
  Status Ack(const app::IncomingMessage& message) override;
  Status Nack(const app::IncomingMessage& message) override;
  void KeepAlive() override;
  void Close() override;
  void Interrupt() override { client_.Interrupt(); }

 private:
  Status EnsureSubscribed();
  Status Acknowledge(const char* command, const app::IncomingMessage& message);

  StompUrl url_;
  std::string destination_;
  StompClient client_;
  size_t prefetch_;
  // Counts connections: an ack id carries the connection it came from,
  // since a broker only accepts acks on that connection.
  uint64_t connection_ = 0;
};

}  // namespace shipline::adapters::broker
