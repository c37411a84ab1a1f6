#pragma once

// The port through which the webhook worker sends HTTP requests: many at
// once, without blocking on any of them. adapters/webhooks implements it with
// libcurl's multi interface; tests use a scripted fake.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace shipline::app::webhooks {

// One POST of a delivery's body to a receiver.
struct OutboundRequest {
  int64_t delivery_id = 0;
  std::string url;
  std::string body;                  // JSON
  std::string message_id;            // webhook-id
  int64_t timestamp = 0;             // webhook-timestamp, Unix seconds of this attempt
  std::vector<std::string> secrets;  // one webhook-signature entry each; none: unsigned
  std::string basic_username;        // empty: no Authorization header
  std::string basic_password;
  std::string traceparent;  // the W3C traceparent header; empty: none
};

// What came back from one request.
struct TransferResult {
  int64_t delivery_id = 0;
  int status_code = 0;  // 0 when no HTTP answer arrived
  int64_t latency_ms = 0;
  std::string response_excerpt;  // the first bytes of the answer, printable ASCII
  std::string error;             // why no answer arrived; empty when one did
  std::optional<int64_t> retry_after_seconds;
};

// Start, Poll and Abort are called from one thread (the worker's); Wake may be
// called from any thread.
class WebhookTransport {
 public:
  virtual ~WebhookTransport() = default;

  // Begins sending `request`; never waits on the network. Its result comes
  // out of a later Poll. Every request ends with exactly one result (or is
  // returned by Abort): refused addresses, timeouts and connection failures
  // are results with an error.
  virtual void Start(OutboundRequest request) = 0;

  // Requests started and not yet returned by Poll.
  virtual size_t InFlight() const = 0;

  // Moves transfers on for at most `max_wait` and returns those that
  // finished. Returns early when one finishes or Wake() is called.
  virtual std::vector<TransferResult> Poll(std::chrono::milliseconds max_wait) = 0;

  // Makes a Poll in progress (or the next one) return at once.
  virtual void Wake() = 0;

  // Abandons every transfer in flight and returns their delivery ids.
  virtual std::vector<int64_t> Abort() = 0;
};

}  // namespace shipline::app::webhooks
