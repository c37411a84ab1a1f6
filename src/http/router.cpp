#include "http/router.hpp"

#include <cctype>
#include <exception>

#include "app/log.hpp"
#include "domain/utf8.hpp"
#include "http/idempotency.hpp"
#include "http/json_io.hpp"

namespace shipline::http {

namespace {

// Splits "/a/b/c" into {"a","b","c"}; an empty path gives no segments.
std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start < path.size()) {
    if (path[start] == '/') {
      ++start;
      continue;
    }
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end;
  }
  return out;
}

// Decodes %XX escapes of one path segment; false for a malformed escape or
// bytes that are not UTF-8.
bool DecodeSegment(std::string_view segment, std::string& out) {
  out.clear();
  for (size_t i = 0; i < segment.size(); ++i) {
    if (segment[i] != '%') {
      out.push_back(segment[i]);
      continue;
    }
    if (i + 2 >= segment.size()) return false;
    auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    int high = hex(segment[i + 1]);
    int low = hex(segment[i + 2]);
    if (high < 0 || low < 0) return false;
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return domain::IsValidUtf8(out);  // a path names text
}

bool Matches(std::string_view pattern, std::string_view path, std::vector<std::string>& params) {
  auto want = Segments(pattern);
  auto have = Segments(path);
  if (want.size() != have.size()) return false;
  params.clear();
  for (size_t i = 0; i < want.size(); ++i) {
    std::string decoded;
    if (!DecodeSegment(have[i], decoded)) return false;
    if (want[i].size() > 1 && want[i].front() == '{' && want[i].back() == '}') {
      if (decoded.empty()) return false;
      params.push_back(std::move(decoded));
    } else if (want[i] != decoded) {
      return false;
    }
  }
  return true;
}

// The key of "Authorization: Bearer KEY" (the scheme's name in any case, RFC
// 9110 section 11.1); empty without one.
std::string_view BearerToken(const Request& request) {
  auto header = request.Header("authorization");
  if (!header) return {};
  std::string_view value = *header;
  constexpr std::string_view kScheme = "bearer ";
  if (value.size() <= kScheme.size()) return {};
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(value[i])) != kScheme[i]) return {};
  }
  return value.substr(kScheme.size());
}

// Two credentials in one request: which one counts is ambiguous, so neither.
bool SeveralAuthorizations(const Request& request) {
  int count = 0;
  for (const auto& [name, value] : request.headers) count += name == "authorization" ? 1 : 0;
  return count > 1;
}

}  // namespace

Response SimpleError(int status, const std::string& message) {
  return JsonResponse(status, ErrorObject(message));
}

Route Admin(Route route) {
  route.scope = app::Scope::kAdmin;
  return route;
}

Router::Router(app::ApiKeys* keys, app::metrics::Registry* metrics)
    : keys_(keys), metrics_(metrics ? std::make_unique<HttpMetrics>(*metrics) : nullptr) {}

void Router::Add(Route route) {
  if (!route.scope) route.scope = route.method == "GET" ? app::Scope::kRead : app::Scope::kWrite;
  if (metrics_) route.metrics = metrics_->ForRoute(route.pattern, route.method);
  routes_.push_back(std::move(route));
}

void Router::Limit(std::string prefix, RateLimiter* limiter) {
  limits_.emplace_back(std::move(prefix), limiter);
}

Response Router::TransportError(std::string_view target, int status,
                                const std::string& message) const {
  std::string_view path = target.substr(0, target.find_first_of("?#"));
  std::vector<std::string> params;
  for (const auto& route : routes_) {
    if (Matches(route.pattern, path, params)) return route.error_body(status, message);
  }
  return SimpleError(status, message);
}

namespace {

constexpr int kRetryAfterSeconds = 5;

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// A 503 means "try again later" (a full disk, a dependency down): every
// contract's 503 says when, unless its handler chose already.
Response WithRetryAfter(Response response) {
  if (response.status != 503) return response;
  for (const auto& [name, value] : response.headers) {
    if (EqualsIgnoringCase(name, "Retry-After")) return response;
  }
  response.headers.emplace_back("Retry-After", std::to_string(kRetryAfterSeconds));
  return response;
}

}  // namespace

Response Router::Handle(Request& request) const {
  if (!metrics_) {
    const Route* found = nullptr;
    return WithRetryAfter(Dispatch(request, found));
  }
  auto received = request.received_at == std::chrono::steady_clock::time_point{}
                      ? std::chrono::steady_clock::now()
                      : request.received_at;
  const Route* found = nullptr;
  Response response = WithRetryAfter(Dispatch(request, found));
  const RouteMetrics* counted =
      found != nullptr ? found->metrics : metrics_->Unmatched(request.method);
  counted->Observe(
      response.status,
      std::chrono::duration<double>(std::chrono::steady_clock::now() - received).count());
  return response;
}

Response Router::Dispatch(Request& request, const Route*& found) const {
  bool path_known = false;
  for (const auto& route : routes_) {
    std::vector<std::string> params;
    if (!Matches(route.pattern, request.path, params)) continue;
    path_known = true;
    if (route.method != request.method) continue;
    request.path_params = std::move(params);
    found = &route;
    break;
  }
  if (found == nullptr) {
    return path_known ? SimpleError(405, "method not allowed")
                      : SimpleError(404, "no such endpoint");
  }
  try {
    if (found->authenticated) {
      if (SeveralAuthorizations(request)) {
        return found->error_body(400, "a request carries one Authorization header");
      }
      std::string_view token = BearerToken(request);
      if (token.empty() || keys_ == nullptr) {
        return found->error_body(401, "missing or invalid API key");
      }
      auto actor = keys_->Authenticate(token);
      if (!actor) {
        if (actor.error().code != ErrorCode::kUnauthenticated) {
          app::LogError("authentication failed", app::LogFields()
                                                     .Add("request_id", request.request_id)
                                                     .Add("detail", actor.error().detail));
          return found->error_body(500, "internal server error");
        }
        return found->error_body(401, "missing or invalid API key");
      }
      request.actor = std::move(*actor);
      request.actor.request_id = request.request_id;
      request.actor.traceparent = request.traceparent;
      if (!request.actor.scopes.Allow(*found->scope)) {
        return found->error_body(
            403, "this API key lacks the " + std::string(app::ScopeName(*found->scope)) + " scope");
      }
      for (const auto& [prefix, limiter] : limits_) {
        if (!found->pattern.starts_with(prefix)) continue;
        // The key's hash, not the key, names its bucket.
        auto decision = limiter->Take(app::HashApiKey(token));
        if (!decision.allowed) {
          Response refused = found->error_body(429, "Too many requests received per second.");
          refused.headers.emplace_back("Retry-After", std::to_string(decision.retry_after_seconds));
          return refused;
        }
      }
      return AnswerOnce(idempotency_, request, request.actor.tenant_id, found->error_body,
                        found->handler);
    }
    return found->handler(request);
  } catch (const std::exception& e) {
    app::LogError("handler threw",
                  app::LogFields().Add("request_id", request.request_id).Add("detail", e.what()));
    return found->error_body(500, "internal server error");
  }
}

}  // namespace shipline::http
