#pragma once

// Time and randomness come through these ports so tests can control them.

#include <cstdint>
#include <string>

namespace shipline::app {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch, UTC.
  virtual int64_t NowMillis() = 0;
};

// The wall clock.
class SystemClock final : public Clock {
 public:
  int64_t NowMillis() override;
};

class IdSource {
 public:
  virtual ~IdSource() = default;
  // A fresh unguessable token of `bytes` random bytes, hex-encoded.
  virtual std::string NewToken(size_t bytes) = 0;
};

// Tokens from OpenSSL's random generator: a per-thread DRBG that the kernel's
// source seeds and reseeds, so a token costs no system call (two of them
// were a tenth of a completion's calls into the kernel).
class RandomIdSource final : public IdSource {
 public:
  std::string NewToken(size_t bytes) override;
};

// Formats epoch milliseconds as ISO 8601 UTC with milliseconds, e.g.
// "2026-11-22T05:18:00.000Z".
std::string FormatIsoTime(int64_t millis);

}  // namespace shipline::app
