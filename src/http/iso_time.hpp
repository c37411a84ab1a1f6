#pragma once

// Reading ISO 8601 times that clients send.

#include <cstdint>
#include <optional>
#include <string_view>

namespace shipline::http {

// Epoch milliseconds of "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM|+HHMM)"
// (a space may stand for the "T"), or of a bare date "YYYY-MM-DD" (midnight
// UTC). A time without an offset is read as UTC. nullopt for anything else,
// including impossible dates.
std::optional<int64_t> ParseIsoTime(std::string_view text);

// A time as the client wrote it: the instant, the UTC offset it was written
// in (minutes east of UTC; 0 for "Z", no offset or a bare date) and whether
// it was a bare date.
struct ClientTime {
  int64_t millis = 0;
  int offset_minutes = 0;
  bool date_only = false;
};

// ParseIsoTime keeping the form the time was written in.
std::optional<ClientTime> ParseClientTime(std::string_view text);

}  // namespace shipline::http
