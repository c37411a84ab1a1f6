#pragma once

// Money is an integer count of minor units of an ISO 4217 currency; it is
// never a floating-point number. Clients send and receive decimal strings.

#include <cstdint>
#include <string>
#include <string_view>

#include "domain/result.hpp"

namespace shipline::domain {

// True for three upper-case ASCII letters.
bool IsCurrencyCode(std::string_view code);

// The number of decimal places of a currency's minor unit (2 for EUR, 0 for
// JPY, 3 for KWD). Unknown but well-formed codes get 2.
int CurrencyExponent(std::string_view currency);

// Parses "12", "12.5" or "12.50" into minor units. Fails on signs, exponents,
// more decimals than the currency has, or values beyond 10^15 major units.
Result<int64_t> ParseDecimal(std::string_view text, int exponent);

// Formats minor units as a decimal string with exactly `exponent` decimals.
std::string FormatDecimal(int64_t minor, int exponent);

}  // namespace shipline::domain
