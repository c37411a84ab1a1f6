#pragma once

// Building a list's WHERE clause from the filters a client gave: only the
// filters given become conditions, so that each page walks one index and
// stops after its rows. Placeholders are numbered as values are added.

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/sql/params.hpp"

namespace shipline::store::sql {

// Appends " AND <condition>" terms to `sql` and their values to `params`.
class Conditions {
 public:
  Conditions(std::string& sql, Params& params) : sql_(sql), params_(params) {}

  // `condition` ends where its one value goes: "last_updated_at >=".
  template <typename T>
  void Add(std::string_view condition, const T& value) {
    params_.Add(value);
    Append(condition);
    sql_ += " $" + std::to_string(params_.size());
  }
  // "(<columns>) <op> ($n, $n+1)": the keyset comparison, e.g. columns
  // "last_updated_at, id".
  void Key(std::string_view columns, std::string_view op, int64_t at, int64_t id) {
    params_.Add(at).Add(id);
    Append("(" + std::string(columns) + ")");
    sql_ += " " + std::string(op) + " (" + Placeholders(params_.size() - 1, 2) + ")";
  }
  // "<column> IN ($n, ...)" for a non-empty list. The list is padded to a
  // power of two by repeating its last value (which changes nothing it
  // matches), so that the statements each connection prepares and caches by
  // their text stay few whatever the lengths clients send.
  template <typename T>
  void In(std::string_view column, const std::vector<T>& values) {
    int count = 1;
    while (count < static_cast<int>(values.size())) count *= 2;
    for (int i = 0; i < count; ++i) {
      params_.Add(values[std::min(static_cast<size_t>(i), values.size() - 1)]);
    }
    Append(column);
    sql_ += " IN (" + Placeholders(params_.size() - count + 1, count) + ")";
  }

 private:
  void Append(std::string_view text) {
    sql_ += " AND ";
    sql_ += text;
  }

  std::string& sql_;
  Params& params_;
};

}  // namespace shipline::store::sql
