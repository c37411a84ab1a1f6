#include "http/openapi_routes.hpp"

#include <boost/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "domain/text_limits.hpp"

namespace shipline::http {

namespace json = boost::json;

extern const std::vector<std::pair<std::string_view, std::string_view>> kOpenApiDocument;

namespace {

constexpr std::string_view kIdempotencyKeyRef = "#/components/parameters/IdempotencyKey";
constexpr std::string_view kReplayedRef = "#/components/headers/IdempotentReplayed";

// The answers a key adds to an operation, beside the contract's own meaning
// of the status where it has one.
constexpr std::string_view kInFlight =
    "A request with this Idempotency-Key is still being processed, or its answer was lost in a "
    "crash after it changed state (look the outcome up rather than retry).";
constexpr std::string_view kReused =
    "This Idempotency-Key was used for another request (method, path or body).";

bool IsWrite(std::string_view method) {
  return method == "post" || method == "put" || method == "patch" || method == "delete";
}

// The content (error schema) of the operation's first client-error answer.
const json::value* ErrorContent(const json::object& responses) {
  for (std::string_view status : {"400", "401", "403", "404"}) {
    const json::value* response = responses.if_contains(status);
    if (response == nullptr || !response->is_object()) continue;
    if (const json::value* content = response->as_object().if_contains("content")) return content;
  }
  return nullptr;
}

void AddAnswer(json::object& responses, std::string_view status, std::string_view text,
               const json::value* content) {
  json::value& response = responses[status];
  if (response.is_object()) {
    json::object& existing = response.as_object();
    std::string description =
        existing.contains("description") ? std::string(existing["description"].as_string()) : "";
    existing["description"] =
        description + (description.empty() ? "" : " Or: ") + std::string(text);
    return;
  }
  json::object added{{"description", text}};
  if (content != nullptr) added["content"] = *content;
  response = std::move(added);
}

// Every write operation takes an Idempotency-Key: its parameter, its 409 and
// 422, and the header that marks a replayed answer, added here once rather
// than repeated in every contract's file.
void AddIdempotencyKeys(json::object& paths) {
  for (auto& [path, item] : paths) {
    for (auto& [method, value] : item.as_object()) {
      if (!IsWrite(method) || !value.is_object()) continue;
      json::object& operation = value.as_object();
      json::value& parameters = operation["parameters"];
      if (!parameters.is_array()) parameters.emplace_array();
      parameters.as_array().push_back(json::object{{"$ref", kIdempotencyKeyRef}});
      json::value& responses_value = operation["responses"];
      if (!responses_value.is_object()) responses_value.emplace_object();
      json::object& responses = responses_value.as_object();
      const json::value* found = ErrorContent(responses);
      const json::value content = found != nullptr ? *found : json::value();
      for (auto& [status, response] : responses) {
        if (status.size() == 3 && status[0] == '2' && response.is_object()) {
          json::value& headers = response.as_object()["headers"];
          if (!headers.is_object()) headers.emplace_object();
          headers.as_object()["Idempotent-Replayed"] = json::object{{"$ref", kReplayedRef}};
        }
      }
      AddAnswer(responses, "409", kInFlight, content.is_null() ? nullptr : &content);
      AddAnswer(responses, "422", kReused, content.is_null() ? nullptr : &content);
    }
  }
}

constexpr std::string_view kTextKindKey = "x-shipline-text";

// Every schema that names a kind of text (`"x-shipline-text": "address"`)
// gets the maxLength the decoders enforce for that kind, from the one table
// of domain/text_limits.hpp, so that the documents cannot drift from the
// server: the documents never write a maxLength of their own for a text. An
// unknown kind gets no maxLength (tests/blackbox/test_openapi_text_limits.py
// refuses that).
void FillTextLimits(json::value& value) {
  if (value.is_array()) {
    for (auto& element : value.as_array()) FillTextLimits(element);
    return;
  }
  if (!value.is_object()) return;
  json::object& object = value.as_object();
  if (const json::value* kind = object.if_contains(kTextKindKey); kind && kind->is_string()) {
    if (const domain::TextLimit* limit = domain::FindTextLimit(kind->as_string())) {
      object["maxLength"] = static_cast<int64_t>(limit->max_bytes);
    }
  }
  for (auto& [key, member] : object) FillTextLimits(member);
}

}  // namespace

// openapi.json holds the document's frame and shared components; every other
// file of src/http/openapi/ (one per contract) holds {"paths": {...},
// "components": {"schemas": {...}}} that is merged into it.
std::string_view OpenApiDocument() {
  static const std::string merged = [] {
    json::object document;
    for (const auto& [name, text] : kOpenApiDocument) {
      if (name == "openapi.json") document = json::parse(text).as_object();
    }
    json::object& paths = document["paths"].emplace_object();
    for (const auto& [name, text] : kOpenApiDocument) {
      json::object part = json::parse(text).as_object();
      if (auto* more = part.if_contains("paths")) {
        // Files may share a path (one lists orders, another creates them):
        // their operations are merged.
        for (auto& [path, item] : more->as_object()) {
          json::object& into =
              paths[path].is_object() ? paths[path].as_object() : paths[path].emplace_object();
          for (auto& [method, operation] : item.as_object()) into[method] = operation;
        }
      }
      if (auto* components = part.if_contains("components")) {
        json::object& target = document["components"].is_object()
                                   ? document["components"].as_object()
                                   : document["components"].emplace_object();
        for (auto& [kind, entries] : components->as_object()) {
          json::object& into =
              target[kind].is_object() ? target[kind].as_object() : target[kind].emplace_object();
          for (auto& [entry_name, entry] : entries.as_object()) into[entry_name] = entry;
        }
      }
    }
    AddIdempotencyKeys(paths);
    json::value whole(std::move(document));
    FillTextLimits(whole);
    return json::serialize(whole);
  }();
  return merged;
}

namespace {

constexpr std::string_view kCompletionPath =
    "/integration/api/shipping/v1/shipments/complete-shipment";
constexpr std::string_view kApiDocsPath = "/integration/api/shipping/v1/shipments/api-docs";
constexpr std::string_view kComponentsPrefix = "#/components/";

// Copies into `into` every component that `value` refers to ("$ref":
// "#/components/<kind>/<name>"), and the components those refer to.
void CopyReferenced(const json::value& value, const json::object& components, json::object& into) {
  if (value.is_array()) {
    for (const auto& element : value.as_array()) CopyReferenced(element, components, into);
    return;
  }
  if (!value.is_object()) return;
  for (const auto& [key, member] : value.as_object()) {
    if (key == "$ref" && member.is_string()) {
      std::string_view ref = member.as_string();
      if (!ref.starts_with(kComponentsPrefix)) continue;
      ref.remove_prefix(kComponentsPrefix.size());
      const size_t slash = ref.find('/');
      if (slash == std::string_view::npos) continue;
      const std::string_view kind = ref.substr(0, slash);
      const std::string_view name = ref.substr(slash + 1);
      const json::value* entries = components.if_contains(kind);
      const json::value* entry = entries != nullptr && entries->is_object()
                                     ? entries->as_object().if_contains(name)
                                     : nullptr;
      if (entry == nullptr) continue;
      json::object& target =
          into[kind].is_object() ? into[kind].as_object() : into[kind].emplace_object();
      if (target.contains(name)) continue;
      target[name] = *entry;
      CopyReferenced(*entry, components, into);
    } else {
      CopyReferenced(member, components, into);
    }
  }
}

}  // namespace

std::string_view CompletionApiDocument() {
  static const std::string document = [] {
    const json::object whole = json::parse(OpenApiDocument()).as_object();
    json::object part;
    part["openapi"] = whole.at("openapi");
    part["info"] = json::object{
        {"title", "shipline shipment completion API"},
        {"version", whole.at("info").at("version")},
        {"description",
         "Completes a RELEASED shipment: records its carrier tracking number, captures its "
         "payment and publishes order-shipment-shipped. Needs an API key as a bearer token "
         "with the scope each operation names in x-shipline-scope. GET /openapi.json "
         "describes the whole of shipline's API."}};
    if (const json::value* servers = whole.if_contains("servers")) part["servers"] = *servers;
    if (const json::value* security = whole.if_contains("security")) part["security"] = *security;
    json::object paths;
    for (std::string_view path : {kCompletionPath, kApiDocsPath}) {
      paths[path] = whole.at("paths").at(path);
    }
    const json::object& components = whole.at("components").as_object();
    json::object used;
    if (const json::value* schemes = components.if_contains("securitySchemes")) {
      used["securitySchemes"] = *schemes;
    }
    CopyReferenced(paths, components, used);
    part["paths"] = std::move(paths);
    part["components"] = std::move(used);
    return json::serialize(part);
  }();
  return document;
}

void AddOpenApiRoutes(Router& router) {
  auto serve = [](std::string_view (*document)()) {
    return [document](Request&) {
      Response response;
      response.body = std::string(document());
      return response;
    };
  };
  router.Add({"GET", std::string(kApiDocsPath), true, serve(CompletionApiDocument)});
  router.Add({"GET", "/openapi.json", true, serve(OpenApiDocument)});
}

}  // namespace shipline::http
