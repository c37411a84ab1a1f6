#pragma once

// A token bucket per caller (an API key): each bucket holds up to `burst`
// tokens and refills at `rate` tokens per second; a request takes one token
// or is refused with the time until the next one. The router applies a
// limiter to a group of routes (Router::Limit). Buckets are bounded: past
// `max_keys`, full (idle) buckets are dropped first, then all. Thread-safe.

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "app/clock.hpp"

namespace shipline::http {

struct RateLimit {
  double rate = 0;  // tokens per second; 0 or less: unlimited
  double burst = 1;
};

class RateLimiter {
 public:
  RateLimiter(RateLimit limit, app::Clock& clock, size_t max_keys = 100'000)
      : limit_(limit), clock_(clock), max_keys_(max_keys) {}

  struct Decision {
    bool allowed = true;
    int64_t retry_after_seconds = 0;  // when refused: whole seconds until a token, at least 1
  };

  Decision Take(const std::string& key);
  bool enabled() const { return limit_.rate > 0; }

 private:
  struct Bucket {
    double tokens = 0;
    int64_t at = 0;  // when `tokens` was last computed, epoch ms
  };

  RateLimit limit_;
  app::Clock& clock_;
  size_t max_keys_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace shipline::http
