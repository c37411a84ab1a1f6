#include "store/sql/params.hpp"

namespace shipline::store::sql {

Params& Params::Add(int64_t value) {
  values_.push_back({Value::Kind::kInt, value, 0, {}});
  return *this;
}

Params& Params::Add(double value) {
  values_.push_back({Value::Kind::kDouble, 0, value, {}});
  return *this;
}

Params& Params::Add(std::string_view value) {
  values_.push_back({Value::Kind::kText, 0, 0, std::string(value)});
  return *this;
}

Params& Params::Add(const std::optional<int64_t>& value) { return value ? Add(*value) : Null(); }

Params& Params::Add(const std::optional<double>& value) { return value ? Add(*value) : Null(); }

Params& Params::Add(const std::optional<std::string>& value) {
  return value ? Add(std::string_view(*value)) : Null();
}

Params& Params::Null() {
  values_.emplace_back();
  return *this;
}

Params& Params::Text(std::string_view value) { return value.empty() ? Null() : Add(value); }

std::string Placeholders(int first, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) {
    if (i > 0) out += ", ";
    out += "$" + std::to_string(first + i);
  }
  return out;
}

}  // namespace shipline::store::sql
