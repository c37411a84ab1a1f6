#pragma once

// A statement's parameters in order ($1, $2, ...), as typed values that each
// engine binds its own way.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shipline::store::sql {

struct Value {
  enum class Kind { kNull, kInt, kDouble, kText };
  Kind kind = Kind::kNull;
  int64_t integer = 0;
  double real = 0;
  std::string text;
};

class Params {
 public:
  Params& Add(int64_t value);
  Params& Add(int value) { return Add(static_cast<int64_t>(value)); }
  Params& Add(double value);
  Params& Add(std::string_view value);
  Params& Add(const std::string& value) { return Add(std::string_view(value)); }
  Params& Add(const char* value) { return Add(std::string_view(value)); }
  Params& Add(const std::optional<int64_t>& value);
  Params& Add(const std::optional<double>& value);
  Params& Add(const std::optional<std::string>& value);
  // Booleans are bound as 1 and 0, which both engines take for a boolean
  // column (and literals are written TRUE and FALSE in the SQL).
  Params& Bool(bool value) { return Add(static_cast<int64_t>(value ? 1 : 0)); }
  Params& Null();
  // NULL for an empty string.
  Params& Text(std::string_view value);

  const std::vector<Value>& values() const { return values_; }
  int size() const { return static_cast<int>(values_.size()); }

 private:
  std::vector<Value> values_;
};

// "$first, $first+1, ..." for `count` parameters: the list of an IN (...).
std::string Placeholders(int first, int count);

}  // namespace shipline::store::sql
