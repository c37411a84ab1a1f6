#include "http/order_api/request_fields.hpp"

#include <charconv>

#include "domain/utf8.hpp"

namespace shipline::http::order_api {

namespace {

constexpr size_t kMaxFields = 100;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes one form component: "+" is a space, "%XX" a byte.
std::optional<std::string> FormDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      int high = HexValue(text[i + 1]);
      int low = HexValue(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

Result<json::object> ParseForm(std::string_view body) {
  json::object object;
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view pair = body.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) continue;
    if (object.size() >= kMaxFields) return Error::Invalid("too many form fields");
    size_t equals = pair.find('=');
    auto key = FormDecode(pair.substr(0, equals));
    auto value =
        FormDecode(equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1));
    if (!key || !value) return Error::Invalid("request body is not valid form data");
    if (!domain::IsValidUtf8(*key)) return Error::Invalid("a form field name is not UTF-8 text");
    if (!domain::IsValidUtf8(*value)) {
      return Error::Invalid("form field " + *key + " is not UTF-8 text", *key);
    }
    if (key->size() > domain::kMaxTextBytes) {
      return Error::Invalid("a form field name is too long").Because(ErrorReason::kTextTooLong);
    }
    SHIPLINE_RETURN_IF_ERROR(domain::CheckTextLength(*value, domain::kMaxTextBytes, *key));
    object[*key] = *value;
  }
  return object;
}

Error WrongType(std::string_view key, std::string_view type) {
  return Error::Invalid(std::string(key) + " must be " + std::string(type), std::string(key));
}

}  // namespace

Result<json::object> ParseBody(std::string_view body, std::string_view content_type) {
  // A JSON object sent with the form type (curl -d does that) is still JSON.
  const size_t first = body.find_first_not_of(" \t\r\n");
  const bool looks_json = first != std::string_view::npos && body[first] == '{';
  if (content_type.starts_with("application/x-www-form-urlencoded") && !looks_json) {
    return ParseForm(body);
  }
  return ParseObject(body);
}

Result<std::optional<std::string>> LooseString(const json::object& object, std::string_view key,
                                               domain::TextKind kind) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) return std::optional<std::string>();
  if (value->is_string()) {
    SHIPLINE_RETURN_IF_ERROR(domain::CheckTextLength(value->as_string(), kind, key));
    return std::optional<std::string>(std::string(value->as_string()));
  }
  if (value->is_int64()) return std::optional<std::string>(std::to_string(value->as_int64()));
  if (value->is_uint64()) return std::optional<std::string>(std::to_string(value->as_uint64()));
  return WrongType(key, "a string or an integer");
}

Result<std::optional<bool>> LooseBool(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) return std::optional<bool>();
  if (value->is_bool()) return std::optional<bool>(value->as_bool());
  if (value->is_int64() && (value->as_int64() == 0 || value->as_int64() == 1)) {
    return std::optional<bool>(value->as_int64() == 1);
  }
  if (value->is_string()) {
    std::string_view text = value->as_string();
    if (text == "true" || text == "1" || text == "yes") return std::optional<bool>(true);
    if (text == "false" || text == "0" || text == "no") return std::optional<bool>(false);
  }
  return WrongType(key, "a boolean");
}

Result<std::optional<int64_t>> LooseInt(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) return std::optional<int64_t>();
  if (value->is_int64()) return std::optional<int64_t>(value->as_int64());
  if (value->is_string()) {
    std::string_view text = value->as_string();
    int64_t number = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) {
      return std::optional<int64_t>(number);
    }
  }
  return WrongType(key, "an integer");
}

}  // namespace shipline::http::order_api
