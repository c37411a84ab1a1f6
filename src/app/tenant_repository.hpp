#pragma once

// The store's part for tenants and their API keys. Reached through
// StoreReader::Tenants() inside Store::Read or Store::Write; Ensure and
// InsertApiKey only inside Store::Write. Failures are kInternal with the
// database's message in the detail. Lives as long as its transaction, on that
// transaction's thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/result.hpp"

namespace shipline::app {

struct ApiKeyRecord {
  int64_t id = 0;
  int64_t tenant_id = 0;
  std::string name;
};

class TenantRepository {
 public:
  virtual ~TenantRepository() = default;

  // The live (not revoked) key with this hash, or nullopt.
  virtual Result<std::optional<ApiKeyRecord>> FindApiKey(std::string_view key_hash) = 0;
  // How many tenants there are. Inside a write on a shared database, nodes
  // counting at once are serialised, so one of them sees 0.
  virtual Result<int64_t> Count() = 0;

  // Returns the id of the tenant named `name`, creating it if needed.
  virtual Result<int64_t> Ensure(std::string_view name, int64_t now) = 0;
  virtual Status InsertApiKey(int64_t tenant_id, std::string_view name, std::string_view key_hash,
                              int64_t now) = 0;
};

}  // namespace shipline::app
