#include "http/iso_time.hpp"

namespace shipline::http {

namespace {

// Reads exactly `count` digits at `at`, advancing it.
std::optional<int> Digits(std::string_view text, size_t& at, size_t count) {
  if (at + count > text.size()) return std::nullopt;
  int value = 0;
  for (size_t i = 0; i < count; ++i) {
    char c = text[at + i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  at += count;
  return value;
}

bool Expect(std::string_view text, size_t& at, char c) {
  if (at >= text.size() || text[at] != c) return false;
  ++at;
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
// days_from_civil).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

std::optional<ClientTime> ParseClientTime(std::string_view text) {
  size_t at = 0;
  auto year = Digits(text, at, 4);
  if (!year || !Expect(text, at, '-')) return std::nullopt;
  auto month = Digits(text, at, 2);
  if (!month || !Expect(text, at, '-')) return std::nullopt;
  auto day = Digits(text, at, 2);
  if (!day || *month < 1 || *month > 12 || *day < 1 || *day > DaysInMonth(*year, *month)) {
    return std::nullopt;
  }
  int64_t millis = DaysFromCivil(*year, *month, *day) * 86'400'000;
  if (at == text.size()) return ClientTime{millis, 0, true};
  if (text[at] != 'T' && text[at] != 't' && text[at] != ' ') return std::nullopt;
  ++at;
  auto hour = Digits(text, at, 2);
  if (!hour || !Expect(text, at, ':')) return std::nullopt;
  auto minute = Digits(text, at, 2);
  if (!minute || !Expect(text, at, ':')) return std::nullopt;
  auto second = Digits(text, at, 2);
  if (!second || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  millis += ((*hour * 60LL + *minute) * 60 + *second) * 1000;
  if (at < text.size() && (text[at] == '.' || text[at] == ',')) {
    ++at;
    int64_t scale = 100;
    size_t start = at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      millis += (text[at] - '0') * scale;
      scale /= 10;
      ++at;
    }
    if (at == start) return std::nullopt;
  }
  if (at == text.size()) return ClientTime{millis, 0, false};
  if (text[at] == 'Z' || text[at] == 'z') {
    if (at + 1 != text.size()) return std::nullopt;
    return ClientTime{millis, 0, false};
  }
  if (text[at] != '+' && text[at] != '-') return std::nullopt;
  int sign = text[at] == '+' ? 1 : -1;
  ++at;
  auto offset_hours = Digits(text, at, 2);
  if (!offset_hours) return std::nullopt;
  if (at < text.size() && text[at] == ':') ++at;
  auto offset_minutes = Digits(text, at, 2);
  if (!offset_minutes || at != text.size() || *offset_hours > 23 || *offset_minutes > 59) {
    return std::nullopt;
  }
  const int offset = sign * (*offset_hours * 60 + *offset_minutes);
  return ClientTime{millis - offset * 60'000LL, offset, false};
}

std::optional<int64_t> ParseIsoTime(std::string_view text) {
  auto time = ParseClientTime(text);
  if (!time) return std::nullopt;
  return time->millis;
}

}  // namespace shipline::http
