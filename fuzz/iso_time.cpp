// Time parsing: any text either fails or gives a time that the writer
// formats and the reader reads back to the same millisecond; and every time
// the writer formats reads back exactly.

#include "http/iso_time.hpp"

#include <cstring>

#include "app/clock.hpp"
#include "support/properties.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace shipline;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = http::ParseIsoTime(text);
  // Years 0000..9999 are what the four-digit form can hold.
  constexpr int64_t kMin = -62'167'219'200'000;  // 0000-01-01T00:00:00Z
  constexpr int64_t kMax = 253'402'300'799'999;  // 9999-12-31T23:59:59.999Z
  if (parsed && *parsed >= kMin && *parsed <= kMax) {
    std::string formatted = app::FormatIsoTime(*parsed);
    auto back = http::ParseIsoTime(formatted);
    fuzz::Require(back && *back == *parsed, "a parsed time formats and reads back",
                  std::string(text) + " -> " + formatted);
  }
  if (size >= 8) {
    int64_t millis = 0;
    std::memcpy(&millis, data, sizeof millis);
    millis = kMin + static_cast<int64_t>(static_cast<uint64_t>(millis) %
                                         static_cast<uint64_t>(kMax - kMin + 1));
    std::string formatted = app::FormatIsoTime(millis);
    auto back = http::ParseIsoTime(formatted);
    fuzz::Require(back && *back == millis, "a formatted time reads back", formatted);
  }
  return 0;
}
