#include "http/json_io.hpp"

#include "app/log.hpp"

namespace shipline::http {

namespace {

Error WrongType(std::string_view path, std::string_view type) {
  return Error::Invalid(std::string(path) + " must be " + std::string(type), std::string(path));
}

// The first string or member name in `value` longer than any field may be,
// named by its path.
Status CheckTextSizes(const json::value& value, std::string& path) {
  if (value.is_string()) {
    return domain::CheckTextLength(value.as_string(), domain::kMaxTextBytes, path);
  }
  const size_t length = path.size();
  if (value.is_array()) {
    const json::array& array = value.as_array();
    for (size_t i = 0; i < array.size(); ++i) {
      path += "[" + std::to_string(i) + "]";
      SHIPLINE_RETURN_IF_ERROR(CheckTextSizes(array[i], path));
      path.resize(length);
    }
  } else if (value.is_object()) {
    for (const auto& member : value.as_object()) {
      if (member.key().size() > domain::kMaxTextBytes) {
        return Error::Invalid("a member name in " + (length == 0 ? "the body" : path) +
                                  " is longer than " + std::to_string(domain::kMaxTextBytes) +
                                  " bytes",
                              path)
            .Because(ErrorReason::kTextTooLong);
      }
      if (length != 0) path += ".";
      path += member.key();
      SHIPLINE_RETURN_IF_ERROR(CheckTextSizes(member.value(), path));
      path.resize(length);
    }
  }
  return Ok();
}

}  // namespace

Result<json::object> ParseObject(std::string_view body) {
  json::parse_options options;
  options.max_depth = 32;
  boost::system::error_code ec;
  json::value value = json::parse(body, ec, {}, options);
  if (ec) return Error::Invalid("request body is not valid JSON");
  if (!value.is_object()) return Error::Invalid("request body must be a JSON object");
  std::string path;
  SHIPLINE_RETURN_IF_ERROR(CheckTextSizes(value, path));
  return std::move(value.as_object());
}

Result<std::optional<std::string>> OptionalString(const json::object& object, std::string_view key,
                                                  std::string_view path, domain::TextKind kind) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) return std::optional<std::string>();
  if (!value->is_string()) return WrongType(path, "a string");
  SHIPLINE_RETURN_IF_ERROR(domain::CheckTextLength(value->as_string(), kind, path));
  return std::optional<std::string>(std::string(value->as_string()));
}

Result<std::string> RequiredString(const json::object& object, std::string_view key,
                                   std::string_view path, domain::TextKind kind) {
  auto value = OptionalString(object, key, path, kind);
  if (!value) return std::move(value).error();
  if (!*value || (*value)->empty()) {
    return Error::Invalid(std::string(path) + " is required", std::string(path));
  }
  return std::move(**value);
}

Result<std::vector<std::string>> OptionalStrings(const json::object& object, std::string_view key,
                                                 std::string_view path, domain::TextKind kind) {
  std::vector<std::string> out;
  auto list = OptionalArray(object, key, path);
  if (!list) return std::move(list).error();
  if (*list == nullptr) return out;
  for (size_t i = 0; i < (*list)->size(); ++i) {
    const json::value& item = (**list)[i];
    const std::string item_path = std::string(path) + "[" + std::to_string(i) + "]";
    if (!item.is_string()) return WrongType(item_path, "a string");
    SHIPLINE_RETURN_IF_ERROR(domain::CheckTextLength(item.as_string(), kind, item_path));
    out.emplace_back(item.as_string());
  }
  return out;
}

Result<std::optional<int64_t>> OptionalInt(const json::object& object, std::string_view key,
                                           std::string_view path) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) return std::optional<int64_t>();
  if (value->is_int64()) return std::optional<int64_t>(value->as_int64());
  if (value->is_uint64() && value->as_uint64() <= INT64_MAX) {
    return std::optional<int64_t>(static_cast<int64_t>(value->as_uint64()));
  }
  return WrongType(path, "an integer");
}

Result<std::optional<bool>> OptionalBool(const json::object& object, std::string_view key,
                                         std::string_view path) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) return std::optional<bool>();
  if (value->is_bool()) return std::optional<bool>(value->as_bool());
  if (value->is_int64() && (value->as_int64() == 0 || value->as_int64() == 1)) {
    return std::optional<bool>(value->as_int64() == 1);
  }
  return WrongType(path, "a boolean");
}

Result<const json::object*> OptionalObject(const json::object& object, std::string_view key,
                                           std::string_view path) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) return static_cast<const json::object*>(nullptr);
  if (!value->is_object()) return WrongType(path, "an object");
  return &value->as_object();
}

Result<const json::array*> OptionalArray(const json::object& object, std::string_view key,
                                         std::string_view path) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) return static_cast<const json::array*>(nullptr);
  if (!value->is_array()) return WrongType(path, "an array");
  return &value->as_array();
}

Response JsonResponse(int status, const json::value& body) {
  Response response;
  response.status = status;
  response.body = json::serialize(body);
  return response;
}

json::object ErrorObject(std::string_view message) { return json::object{{"error", message}}; }

json::value StringOrNull(const std::string& text) {
  if (text.empty()) return nullptr;
  return json::value(text);
}

void LogServerFault(const Request& request, const Error& error) {
  app::LogError("request failed", app::LogFields()
                                      .Add("request_id", request.request_id)
                                      .Add("code", ErrorCodeName(error.code))
                                      .Add("message", error.message)
                                      .Add("detail", error.detail));
}

}  // namespace shipline::http
