#pragma once

// Use cases of webhook subscriptions: create, read, change, delete, and
// rotate the signing secret. Secrets (the signing secret and the receiver's
// basic auth password) are returned once, when set, and never again.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "app/store.hpp"
#include "app/webhooks/webhook_types.hpp"

namespace shipline::app::webhooks {

// The fields a client sets. On create, absent fields take their defaults; on
// update, absent fields stay as they are.
struct SubscriptionInput {
  std::optional<std::string> url;
  std::optional<std::string> store;                     // "" for every store
  std::optional<std::vector<std::string>> event_types;  // empty or {"*"} for every type
  std::optional<PayloadFormat> format;
  std::optional<std::string> basic_username;  // "" removes basic auth
  std::optional<std::string> basic_password;
  std::optional<bool> signing;
  std::optional<std::string> secret;  // on create: a "whsec_" secret to use instead of a new one
  std::optional<int64_t> delay_ms;
  std::optional<bool> enabled;
  std::optional<std::string> description;
};

// A subscription with the signing secret that was just made for it (empty
// when none was).
struct SubscriptionWithSecret {
  Subscription subscription;
  std::string secret;
};

struct RotatedSecret {
  std::string secret;           // the new secret, shown once
  int64_t previous_expires_at;  // until then the old secret signs too
};

class WebhookSubscriptions {
 public:
  struct Options {
    bool allow_private = false;  // receivers on loopback and private networks
    size_t max_per_tenant = 100;
    int64_t max_delay_ms = 24LL * 3600 * 1000;
    int64_t default_grace_ms = 24LL * 3600 * 1000;  // rotation overlap
    int64_t max_grace_ms = 7LL * 24 * 3600 * 1000;
  };

  WebhookSubscriptions(Store& store, Clock& clock, IdSource& ids, Options options)
      : store_(store), clock_(clock), ids_(ids), options_(options) {}

  // kInvalidArgument naming the field; kResourceExhausted past max_per_tenant.
  // A new subscription signs unless `signing` is false, with `secret` or a
  // fresh one.
  Result<SubscriptionWithSecret> Create(const Actor& actor, const SubscriptionInput& input);
  Result<std::vector<Subscription>> List(const Actor& actor);
  // kNotFound when the tenant has no such subscription.
  Result<Subscription> Get(const Actor& actor, int64_t id);
  // Changes the given fields. Enabling clears the disabled reason and the
  // failure streak; disabling gives up pending deliveries. Turning signing on
  // without a live secret makes one and returns it.
  Result<SubscriptionWithSecret> Update(const Actor& actor, int64_t id,
                                        const SubscriptionInput& input);
  // Deletes the subscription and gives up its pending deliveries. kNotFound.
  Status Delete(const Actor& actor, int64_t id);
  // Adds a new signing secret; the live ones keep signing for `grace_ms`
  // (default one day, 0 ends them now). kFailedPrecondition when signing is off.
  Result<RotatedSecret> RotateSecret(const Actor& actor, int64_t id,
                                     std::optional<int64_t> grace_ms,
                                     std::optional<std::string> secret);

 private:
  Status Apply(const SubscriptionInput& input, Subscription& subscription) const;

  Store& store_;
  Clock& clock_;
  IdSource& ids_;
  Options options_;
};

}  // namespace shipline::app::webhooks
