#include "app/storefront_cache.hpp"

namespace shipline::app {

uint64_t StorefrontCache::generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

std::optional<StorefrontSettings> StorefrontCache::Find(int64_t tenant_id,
                                                        std::string_view name) const {
  std::lock_guard lock(mutex_);
  auto found = entries_.find(std::make_pair(tenant_id, std::string(name)));
  if (found == entries_.end() || found->second.expires <= std::chrono::steady_clock::now()) {
    return std::nullopt;
  }
  return found->second.settings;
}

void StorefrontCache::Put(int64_t tenant_id, const StorefrontSettings& settings,
                          uint64_t generation) {
  std::lock_guard lock(mutex_);
  if (generation != generation_) return;
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_[std::make_pair(tenant_id, settings.name)] = {settings,
                                                        std::chrono::steady_clock::now() + kMaxAge};
}

void StorefrontCache::Drop(int64_t tenant_id, std::string_view name) {
  std::lock_guard lock(mutex_);
  ++generation_;
  entries_.erase(std::make_pair(tenant_id, std::string(name)));
}

}  // namespace shipline::app
