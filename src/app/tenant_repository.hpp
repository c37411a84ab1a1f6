#pragma once

// The store's part for tenants and their API keys. Reached through
// StoreReader::Tenants() inside Store::Read or Store::Write; Ensure, LockKeys,
// InsertApiKey, RevokeApiKey and RecordKeyUse only inside Store::Write.
// Failures are kInternal with the database's message in the detail. Lives as
// long as its transaction, on that transaction's thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.hpp"

namespace shipline::app {

// One API key as stored (never the key itself: its hash stays in the store).
// `scopes` is the stored comma-separated list ("read,write"); `prefix` is the
// key's first characters, empty for keys made before prefixes were kept.
struct ApiKeyRecord {
  int64_t id = 0;
  int64_t tenant_id = 0;
  std::string name;
  std::string scopes;
  std::string prefix;
  int64_t created_at = 0;
  std::optional<int64_t> expires_at;
  std::optional<int64_t> last_used_at;
  std::optional<int64_t> revoked_at;
};

struct NewApiKey {
  int64_t tenant_id = 0;
  std::string name;
  std::string key_hash;
  std::string prefix;
  std::string scopes;
  int64_t created_at = 0;
  std::optional<int64_t> expires_at;
};

// A key's last use as one node saw it.
struct KeyUse {
  int64_t key_id = 0;
  int64_t used_at = 0;
};

class TenantRepository {
 public:
  virtual ~TenantRepository() = default;

  // Most keys one listing returns (newest first).
  static constexpr int64_t kKeyListLimit = 1000;

  // The live (not revoked) key with this hash, or nullopt. Expiry is the
  // caller's to check.
  virtual Result<std::optional<ApiKeyRecord>> FindApiKey(std::string_view key_hash) = 0;
  // The key with this id, revoked or not, or nullopt.
  virtual Result<std::optional<ApiKeyRecord>> FindApiKeyById(int64_t key_id) = 0;
  // The tenant's keys, newest first, at most kKeyListLimit; every tenant's
  // when `tenant_id` is nullopt.
  virtual Result<std::vector<ApiKeyRecord>> ListApiKeys(std::optional<int64_t> tenant_id) = 0;
  // How many tenants there are. Inside a write on a shared database, nodes
  // counting at once are serialised, so one of them sees 0.
  virtual Result<int64_t> Count() = 0;
  // The id of the tenant named `name`, or nullopt.
  virtual Result<std::optional<int64_t>> FindTenant(std::string_view name) = 0;

  // Returns the id of the tenant named `name`, creating it if needed.
  virtual Result<int64_t> Ensure(std::string_view name, int64_t now) = 0;
  // Serialises changes to the tenant's keys until the transaction ends (a
  // row lock on the tenant; a no-op where one writer excludes all others).
  virtual Status LockKeys(int64_t tenant_id) = 0;
  // The new key's id.
  virtual Result<int64_t> InsertApiKey(const NewApiKey& key) = 0;
  // Marks the key revoked at `now`; false when the tenant has no such live key.
  virtual Result<bool> RevokeApiKey(int64_t tenant_id, int64_t key_id, int64_t now) = 0;
  // Moves each key's last use forward to `used_at` (never back).
  virtual Status RecordKeyUse(const std::vector<KeyUse>& uses) = 0;
};

}  // namespace shipline::app
