#include "app/api_keys.hpp"

#include <openssl/sha.h>

namespace shipline::app {

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

Result<std::string> ApiKeys::Create(std::string_view tenant, std::string_view name) {
  if (tenant.empty() || tenant.size() > 128)
    return Error::Invalid("tenant must be 1 to 128 characters", "tenant");
  if (name.empty() || name.size() > 128)
    return Error::Invalid("name must be 1 to 128 characters", "name");
  std::string key = "sl_" + ids_.NewToken(24);
  std::string hash = HashApiKey(key);
  int64_t now = clock_.NowMillis();
  SHIPLINE_RETURN_IF_ERROR(store_.Write([&](StoreWriter& tx) -> Status {
    auto tenant_id = tx.Tenants().Ensure(tenant, now);
    if (!tenant_id) return std::move(tenant_id).error();
    return tx.Tenants().InsertApiKey(*tenant_id, name, hash, now);
  }));
  return key;
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
    key = "sl_" + ids_.NewToken(24);
    return tx.Tenants().InsertApiKey(*tenant_id, "admin", HashApiKey(key), now);
  }));
  return key;
}

Result<Actor> ApiKeys::Authenticate(std::string_view key) {
  if (key.empty() || key.size() > 256)
    return Error{ErrorCode::kUnauthenticated, "invalid API key", {}, {}};
  std::string hash = HashApiKey(key);
  int64_t now = clock_.NowMillis();
  {
    std::lock_guard lock(mutex_);
    auto found = cache_.find(hash);
    if (found != cache_.end() && found->second.expires_at > now) return found->second.actor;
  }
  std::optional<ApiKeyRecord> record;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
    auto found = reader.Tenants().FindApiKey(hash);
    if (!found) return std::move(found).error();
    record = std::move(*found);
    return Ok();
  }));
  if (!record) return Error{ErrorCode::kUnauthenticated, "invalid API key", {}, {}};
  Actor actor{record->tenant_id, record->name, {}};
  std::lock_guard lock(mutex_);
  if (cache_.size() >= kCacheLimit) cache_.clear();
  cache_[hash] = CachedKey{actor, now + kCacheMillis};
  return actor;
}

}  // namespace shipline::app
