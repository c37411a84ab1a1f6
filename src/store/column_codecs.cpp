#include "store/column_codecs.hpp"

#include <cmath>

namespace shipline::store {

std::string JoinList(const std::vector<std::string>& list, char separator) {
  std::string text;
  for (const std::string& item : list) {
    if (!text.empty()) text.push_back(separator);
    text += item;
  }
  return text;
}

std::vector<std::string> SplitList(std::string_view text, char separator, bool keep_empty) {
  std::vector<std::string> list;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(separator, start);
    if (end == std::string_view::npos) end = text.size();
    if (keep_empty || end > start) list.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return list;
}

std::optional<int64_t> ToE7(const std::optional<double>& degrees) {
  if (!degrees) return std::nullopt;
  return std::llround(*degrees * 1e7);
}

std::optional<double> FromE7(const std::optional<int64_t>& stored) {
  if (!stored) return std::nullopt;
  return static_cast<double>(*stored) / 1e7;
}

int64_t ToMilli(double value) { return std::llround(value * 1000); }

double FromMilli(int64_t stored) { return static_cast<double>(stored) / 1000.0; }

}  // namespace shipline::store
