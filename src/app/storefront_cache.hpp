#pragma once

// Storefront settings recently read, for the paths that only read them on
// every request (a completion: whether to email, which carriers). A change
// made through this process is seen at once: Storefronts::Update drops the
// entry after its commit. A change made by another node sharing the database
// is seen within the entries' maximum age. Bounded: past kMaxEntries the
// cache starts over. Thread-safe.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "app/storefront_repository.hpp"

namespace shipline::app {

class StorefrontCache {
 public:
  static constexpr size_t kMaxEntries = 10'000;
  static constexpr std::chrono::seconds kMaxAge{5};

  // Before a load: a Put with a generation older than the last Drop is
  // ignored (the loaded settings may predate the change that dropped them).
  uint64_t generation() const;

  std::optional<StorefrontSettings> Find(int64_t tenant_id, std::string_view name) const;
  void Put(int64_t tenant_id, const StorefrontSettings& settings, uint64_t generation);
  void Drop(int64_t tenant_id, std::string_view name);

 private:
  struct Entry {
    StorefrontSettings settings;
    std::chrono::steady_clock::time_point expires;
  };

  mutable std::mutex mutex_;
  uint64_t generation_ = 0;
  std::map<std::pair<int64_t, std::string>, Entry, std::less<>> entries_;
};

}  // namespace shipline::app
