#pragma once

// API keys: created by the CLI (or on first start), stored only as a SHA-256
// hash, looked up on every request through a small cache.

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "app/store.hpp"

namespace shipline::app {

// Hex SHA-256 of a key, the only form in which keys are stored.
std::string HashApiKey(std::string_view key);

class ApiKeys {
 public:
  ApiKeys(Store& store, Clock& clock, IdSource& ids) : store_(store), clock_(clock), ids_(ids) {}

  // Creates tenant `tenant` if needed and a key named `name` for it; returns
  // the key, which is never stored in clear.
  Result<std::string> Create(std::string_view tenant, std::string_view name);

  // Creates tenant "default" and an admin key when the store has no tenant;
  // returns the key, or an empty string when tenants already exist.
  Result<std::string> Bootstrap();

  // The tenant and key name behind `key`; kUnauthenticated when unknown. Keys
  // created by another process are found at once (misses are not cached).
  Result<Actor> Authenticate(std::string_view key);

 private:
  struct CachedKey {
    Actor actor;
    int64_t expires_at = 0;
  };
  static constexpr int64_t kCacheMillis = 30'000;
  static constexpr size_t kCacheLimit = 10'000;

  Store& store_;
  Clock& clock_;
  IdSource& ids_;
  std::mutex mutex_;
  std::unordered_map<std::string, CachedKey> cache_;  // by key hash
};

}  // namespace shipline::app
