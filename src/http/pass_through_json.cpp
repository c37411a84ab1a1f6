#include "http/pass_through_json.hpp"

namespace shipline::http {

Result<std::string> ReadPassThrough(const json::object& object, std::string_view key,
                                    const std::string& path) {
  auto array = OptionalArray(object, key, path);
  if (!array) return std::move(array).error();
  if (*array == nullptr || (*array)->empty()) return std::string();
  if ((*array)->size() > kMaxPassThroughEntries) {
    return Error::Invalid(path + " holds at most 100 entries", path);
  }
  for (const json::value& entry : **array) {
    if (!entry.is_object()) return Error::Invalid(path + " must hold objects", path);
  }
  std::string text = json::serialize(**array);
  if (text.size() > kMaxPassThroughBytes) {
    return Error::Invalid(path + " is too large (at most 16 KiB)", path);
  }
  return text;
}

json::value PassThroughJson(const std::string& text) {
  if (text.empty()) return json::array();
  boost::system::error_code ec;
  json::value parsed = json::parse(text, ec);
  if (ec || !parsed.is_array()) return json::array();
  return parsed;
}

}  // namespace shipline::http
