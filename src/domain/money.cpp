#include "domain/money.hpp"

#include <array>

namespace shipline::domain {

namespace {

constexpr int64_t kMaxMajorUnits = 1'000'000'000'000'000;  // 10^15

struct CurrencyExponentEntry {
  std::string_view code;
  int exponent;
};

// ISO 4217 currencies whose minor unit is not 1/100.
constexpr std::array<CurrencyExponentEntry, 22> kUnusualExponents{{
    {"BHD", 3}, {"BIF", 0}, {"CLP", 0}, {"DJF", 0}, {"GNF", 0}, {"IQD", 3}, {"ISK", 0}, {"JOD", 3},
    {"JPY", 0}, {"KMF", 0}, {"KRW", 0}, {"KWD", 3}, {"LYD", 3}, {"OMR", 3}, {"PYG", 0}, {"RWF", 0},
    {"TND", 3}, {"UGX", 0}, {"VND", 0}, {"VUV", 0}, {"XAF", 0}, {"XOF", 0},
}};

}  // namespace

bool IsCurrencyCode(std::string_view code) {
  if (code.size() != 3) return false;
  for (char c : code) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

int CurrencyExponent(std::string_view currency) {
  for (const auto& entry : kUnusualExponents) {
    if (entry.code == currency) return entry.exponent;
  }
  return 2;
}

Result<int64_t> ParseDecimal(std::string_view text, int exponent) {
  auto invalid = [&] {
    return Error::Invalid("must be a non-negative decimal string with at most " +
                          std::to_string(exponent) + " decimals");
  };
  if (text.empty()) return invalid();
  int64_t major = 0;
  size_t i = 0;
  for (; i < text.size() && text[i] != '.'; ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return invalid();
    major = major * 10 + (c - '0');
    if (major > kMaxMajorUnits) return Error::Invalid("amount is too large");
  }
  if (i == 0) return invalid();
  int64_t minor = 0;
  int decimals = 0;
  if (i < text.size()) {
    ++i;  // the point
    if (i == text.size()) return invalid();
    for (; i < text.size(); ++i) {
      char c = text[i];
      if (c < '0' || c > '9' || decimals == exponent) return invalid();
      minor = minor * 10 + (c - '0');
      ++decimals;
    }
  }
  for (; decimals < exponent; ++decimals) minor *= 10;
  int64_t scale = 1;
  for (int e = 0; e < exponent; ++e) scale *= 10;
  return major * scale + minor;
}

std::string FormatDecimal(int64_t minor, int exponent) {
  bool negative = minor < 0;
  uint64_t magnitude = negative ? -static_cast<uint64_t>(minor) : static_cast<uint64_t>(minor);
  std::string digits = std::to_string(magnitude);
  if (exponent > 0) {
    if (digits.size() <= static_cast<size_t>(exponent)) {
      digits.insert(0, static_cast<size_t>(exponent) + 1 - digits.size(), '0');
    }
    digits.insert(digits.size() - static_cast<size_t>(exponent), 1, '.');
  }
  return negative ? "-" + digits : digits;
}

}  // namespace shipline::domain
