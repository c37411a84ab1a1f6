#pragma once

// The message broker ports: publishing events to a broker and consuming them
// from a queue. The STOMP adapter (adapters/broker) implements both; the
// workers that use them (workers/broker_publisher, workers/broker_email_worker)
// know nothing of the wire protocol.
//
// Both ports manage their own connection: a call connects when there is no
// live connection, and any failure drops the connection so that the next call
// starts afresh. Retrying, and how long to wait before it, is the caller's
// business. Neither port is thread-safe except for Interrupt().

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/result.hpp"

namespace shipline::app {

using MessageHeaders = std::vector<std::pair<std::string, std::string>>;

// The value of the first header named `name`, or nullopt.
inline std::optional<std::string_view> FindHeader(const MessageHeaders& headers,
                                                  std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

struct OutgoingMessage {
  std::string destination;  // e.g. "/topic/VirtualTopic.ep.orders"
  MessageHeaders headers;   // application headers, e.g. event-id
  std::string content_type = "application/json";
  std::string body;
};

struct IncomingMessage {
  std::string ack_id;  // what Ack and Nack name; valid on the connection it came from
  std::string destination;
  MessageHeaders headers;  // every header the broker sent, as received
  std::string body;
  bool redelivered = false;  // the broker delivered it before without an ack
};

// The outcome of Publish: how many of the messages, from the first, the broker
// confirmed, and why the rest were not.
struct PublishOutcome {
  size_t confirmed = 0;
  Status status;  // ok exactly when every message was confirmed
};

class MessagePublisher {
 public:
  virtual ~MessagePublisher() = default;

  // Sends `messages` in order as persistent messages and waits for the
  // broker's confirmation of each. A message counts as published only once
  // the broker confirmed it; a message that was not confirmed may still have
  // reached the broker (its confirmation was lost), so a retry can deliver it
  // twice and consumers drop repeats by an id header. On failure (kUnavailable:
  // cannot connect, refused, an error from the broker, a timeout) the
  // connection is dropped and `confirmed` counts the prefix that is safe.
  virtual PublishOutcome Publish(std::span<const OutgoingMessage> messages) = 0;

  // Called while idle: keeps an open connection alive and notices a dead one
  // (dropping it), without blocking for long. Never connects.
  virtual void KeepAlive() = 0;

  // Closes the connection politely, if there is one.
  virtual void Close() = 0;

  // Thread-safe: makes a call blocked in another thread return promptly with
  // an error, and every later call fail. For shutdown.
  virtual void Interrupt() = 0;
};

class MessageSubscriber {
 public:
  virtual ~MessageSubscriber() = default;

  // The next message from the subscription, connecting and subscribing first
  // if needed; nullopt when none arrived within `wait`. kUnavailable when the
  // broker cannot be reached or the connection failed (it is then dropped;
  // messages delivered but not acknowledged return to the queue).
  virtual Result<std::optional<IncomingMessage>> Receive(std::chrono::milliseconds wait) = 0;

  // Acknowledges `message`: the broker forgets it. Nack hands it back as
  // not processable (a broker typically moves it to a dead-letter queue).
  // Both wait for the broker's confirmation and fail with kUnavailable when it
  // does not come or the message is not from the current connection.
  virtual Status Ack(const IncomingMessage& message) = 0;
  virtual Status Nack(const IncomingMessage& message) = 0;

  // As for MessagePublisher.
  virtual void KeepAlive() = 0;
  virtual void Close() = 0;
  virtual void Interrupt() = 0;
};

}  // namespace shipline::app
