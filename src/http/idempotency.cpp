#include "http/idempotency.hpp"

#include <exception>
#include <string>
#include <utility>

#include "app/log.hpp"

namespace shipline::http {

namespace {

constexpr std::string_view kHeader = "idempotency-key";

// The request's target as the key remembers it: the path and its query.
std::string Target(const Request& request) {
  std::string target = request.path;
  char separator = '?';
  for (const auto& [name, value] : request.query) {
    target += separator;
    target += name;
    target += '=';
    target += value;
    separator = '&';
  }
  return target;
}

// The headers a replay repeats, as "Name: value" lines.
std::string KeptHeaders(const Response& response) {
  std::string lines;
  for (const auto& [name, value] : response.headers) lines += name + ": " + value + "\n";
  return lines;
}

Response Replayed(const app::StoredAnswer& answer) {
  Response response;
  response.status = answer.status;
  response.content_type = answer.content_type;
  response.body = answer.body;
  std::string_view lines = answer.headers;
  while (!lines.empty()) {
    size_t end = lines.find('\n');
    std::string_view line = lines.substr(0, end);
    size_t colon = line.find(": ");
    if (colon != std::string_view::npos) {
      response.headers.emplace_back(line.substr(0, colon), line.substr(colon + 2));
    }
    lines = end == std::string_view::npos ? std::string_view() : lines.substr(end + 1);
  }
  response.headers.emplace_back("Idempotent-Replayed", "true");
  return response;
}

void LogStoreFault(const Request& request, const char* what, const Error& error) {
  app::LogError(what, app::LogFields()
                          .Add("request_id", request.request_id)
                          .Add("detail", error.detail.empty() ? error.message : error.detail));
}

// The answer when the key cannot be claimed: a key being released is a
// conflict, a busy or unreachable store a 503 (the router adds Retry-After),
// anything else a server fault.
Response ClaimFailure(const Error& error, const ErrorBody& error_body) {
  switch (error.code) {
    case ErrorCode::kConflict:
      return error_body(409, error.message);
    case ErrorCode::kUnavailable:
    case ErrorCode::kResourceExhausted:
      return error_body(503, "the service is busy or unavailable; retry later");
    default:
      return error_body(500, "internal server error");
  }
}

}  // namespace

bool TakesIdempotencyKey(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

Response AnswerOnce(app::IdempotencyKeys* keys, Request& request, int64_t tenant_id,
                    const ErrorBody& error_body, const std::function<Response(Request&)>& handler) {
  if (keys == nullptr || !TakesIdempotencyKey(request.method)) return handler(request);
  std::optional<std::string_view> key;
  for (const auto& [name, value] : request.headers) {
    if (name != kHeader) continue;
    if (key) return error_body(400, "a request carries one Idempotency-Key header");
    key = value;
  }
  if (!key) return handler(request);
  if (!app::ValidIdempotencyKey(*key)) {
    return error_body(400, "Idempotency-Key must be 1 to 255 printable ASCII characters");
  }
  auto claimed =
      keys->Claim({tenant_id, std::string(*key), request.method, Target(request), request.body});
  if (!claimed) {
    LogStoreFault(request, "cannot claim the idempotency key", claimed.error());
    return ClaimFailure(claimed.error(), error_body);
  }
  switch (claimed->outcome) {
    case app::ClaimOutcome::kReplay:
      return Replayed(*claimed->answer);
    case app::ClaimOutcome::kMismatch:
      return error_body(422,
                        "this Idempotency-Key was used for another request (method, path or "
                        "body); use a new key for a new request");
    case app::ClaimOutcome::kInFlight:
      return error_body(409, "a request with this Idempotency-Key is still being processed");
    case app::ClaimOutcome::kOutcomeUnknown:
      return error_body(409,
                        "a request with this Idempotency-Key changed state but its answer was "
                        "lost; look the outcome up instead of retrying");
    case app::ClaimOutcome::kClaimed:
      break;
  }
  const app::RequestClaim& claim = claimed->claim;
  Response response;
  try {
    app::RequestClaimScope scope(claim);
    response = handler(request);
  } catch (const std::exception&) {
    (void)keys->Release(claim);  // the router logs the exception and answers 500
    throw;
  }
  if (response.status >= 500 || response.status == 429) {
    if (Status released = keys->Release(claim); !released.ok()) {
      LogStoreFault(request, "cannot release the idempotency key", released.error());
    }
    return response;
  }
  Status stored = keys->Answer(
      claim, {response.status, response.content_type, KeptHeaders(response), response.body});
  if (!stored.ok()) LogStoreFault(request, "cannot store the idempotent answer", stored.error());
  return response;
}

}  // namespace shipline::http
