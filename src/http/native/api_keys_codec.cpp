#include "http/native/api_keys_codec.hpp"

#include <charconv>

#include "http/iso_time.hpp"
#include "http/native/native_errors.hpp"

namespace shipline::http::native {

namespace {

constexpr size_t kMaxScopes = 3;

json::value TimeOrNull(const std::optional<int64_t>& millis) {
  if (!millis) return nullptr;
  return json::value(app::FormatIsoTime(*millis));
}

Result<app::KeySpec> SpecFromJson(const json::object& body) {
  for (const auto& [field, value] : body) {
    if (field != "name" && field != "scopes" && field != "expiresAt") {
      return Error::Invalid("unknown field " + std::string(field), std::string(field));
    }
  }
  app::KeySpec spec;
  auto name = RequiredString(body, "name", "name", domain::TextKind::kName);
  if (!name) return std::move(name).error();
  spec.name = std::move(*name);
  auto scopes = OptionalArray(body, "scopes", "scopes");
  if (!scopes) return std::move(scopes).error();
  if (*scopes == nullptr || (*scopes)->empty() || (*scopes)->size() > kMaxScopes) {
    return Error::Invalid("scopes must list 1 to 3 of read, write, admin", "scopes");
  }
  for (const auto& value : **scopes) {
    auto scope = value.is_string() ? app::ParseScope(value.as_string()) : std::nullopt;
    if (!scope) return Error::Invalid("scopes may hold only read, write and admin", "scopes");
    spec.scopes.Add(*scope);
  }
  auto expires = OptionalString(body, "expiresAt", "expiresAt", domain::TextKind::kCode);
  if (!expires) return std::move(expires).error();
  if (*expires) {
    auto at = ParseKeyExpiry(**expires, "expiresAt");
    if (!at) return std::move(at).error();
    spec.expires_at = *at;
  }
  return spec;
}

Response List(app::ApiKeys& keys, Request& request) {
  auto found = keys.List(request.actor);
  if (!found) return ErrorResponse(request, found.error());
  json::array out;
  for (const auto& key : *found) out.push_back(ApiKeyJson(key));
  return JsonResponse(200, json::object{{"apiKeys", std::move(out)}});
}

Response Create(app::ApiKeys& keys, Request& request) {
  auto body = ParseObject(request.body);
  if (!body) return ErrorResponse(request, body.error());
  auto spec = SpecFromJson(*body);
  if (!spec) return ErrorResponse(request, spec.error());
  auto created = keys.Create(request.actor, *spec);
  if (!created) return ErrorResponse(request, created.error());
  json::object out = ApiKeyJson(created->record);
  out["key"] = created->secret;
  return JsonResponse(201, out);
}

Response Revoke(app::ApiKeys& keys, Request& request) {
  const std::string& text = request.path_params[0];
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) {
    return ErrorResponse(request, Error::NotFound("no such API key: " + text));
  }
  Status done = keys.Revoke(request.actor, id);
  if (!done.ok()) return ErrorResponse(request, done.error());
  Response response;
  response.status = 204;
  return response;
}

// The key that asks: its id, name and scopes (what a client such as the
// console needs to know which of its actions the key may take).
Response WhoAmI(Request& request) {
  json::array scopes;
  for (auto name : request.actor.scopes.Names()) scopes.emplace_back(name);
  return JsonResponse(200, json::object{{"keyId", request.actor.key_id},
                                        {"name", request.actor.name},
                                        {"scopes", std::move(scopes)}});
}

}  // namespace

json::object ApiKeyJson(const app::ApiKeyRecord& key) {
  json::array scopes;
  if (auto parsed = app::Scopes::Parse(key.scopes)) {
    for (auto name : parsed->Names()) scopes.emplace_back(name);
  }
  return json::object{{"id", key.id},
                      {"name", key.name},
                      {"scopes", std::move(scopes)},
                      {"prefix", StringOrNull(key.prefix)},
                      {"createdAt", app::FormatIsoTime(key.created_at)},
                      {"lastUsedAt", TimeOrNull(key.last_used_at)},
                      {"expiresAt", TimeOrNull(key.expires_at)},
                      {"revokedAt", TimeOrNull(key.revoked_at)}};
}

Result<int64_t> ParseKeyExpiry(std::string_view text, std::string_view field) {
  auto at = ParseIsoTime(text);
  if (!at) {
    return Error::Invalid(std::string(field) + " must be an ISO 8601 time", std::string(field));
  }
  return *at;
}

void AddApiKeyRoutes(Router& router, app::ApiKeys& keys) {
  const std::string base = "/api/v1/api-keys";
  router.Add(
      Admin({"GET", base, true, [&keys](Request& r) { return List(keys, r); }, NativeError}));
  router.Add(
      Admin({"POST", base, true, [&keys](Request& r) { return Create(keys, r); }, NativeError}));
  router.Add(Admin({"DELETE", base + "/{keyId}", true,
                    [&keys](Request& r) { return Revoke(keys, r); }, NativeError}));
  router.Add({"GET", "/api/v1/whoami", true, WhoAmI, NativeError});
}

}  // namespace shipline::http::native
