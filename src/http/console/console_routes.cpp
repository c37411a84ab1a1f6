#include "http/console/console_routes.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shipline::http {

extern const std::vector<std::pair<std::string_view, std::string_view>> kConsoleAssets;

namespace {

// Only this origin's files run or style the page, nothing inline; the API is
// on the same origin. It may not be framed (clickjacking) and sends no
// referrer (console URLs name orders and customers).
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

struct Asset {
  std::string_view body;
  std::string content_type;
  std::string etag;
};

std::string ContentType(std::string_view name) {
  auto ends = [&](std::string_view suffix) { return name.ends_with(suffix); };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  return "application/octet-stream";
}

// A strong validator from the file's bytes (FNV-1a, 64 bits): it changes
// whenever the embedded file does, and is the same on every node.
std::string ETagOf(std::string_view body) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : body) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (int shift = 60; shift >= 0; shift -= 4) out.push_back(kHex[(hash >> shift) & 0xf]);
  out.push_back('"');
  return out;
}

const std::map<std::string, Asset, std::less<>>& Assets() {
  static const auto* assets = [] {
    auto* out = new std::map<std::string, Asset, std::less<>>();
    for (const auto& [name, body] : kConsoleAssets) {
      out->emplace(std::string(name), Asset{body, ContentType(name), ETagOf(body)});
    }
    return out;
  }();
  return *assets;
}

void AddSecurityHeaders(Response& response) {
  response.headers.emplace_back("Content-Security-Policy", std::string(kContentSecurityPolicy));
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
}

Response NotFound() {
  Response response = SimpleError(404, "no such console file");
  AddSecurityHeaders(response);
  return response;
}

Response Serve(const Request& request, std::string_view name) {
  const auto& assets = Assets();
  auto found = assets.find(name);
  if (found == assets.end()) return NotFound();
  const Asset& asset = found->second;
  Response response;
  AddSecurityHeaders(response);
  // Revalidated on every load (cheap: a 304 without a body), so a new
  // binary's console is never mixed with an old one's cached files.
  response.headers.emplace_back("Cache-Control", "no-cache");
  response.headers.emplace_back("ETag", asset.etag);
  response.content_type = asset.content_type;
  if (auto given = request.Header("if-none-match"); given && *given == asset.etag) {
    response.status = 304;
    return response;
  }
  response.body = std::string(asset.body);
  return response;
}

Response Redirect(std::string location) {
  Response response;
  response.status = 308;
  response.content_type = "text/plain; charset=utf-8";
  response.headers.emplace_back("Location", std::move(location));
  AddSecurityHeaders(response);
  return response;
}

}  // namespace

void AddConsoleRoutes(Router& router) {
  router.Add({"GET", "/", false, [](Request&) { return Redirect("/console/"); }});
  router.Add({"GET", "/console/", false, [](Request& request) {
                // "/console" and "/console/" share the route; the page's
                // relative links need the slash.
                if (!request.path.ends_with('/')) return Redirect("/console/");
                return Serve(request, "index.html");
              }});
  router.Add({"GET", "/console/{asset}", false,
              [](Request& request) { return Serve(request, request.path_params[0]); }});
}

}  // namespace shipline::http
