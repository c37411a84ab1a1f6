#include "app/zone_time.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <ctime>
#include <mutex>

#include "domain/text_limits.hpp"

namespace shipline::app {

namespace {

// A zone name is a code: "America/Argentina/ComodRivadavia" is among the longest.
constexpr size_t kMaxZoneName = domain::MaxTextBytes(domain::TextKind::kCode);

// The folder of the tz database: $TZDIR as the C library reads it, or the
// Debian default.
std::string ZoneFolder() {
  const char* folder = std::getenv("TZDIR");
  return folder != nullptr && *folder != '\0' ? folder : "/usr/share/zoneinfo";
}

bool IsZoneName(std::string_view zone) {
  if (zone.empty() || zone.size() > kMaxZoneName || zone.front() == '/' ||
      zone.find("..") != std::string_view::npos) {
    return false;
  }
  for (char c : zone) {
    const bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                         (c >= '0' && c <= '9') || c == '/' || c == '_' || c == '-' || c == '+';
    if (!allowed) return false;
  }
  return true;
}

std::mutex& ZoneMutex() {
  static std::mutex mutex;
  return mutex;
}

}  // namespace

bool IsKnownTimeZone(std::string_view zone) {
  if (!IsZoneName(zone)) return false;
  struct stat info {};
  const std::string path = ZoneFolder() + "/" + std::string(zone);
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

std::optional<ZonedTime> InTimeZone(int64_t millis, std::string_view zone) {
  const std::time_t seconds =
      static_cast<std::time_t>(millis >= 0 ? millis / 1000 : (millis - 999) / 1000);
  std::tm parts{};
  std::string abbreviation;
  if (zone.empty() || zone == "UTC") {
    if (::gmtime_r(&seconds, &parts) == nullptr) return std::nullopt;
    abbreviation = "UTC";
  } else {
    if (!IsKnownTimeZone(zone)) return std::nullopt;
    std::lock_guard<std::mutex> lock(ZoneMutex());
    const char* before = std::getenv("TZ");
    const std::string saved = before != nullptr ? before : "";
    const std::string wanted = ":" + std::string(zone);
    ::setenv("TZ", wanted.c_str(), 1);
    ::tzset();
    const bool converted = ::localtime_r(&seconds, &parts) != nullptr;
    if (converted && parts.tm_zone != nullptr) abbreviation = parts.tm_zone;
    if (before != nullptr) {
      ::setenv("TZ", saved.c_str(), 1);
    } else {
      ::unsetenv("TZ");
    }
    ::tzset();
    if (!converted) return std::nullopt;
  }
  return ZonedTime{parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,          parts.tm_hour,
                   parts.tm_min,         parts.tm_sec,     std::move(abbreviation)};
}

}  // namespace shipline::app
