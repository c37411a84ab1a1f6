#include "http/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace shipline::http {

RateLimiter::Decision RateLimiter::Take(const std::string& key) {
  if (!enabled()) return {};
  int64_t now = clock_.NowMillis();
  double burst = std::max(1.0, limit_.burst);
  std::lock_guard lock(mutex_);
  auto found = buckets_.find(key);
  if (found == buckets_.end()) {
    if (buckets_.size() >= max_keys_) {
      std::erase_if(buckets_, [&](const auto& entry) {
        const Bucket& b = entry.second;
        return b.tokens + static_cast<double>(now - b.at) / 1000.0 * limit_.rate >= burst;
      });
      if (buckets_.size() >= max_keys_) buckets_.clear();
    }
    found = buckets_.emplace(key, Bucket{burst, now}).first;
  }
  Bucket& bucket = found->second;
  if (now > bucket.at) {
    bucket.tokens = std::min(
        burst, bucket.tokens + static_cast<double>(now - bucket.at) / 1000.0 * limit_.rate);
    bucket.at = now;
  }
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return {};
  }
  double wait = (1.0 - bucket.tokens) / limit_.rate;
  return {false, std::max<int64_t>(1, static_cast<int64_t>(std::ceil(wait)))};
}

}  // namespace shipline::http
