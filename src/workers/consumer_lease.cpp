#include "workers/consumer_lease.hpp"

#include <unistd.h>

#include <random>

#include "app/log.hpp"

namespace shipline::workers {

namespace {

std::string NewOwner() {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  std::random_device random;
  std::uniform_int_distribution<uint32_t> digits;
  return std::string(host) + ":" + std::to_string(getpid()) + ":" + std::to_string(digits(random));
}

}  // namespace

ConsumerLease::ConsumerLease(app::Store& store, app::Clock& clock, std::string consumer,
                             std::chrono::milliseconds length)
    : store_(store),
      clock_(clock),
      consumer_(std::move(consumer)),
      owner_(NewOwner()),
      length_ms_(std::max<int64_t>(1, length.count())) {}

Result<bool> ConsumerLease::Hold() {
  const int64_t now = clock_.NowMillis();
  if (held_until_ - now > length_ms_ * 2 / 3) return true;
  const int64_t until = now + length_ms_;
  bool held = false;
  SHIPLINE_RETURN_IF_ERROR(store_.Write([&](app::StoreWriter& tx) -> Status {
    auto leased = tx.Events().Lease(consumer_, owner_, until, now);
    if (!leased) return std::move(leased).error();
    held = *leased;
    return Ok();
  }));
  const bool was_held = held_until_ > now;
  held_until_ = held ? until : 0;
  if (held != was_held) {
    app::LogInfo(held ? "consumer lease taken" : "consumer lease held elsewhere",
                 app::LogFields().Add("consumer", consumer_).Add("owner", owner_));
  }
  return held;
}

void ConsumerLease::Release() {
  const int64_t now = clock_.NowMillis();
  if (held_until_ <= now) return;
  held_until_ = 0;
  Status released = store_.Write([&](app::StoreWriter& tx) -> Status {
    auto leased = tx.Events().Lease(consumer_, owner_, now, now);
    return leased ? Ok() : Status(std::move(leased).error());
  });
  if (!released.ok()) {
    app::LogWarn(
        "consumer lease not given up (it expires by itself)",
        app::LogFields().Add("consumer", consumer_).Add("detail", released.error().detail));
  }
}

}  // namespace shipline::workers
