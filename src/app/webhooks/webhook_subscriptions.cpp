#include "app/webhooks/webhook_subscriptions.hpp"

#include "app/outbound_address_policy.hpp"
#include "app/webhooks/signing_secret.hpp"
#include "app/webhooks/webhook_repository.hpp"
#include "domain/event.hpp"
#include "domain/text_limits.hpp"

namespace shipline::app::webhooks {

namespace {

constexpr size_t kMaxEventTypes = 50;
using domain::MaxTextBytes;
using domain::TextKind;

bool IsEventTypeChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_';
}

bool HasControl(const std::string& text) {
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) return true;
  }
  return false;
}

Result<std::vector<std::string>> NormalizeEventTypes(const std::vector<std::string>& types) {
  if (types.size() > kMaxEventTypes) {
    return Error::Invalid("eventTypes holds at most 50 types", "eventTypes");
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < types.size(); ++i) {
    const std::string& type = types[i];
    std::string field = "eventTypes[" + std::to_string(i) + "]";
    if (type == "*") return std::vector<std::string>();  // every type
    if (type.empty() || type.size() > MaxTextBytes(TextKind::kCode)) {
      return Error::Invalid(field + " must be 1 to 64 characters", field);
    }
    for (char c : type) {
      if (!IsEventTypeChar(c)) {
        return Error::Invalid(field + " may hold only letters, digits and -._", field);
      }
    }
    bool seen = false;
    for (const auto& kept : out) seen = seen || kept == type;
    if (!seen) out.push_back(type);
  }
  return out;
}

}  // namespace

Status WebhookSubscriptions::Apply(const SubscriptionInput& input, Subscription& s) const {
  if (input.url) {
    SHIPLINE_RETURN_IF_ERROR(CheckOutboundUrl(*input.url, options_.allow_private));
    s.url = *input.url;
  }
  if (input.store) {
    if (input.store->size() > MaxTextBytes(TextKind::kId) || HasControl(*input.store)) {
      return Error::Invalid("store must be at most 128 printable characters", "store");
    }
    s.store = *input.store;
  }
  if (input.format) s.format = *input.format;
  if (input.event_types) {
    auto types = NormalizeEventTypes(*input.event_types);
    if (!types) return std::move(types).error();
    s.event_types = std::move(*types);
  }
  if (s.format == PayloadFormat::kThreePl) {
    // The 3PL notification describes a shipped shipment; no other event has one.
    const std::string shipped(domain::kOrderShipmentShipped);
    if (!s.event_types.empty() && (s.event_types.size() != 1 || s.event_types[0] != shipped)) {
      return Error::Invalid("the 3pl format carries only order-shipment-shipped events",
                            "eventTypes");
    }
    s.event_types = {shipped};
  }
  if (input.basic_username) s.basic_username = *input.basic_username;
  if (input.basic_password) s.basic_password = *input.basic_password;
  if (input.basic_username && input.basic_username->empty()) s.basic_password.clear();
  SHIPLINE_RETURN_IF_ERROR(
      domain::CheckTextLengths({{s.basic_username, TextKind::kName, "auth.basic.username"},
                                {s.basic_password, TextKind::kSecret, "auth.basic.password"}}));
  if (s.basic_username.find(':') != std::string::npos || HasControl(s.basic_username) ||
      HasControl(s.basic_password)) {
    return Error::Invalid("basic auth username may not hold ':' or control characters",
                          "auth.basic.username");
  }
  if (!s.basic_username.empty() && s.basic_password.empty()) {
    return Error::Invalid("basic auth needs a password", "auth.basic.password");
  }
  if (s.basic_username.empty() && !s.basic_password.empty()) {
    return Error::Invalid("basic auth needs a username", "auth.basic.username");
  }
  if (input.signing) s.signing = *input.signing;
  if (input.delay_ms) {
    if (*input.delay_ms < 0 || *input.delay_ms > options_.max_delay_ms) {
      return Error::Invalid("delaySeconds must be between 0 and 86400", "delaySeconds");
    }
    s.delay_ms = *input.delay_ms;
  }
  if (input.description) {
    if (input.description->size() > MaxTextBytes(TextKind::kNote)) {
      return Error::Invalid("description holds at most 512 characters", "description");
    }
    s.description = *input.description;
  }
  return Ok();
}

Result<SubscriptionWithSecret> WebhookSubscriptions::Create(const Actor& actor,
                                                            const SubscriptionInput& input) {
  if (!input.url) return Error::Invalid("url is required", "url");
  int64_t now = clock_.NowMillis();
  Subscription s;
  s.tenant_id = actor.tenant_id;
  s.created_at = now;
  s.updated_at = now;
  SHIPLINE_RETURN_IF_ERROR(Apply(input, s));
  if (input.enabled) s.enabled = *input.enabled;
  if (!s.enabled) s.disabled_reason = "created disabled";
  std::string secret;
  if (s.signing) {
    if (input.secret) {
      if (!SecretKey(*input.secret)) {
        return Error::Invalid("secret must be whsec_ followed by base64 of 24 to 64 bytes",
                              "secret");
      }
      secret = *input.secret;
    } else {
      secret = NewSigningSecret(ids_);
    }
  } else if (input.secret) {
    return Error::Invalid("a secret needs signing turned on", "secret");
  }
  SHIPLINE_RETURN_IF_ERROR(store_.Write([&](StoreWriter& tx) -> Status {
    auto existing = tx.Webhooks().ListSubscriptions(actor.tenant_id);
    if (!existing) return std::move(existing).error();
    if (existing->size() >= options_.max_per_tenant) {
      return Error{ErrorCode::kResourceExhausted,
                   "a tenant may have at most " + std::to_string(options_.max_per_tenant) +
                       " webhook subscriptions",
                   "", ""};
    }
    SHIPLINE_RETURN_IF_ERROR(tx.Webhooks().InsertSubscription(s));
    if (!secret.empty()) SHIPLINE_RETURN_IF_ERROR(tx.Webhooks().InsertSecret(s.id, secret, now));
    return Ok();
  }));
  return SubscriptionWithSecret{std::move(s), std::move(secret)};
}

Result<std::vector<Subscription>> WebhookSubscriptions::List(const Actor& actor) {
  std::vector<Subscription> out;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
    auto found = reader.Webhooks().ListSubscriptions(actor.tenant_id);
    if (!found) return std::move(found).error();
    out = std::move(*found);
    return Ok();
  }));
  return out;
}

Result<Subscription> WebhookSubscriptions::Get(const Actor& actor, int64_t id) {
  std::optional<Subscription> found;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
    auto row = reader.Webhooks().FindSubscription(actor.tenant_id, id);
    if (!row) return std::move(row).error();
    found = std::move(*row);
    return Ok();
  }));
  if (!found) return Error::NotFound("Webhook subscription not found: " + std::to_string(id));
  return std::move(*found);
}

Result<SubscriptionWithSecret> WebhookSubscriptions::Update(const Actor& actor, int64_t id,
                                                            const SubscriptionInput& input) {
  if (input.secret) {
    return Error::Invalid("secrets change through rotate-secret", "secret");
  }
  int64_t now = clock_.NowMillis();
  SubscriptionWithSecret out;
  SHIPLINE_RETURN_IF_ERROR(store_.Write([&](StoreWriter& tx) -> Status {
    WebhookRepository& repo = tx.Webhooks();
    auto row = repo.FindSubscription(actor.tenant_id, id);
    if (!row) return std::move(row).error();
    if (!*row) return Error::NotFound("Webhook subscription not found: " + std::to_string(id));
    Subscription s = std::move(**row);
    bool was_enabled = s.enabled;
    SHIPLINE_RETURN_IF_ERROR(Apply(input, s));
    s.updated_at = now;
    bool disabling = input.enabled && !*input.enabled && was_enabled;
    if (input.enabled && *input.enabled) {
      s.enabled = true;
      s.disabled_reason.clear();
      s.disabled_at.reset();
      s.failing_since.reset();
    }
    SHIPLINE_RETURN_IF_ERROR(repo.UpdateSubscription(s));
    if (disabling) {
      std::string reason = "disabled by " + actor.name;
      SHIPLINE_RETURN_IF_ERROR(repo.DisableSubscription(s.id, reason, now));
      s.enabled = false;
      s.disabled_reason = reason;
      s.disabled_at = now;
    }
    if (s.signing) {
      auto secrets = repo.LiveSecrets(s.id, now);
      if (!secrets) return std::move(secrets).error();
      if (secrets->empty()) {
        out.secret = NewSigningSecret(ids_);
        SHIPLINE_RETURN_IF_ERROR(repo.InsertSecret(s.id, out.secret, now));
      }
    }
    out.subscription = std::move(s);
    return Ok();
  }));
  return out;
}

Status WebhookSubscriptions::Delete(const Actor& actor, int64_t id) {
  int64_t now = clock_.NowMillis();
  return store_.Write([&](StoreWriter& tx) -> Status {
    auto removed = tx.Webhooks().DeleteSubscription(actor.tenant_id, id, now);
    if (!removed) return std::move(removed).error();
    if (!*removed) return Error::NotFound("Webhook subscription not found: " + std::to_string(id));
    return Ok();
  });
}

Result<RotatedSecret> WebhookSubscriptions::RotateSecret(const Actor& actor, int64_t id,
                                                         std::optional<int64_t> grace_ms,
                                                         std::optional<std::string> secret) {
  int64_t grace = grace_ms.value_or(options_.default_grace_ms);
  if (grace < 0 || grace > options_.max_grace_ms) {
    return Error::Invalid("graceSeconds must be between 0 and 604800", "graceSeconds");
  }
  if (secret && !SecretKey(*secret)) {
    return Error::Invalid("secret must be whsec_ followed by base64 of 24 to 64 bytes", "secret");
  }
  int64_t now = clock_.NowMillis();
  RotatedSecret out{secret ? *secret : NewSigningSecret(ids_), now + grace};
  SHIPLINE_RETURN_IF_ERROR(store_.Write([&](StoreWriter& tx) -> Status {
    WebhookRepository& repo = tx.Webhooks();
    auto row = repo.FindSubscription(actor.tenant_id, id);
    if (!row) return std::move(row).error();
    if (!*row) return Error::NotFound("Webhook subscription not found: " + std::to_string(id));
    if (!(*row)->signing) {
      return Error::Precondition("signing is off for this subscription; turn it on first");
    }
    SHIPLINE_RETURN_IF_ERROR(repo.ExpireSecrets(id, now + grace));
    return repo.InsertSecret(id, out.secret, now);
  }));
  return out;
}

}  // namespace shipline::app::webhooks
