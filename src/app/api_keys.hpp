#pragma once

// API keys: created through the API, the CLI or on first start, stored only
// as a SHA-256 hash with a name, scopes (app/scopes.hpp), an optional expiry
// and a short non-secret prefix for listings. Revoked and expired keys are
// refused.
//
// Authentication goes through a small cache whose entries live one second
// (kCacheMillis): a key revoked anywhere (another node, the CLI) is refused
// everywhere within that second, and at once on the process that revoked it.
// Every successful authentication notes the key's use in memory; FlushUse(),
// called from a background thread, writes a key's last use at most once a
// minute (kUseWriteMillis), so requests never wait for that write.
//
// Thread-safe.

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "app/scopes.hpp"
#include "app/store.hpp"

namespace shipline::app {

// Hex SHA-256 of a key, the only form in which keys are stored.
std::string HashApiKey(std::string_view key);

// What a new key may do and for how long.
struct KeySpec {
  std::string name;
  Scopes scopes;
  std::optional<int64_t> expires_at;  // epoch milliseconds; never when nullopt
};

// A new key: its record and the secret, which is shown once and never stored.
struct CreatedKey {
  ApiKeyRecord record;
  std::string secret;
};

class ApiKeys {
 public:
  static constexpr int64_t kCacheMillis = 1'000;
  static constexpr int64_t kUseWriteMillis = 60'000;
  // Live keys a tenant may hold at once.
  static constexpr size_t kMaxLiveKeys = 100;

  ApiKeys(Store& store, Clock& clock, IdSource& ids) : store_(store), clock_(clock), ids_(ids) {}

  // Creates tenant `tenant` if needed and a key for it (the CLI).
  // kInvalidArgument for an empty or long name or tenant, no scopes or an
  // expiry not in the future; kResourceExhausted past kMaxLiveKeys.
  Result<CreatedKey> Create(std::string_view tenant, const KeySpec& spec);
  // The same for the caller's own tenant (the API).
  Result<CreatedKey> Create(const Actor& actor, const KeySpec& spec);

  // Creates tenant "default" and an admin key when the store has no tenant;
  // returns the key, or an empty string when tenants already exist.
  Result<std::string> Bootstrap();

  // The caller's tenant's keys, newest first (at most
  // TenantRepository::kKeyListLimit).
  Result<std::vector<ApiKeyRecord>> List(const Actor& actor);
  // Every key of tenant `tenant` (every tenant's when empty), for the CLI;
  // kNotFound for an unknown tenant.
  Result<std::vector<ApiKeyRecord>> ListForOperator(std::string_view tenant);

  // Revokes the caller's tenant's key `key_id`. kNotFound when the tenant has
  // no such live key; kConflict when the caller revokes itself while no other
  // live admin key of the tenant would remain.
  Status Revoke(const Actor& actor, int64_t key_id);
  // Revokes any tenant's key (the CLI); kNotFound when no live key has that id.
  Status RevokeForOperator(int64_t key_id);

  // The actor behind `key`; kUnauthenticated when unknown, revoked or
  // expired. Keys created by another process are found at once (misses are
  // not cached).
  Result<Actor> Authenticate(std::string_view key);

  // Writes the last uses that are due (see above). Call from one thread.
  Status FlushUse();

 private:
  struct CachedKey {
    Actor actor;
    std::optional<int64_t> key_expires_at;
    int64_t cached_until = 0;
  };
  struct Use {
    int64_t seen_at = 0;     // the latest use this process saw
    int64_t written_at = 0;  // when this process last wrote one; 0: never
  };
  static constexpr size_t kCacheLimit = 10'000;

  Result<CreatedKey> CreateIn(StoreWriter& tx, int64_t tenant_id, const KeySpec& spec, int64_t now);
  Status Validate(const KeySpec& spec, int64_t now) const;
  void Forget(int64_t key_id);
  void NoteUse(int64_t key_id, int64_t now);

  Store& store_;
  Clock& clock_;
  IdSource& ids_;
  std::mutex mutex_;
  std::unordered_map<std::string, CachedKey> cache_;  // by key hash
  std::unordered_map<int64_t, Use> uses_;             // by key id
};

}  // namespace shipline::app
