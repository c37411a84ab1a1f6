#pragma once

// Wall-clock time in an IANA time zone ("America/Chicago"), with the zone's
// abbreviation ("CDT"), from the system's tz database (tzdata) through the C
// library. libstdc++ 12 has no std::chrono time-zone database, and the C
// library reads the zone from the process-wide TZ variable, so every call
// takes one mutex: callers on any thread are safe, and nothing else in
// shipline reads local time (its logs are in UTC).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shipline::app {

struct ZonedTime {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  int hour = 0;   // 0..23
  int minute = 0;
  int second = 0;
  std::string abbreviation;  // e.g. "CDT"; "UTC" for UTC
};

// Whether `zone` names a zone of the tz database: a relative name of letters,
// digits and "/_-+" (no "..") with a file under the database's folder.
bool IsKnownTimeZone(std::string_view zone);

// `millis` (epoch ms) in `zone`; an empty zone means UTC. nullopt when the
// zone is not known (IsKnownTimeZone).
std::optional<ZonedTime> InTimeZone(int64_t millis, std::string_view zone);

}  // namespace shipline::app
