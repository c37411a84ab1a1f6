#pragma once

// How the store keeps values that have no column type of their own, the same
// way on both engines: lists as text with a separator, fractional numbers as
// integers scaled by a fixed factor (exact to compare and to round-trip).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shipline::store {

// The items of `list` separated by `separator` (items never contain it).
std::string JoinList(const std::vector<std::string>& list, char separator);

// The inverse of JoinList. Empty items inside the text are kept when
// `keep_empty`, skipped otherwise; "" is the empty list either way.
std::vector<std::string> SplitList(std::string_view text, char separator, bool keep_empty);

// Degrees as integers times 10^7 (about 1 cm), NULL for none.
std::optional<int64_t> ToE7(const std::optional<double>& degrees);
std::optional<double> FromE7(const std::optional<int64_t>& stored);

// Quantities as integers times 1000, rounded to the nearest.
int64_t ToMilli(double value);
double FromMilli(int64_t stored);

}  // namespace shipline::store
