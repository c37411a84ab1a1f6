#include "app/clock.hpp"

#include <openssl/rand.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <stdexcept>
#include <vector>

namespace shipline::app {

int64_t SystemClock::NowMillis() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string RandomIdSource::NewToken(size_t bytes) {
  std::vector<unsigned char> buffer(bytes);
  if (RAND_bytes(buffer.data(), static_cast<int>(bytes)) != 1) {
    throw std::runtime_error("the random generator failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  for (unsigned char b : buffer) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

std::string FormatIsoTime(int64_t millis) {
  // Floor division: a time before 1970 is the second before it plus a
  // positive fraction ("1969-12-31T23:59:59.999Z" for -1), not a negative one.
  int64_t fraction = millis % 1000;
  if (fraction < 0) fraction += 1000;
  std::time_t seconds = static_cast<std::time_t>((millis - fraction) / 1000);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900,
                parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec,
                static_cast<int>(fraction));
  return buffer;
}

}  // namespace shipline::app
