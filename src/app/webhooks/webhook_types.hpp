#pragma once

// The values of outbound webhooks: where a tenant wants events sent
// (Subscription), each event on its way to one subscription (Delivery) and
// each try to hand it over (Attempt). Plain values shared by the use cases,
// the repository, the worker and the codecs.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shipline::app::webhooks {

// The body a subscription receives: shipline's own event envelope, or the
// 3PL shipment-notification shape (seed 002) for shipped events.
enum class PayloadFormat { kNative, kThreePl };

std::string_view PayloadFormatName(PayloadFormat format);  // "native" or "3pl"
std::optional<PayloadFormat> ParsePayloadFormat(std::string_view name);

struct Subscription {
  int64_t id = 0;
  int64_t tenant_id = 0;
  std::string url;
  std::string store;                     // empty: events of every store
  std::vector<std::string> event_types;  // empty: every event type
  PayloadFormat format = PayloadFormat::kNative;
  std::string basic_username;  // empty: no HTTP Basic credentials are sent
  std::string basic_password;  // write-only: never shown after it was set
  bool signing = true;         // send Standard Webhooks signatures
  int64_t delay_ms = 0;        // wait before the first attempt of each event
  bool enabled = true;
  std::string disabled_reason;  // why it was disabled (410, failing for days, a user)
  std::optional<int64_t> disabled_at;
  std::optional<int64_t> failing_since;  // first failed attempt since the last success
  std::string description;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// A Standard Webhooks signing secret ("whsec_" + base64). Several are live
// while a secret is being rotated; each signs every attempt until it expires.
struct SigningSecret {
  int64_t id = 0;
  std::string secret;
  int64_t created_at = 0;
  std::optional<int64_t> expires_at;
};

enum class DeliveryStatus { kPending, kDelivered, kFailed };

std::string_view DeliveryStatusName(DeliveryStatus status);  // "pending", ...
std::optional<DeliveryStatus> ParseDeliveryStatus(std::string_view name);

struct Attempt {
  int64_t id = 0;
  int64_t delivery_id = 0;
  int64_t attempted_at = 0;  // epoch milliseconds
  int status_code = 0;       // 0 when no HTTP answer arrived
  int64_t latency_ms = 0;
  std::string response_excerpt;  // the first bytes of the answer's body
  std::string error;             // empty for an answered request
};

struct Delivery {
  int64_t id = 0;
  int64_t tenant_id = 0;
  int64_t subscription_id = 0;
  std::optional<int64_t> event_id;  // empty for a test delivery
  std::string event_type;
  std::string message_id;  // the webhook-id header: the same on every attempt and replay
  DeliveryStatus status = DeliveryStatus::kPending;
  int attempts = 0;                        // attempts in the current round (reset by replay)
  std::optional<int64_t> next_attempt_at;  // pending only
  std::string body;                        // fixed at the first attempt; empty before
  int last_status = 0;
  std::string last_error;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::optional<int64_t> completed_at;  // when it was delivered or given up
  std::vector<Attempt> attempt_log;     // filled by listings, oldest first
};

// What one attempt changes on its delivery.
struct DeliveryUpdate {
  DeliveryStatus status = DeliveryStatus::kPending;
  std::optional<int64_t> next_attempt_at;  // pending: when to try again
  int last_status = 0;
  std::string last_error;
  int64_t now = 0;
  // The delivery's next attempt time under which the attempt was made (its
  // claim's lease): the update applies only while the delivery still has it,
  // so a replay, or another node's claim after the lease ran out, wins.
  int64_t claimed_until = 0;
};

// Which deliveries a listing returns: those of one subscription or of one
// event (exactly one of the two is set), newest first, ids below `before`.
struct DeliveryQuery {
  int64_t tenant_id = 0;
  std::optional<int64_t> subscription_id;
  std::optional<int64_t> event_id;
  std::optional<DeliveryStatus> status;
  int64_t before_id = 0;  // 0: from the newest
  int limit = 50;
};

// A due delivery with what the worker needs to send it.
struct DueDelivery {
  Delivery delivery;
  Subscription subscription;
  std::string traceparent;  // its event's (W3C trace context); "" for none
};

}  // namespace shipline::app::webhooks
