#include "app/api_keys.hpp"

#include <openssl/sha.h>

#include <algorithm>

#include "domain/text_limits.hpp"

namespace shipline::app {

namespace {

// "sl_" and the first 8 of the key's 48 random hex digits: enough to tell
// keys apart in a listing, far too few to guess the rest.
constexpr size_t kPrefixLength = 11;

Error UnknownKey() { return Error{ErrorCode::kUnauthenticated, "invalid API key", {}, {}}; }

bool Live(const ApiKeyRecord& key, int64_t now) {
  return !key.revoked_at && (!key.expires_at || *key.expires_at > now);
}

bool LiveAdmin(const ApiKeyRecord& key, int64_t now) {
  auto scopes = Scopes::Parse(key.scopes);
  return Live(key, now) && scopes && scopes->Has(Scope::kAdmin);
}

}  // namespace

std::string HashApiKey(std::string_view key) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(sizeof digest * 2);
  for (unsigned char b : digest) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

Status ApiKeys::Validate(const KeySpec& spec, int64_t now) const {
  if (spec.name.empty() || spec.name.size() > domain::MaxTextBytes(domain::TextKind::kName))
    return Error::Invalid("name must be 1 to 200 characters", "name");
  if (spec.scopes.empty()) return Error::Invalid("scopes must name at least one scope", "scopes");
  if (spec.expires_at && *spec.expires_at <= now)
    return Error::Invalid("expiresAt must be in the future", "expiresAt");
  return Ok();
}

Result<CreatedKey> ApiKeys::CreateIn(StoreWriter& tx, int64_t tenant_id, const KeySpec& spec,
                                     int64_t now) {
  SHIPLINE_RETURN_IF_ERROR(tx.Tenants().LockKeys(tenant_id));
  auto existing = tx.Tenants().ListApiKeys(tenant_id);
  if (!existing) return std::move(existing).error();
  auto live = std::count_if(existing->begin(), existing->end(),
                            [now](const ApiKeyRecord& key) { return Live(key, now); });
  if (static_cast<size_t>(live) >= kMaxLiveKeys) {
    return Error{ErrorCode::kResourceExhausted, "a tenant holds at most 100 live API keys", {}, {}};
  }
  CreatedKey created;
  created.secret = "sl_" + ids_.NewToken(24);
  NewApiKey row{tenant_id,
                spec.name,
                HashApiKey(created.secret),
                created.secret.substr(0, kPrefixLength),
                spec.scopes.Text(),
                now,
                spec.expires_at};
  auto id = tx.Tenants().InsertApiKey(row);
  if (!id) return std::move(id).error();
  created.record =
      ApiKeyRecord{*id, tenant_id, row.name, row.scopes, row.prefix, now, row.expires_at, {}, {}};
  return created;
}

Result<CreatedKey> ApiKeys::Create(std::string_view tenant, const KeySpec& spec) {
  if (tenant.empty() || tenant.size() > domain::MaxTextBytes(domain::TextKind::kId))
    return Error::Invalid("tenant must be 1 to 128 characters", "tenant");
  int64_t now = clock_.NowMillis();
  SHIPLINE_RETURN_IF_ERROR(Validate(spec, now));
  std::optional<CreatedKey> created;
  SHIPLINE_RETURN_IF_ERROR(store_.Write([&](StoreWriter& tx) -> Status {
    auto tenant_id = tx.Tenants().Ensure(tenant, now);
    if (!tenant_id) return std::move(tenant_id).error();
    auto key = CreateIn(tx, *tenant_id, spec, now);
    if (!key) return std::move(key).error();
    created = std::move(*key);
    return Ok();
  }));
  return std::move(*created);
}

Result<CreatedKey> ApiKeys::Create(const Actor& actor, const KeySpec& spec) {
  int64_t now = clock_.NowMillis();
  SHIPLINE_RETURN_IF_ERROR(Validate(spec, now));
  std::optional<CreatedKey> created;
  SHIPLINE_RETURN_IF_ERROR(store_.Write([&](StoreWriter& tx) -> Status {
    auto key = CreateIn(tx, actor.tenant_id, spec, now);
    if (!key) return std::move(key).error();
    created = std::move(*key);
    return Ok();
  }));
  return std::move(*created);
}

Result<std::string> ApiKeys::Bootstrap() {
  std::string key;
  int64_t now = clock_.NowMillis();
  SHIPLINE_RETURN_IF_ERROR(store_.Write([&](StoreWriter& tx) -> Status {
    auto count = tx.Tenants().Count();
    if (!count) return std::move(count).error();
    if (*count > 0) return Ok();
    auto tenant_id = tx.Tenants().Ensure("default", now);
    if (!tenant_id) return std::move(tenant_id).error();
    auto created = CreateIn(tx, *tenant_id, {"admin", Scopes::Of({Scope::kAdmin}), {}}, now);
    if (!created) return std::move(created).error();
    key = std::move(created->secret);
    return Ok();
  }));
  return key;
}

Result<std::vector<ApiKeyRecord>> ApiKeys::List(const Actor& actor) {
  std::vector<ApiKeyRecord> keys;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
    auto found = reader.Tenants().ListApiKeys(actor.tenant_id);
    if (!found) return std::move(found).error();
    keys = std::move(*found);
    return Ok();
  }));
  return keys;
}

Result<std::vector<ApiKeyRecord>> ApiKeys::ListForOperator(std::string_view tenant) {
  std::vector<ApiKeyRecord> keys;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
    std::optional<int64_t> tenant_id;
    if (!tenant.empty()) {
      auto found = reader.Tenants().FindTenant(tenant);
      if (!found) return std::move(found).error();
      if (!*found) return Error::NotFound("no such tenant: " + std::string(tenant));
      tenant_id = **found;
    }
    auto found = reader.Tenants().ListApiKeys(tenant_id);
    if (!found) return std::move(found).error();
    keys = std::move(*found);
    return Ok();
  }));
  return keys;
}

Status ApiKeys::Revoke(const Actor& actor, int64_t key_id) {
  int64_t now = clock_.NowMillis();
  SHIPLINE_RETURN_IF_ERROR(store_.Write([&](StoreWriter& tx) -> Status {
    // Serialised per tenant: two admin keys revoking themselves at once
    // must not leave the tenant without one.
    SHIPLINE_RETURN_IF_ERROR(tx.Tenants().LockKeys(actor.tenant_id));
    if (key_id == actor.key_id) {
      auto keys = tx.Tenants().ListApiKeys(actor.tenant_id);
      if (!keys) return std::move(keys).error();
      bool other_admin = std::any_of(keys->begin(), keys->end(), [&](const ApiKeyRecord& key) {
        return key.id != key_id && LiveAdmin(key, now);
      });
      if (!other_admin) {
        return Error::Conflict("this is the tenant's last admin key; create another first");
      }
    }
    auto revoked = tx.Tenants().RevokeApiKey(actor.tenant_id, key_id, now);
    if (!revoked) return std::move(revoked).error();
    if (!*revoked) return Error::NotFound("no such API key: " + std::to_string(key_id));
    return Ok();
  }));
  Forget(key_id);
  return Ok();
}

Status ApiKeys::RevokeForOperator(int64_t key_id) {
  int64_t now = clock_.NowMillis();
  SHIPLINE_RETURN_IF_ERROR(store_.Write([&](StoreWriter& tx) -> Status {
    auto key = tx.Tenants().FindApiKeyById(key_id);
    if (!key) return std::move(key).error();
    if (!*key || (*key)->revoked_at) {
      return Error::NotFound("no such API key: " + std::to_string(key_id));
    }
    auto revoked = tx.Tenants().RevokeApiKey((*key)->tenant_id, key_id, now);
    if (!revoked) return std::move(revoked).error();
    return Ok();
  }));
  Forget(key_id);
  return Ok();
}

void ApiKeys::Forget(int64_t key_id) {
  std::lock_guard lock(mutex_);
  std::erase_if(cache_,
                [key_id](const auto& entry) { return entry.second.actor.key_id == key_id; });
}

void ApiKeys::NoteUse(int64_t key_id, int64_t now) {
  std::lock_guard lock(mutex_);
  // Bounded like the cache: past the limit, uses already written are
  // dropped (their next use is noted again).
  if (uses_.size() >= kCacheLimit) {
    std::erase_if(
        uses_, [](const auto& entry) { return entry.second.written_at >= entry.second.seen_at; });
  }
  if (uses_.size() >= kCacheLimit && !uses_.contains(key_id)) return;
  Use& use = uses_[key_id];
  use.seen_at = std::max(use.seen_at, now);
}

Result<Actor> ApiKeys::Authenticate(std::string_view key) {
  if (key.empty() || key.size() > 256) return UnknownKey();
  std::string hash = HashApiKey(key);
  int64_t now = clock_.NowMillis();
  std::optional<Actor> cached;
  {
    std::lock_guard lock(mutex_);
    auto found = cache_.find(hash);
    if (found != cache_.end() && found->second.cached_until > now) {
      const auto& expires = found->second.key_expires_at;
      if (expires && *expires <= now) return UnknownKey();
      cached = found->second.actor;
    }
  }
  if (cached) {
    NoteUse(cached->key_id, now);
    return std::move(*cached);
  }
  std::optional<ApiKeyRecord> record;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
    auto found = reader.Tenants().FindApiKey(hash);
    if (!found) return std::move(found).error();
    record = std::move(*found);
    return Ok();
  }));
  if (!record || !Live(*record, now)) return UnknownKey();
  auto scopes = Scopes::Parse(record->scopes);
  if (!scopes)
    return Error::Internal("stored scopes unreadable for key " + std::to_string(record->id));
  Actor actor{record->tenant_id, record->name, {}, record->id, *scopes};
  {
    std::lock_guard lock(mutex_);
    if (cache_.size() >= kCacheLimit) cache_.clear();
    cache_[hash] = CachedKey{actor, record->expires_at, now + kCacheMillis};
  }
  NoteUse(record->id, now);
  return actor;
}

Status ApiKeys::FlushUse() {
  int64_t now = clock_.NowMillis();
  std::vector<KeyUse> due;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [key_id, use] : uses_) {
      bool unwritten = use.seen_at > use.written_at;
      bool allowed = use.written_at == 0 || now - use.written_at >= kUseWriteMillis;
      if (unwritten && allowed) due.push_back({key_id, use.seen_at});
    }
  }
  if (due.empty()) return Ok();
  SHIPLINE_RETURN_IF_ERROR(
      store_.Write([&](StoreWriter& tx) { return tx.Tenants().RecordKeyUse(due); }));
  std::lock_guard lock(mutex_);
  for (const auto& use : due) {
    auto found = uses_.find(use.key_id);
    if (found != uses_.end()) found->second.written_at = now;
  }
  return Ok();
}

}  // namespace shipline::app
