#include "http/marketplace/jsonapi.hpp"

namespace shipline::http::marketplace {

namespace {

const char* Title(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 503:
      return "Service Unavailable";
    default:
      return "Internal Server Error";
  }
}

// A header value is safe in a link when it holds no characters that could
// break out of the URL.
bool SafeHost(std::string_view host) {
  if (host.empty() || host.size() > 255) return false;
  for (char c : host) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Response Document(int status, const json::value& document) {
  Response response = JsonResponse(status, document);
  response.content_type = kMediaType;
  return response;
}

Response ErrorDocument(int status, std::string_view detail, std::string_view pointer) {
  json::object error{
      {"status", std::to_string(status)}, {"title", Title(status)}, {"detail", detail}};
  if (!pointer.empty()) error["source"] = json::object{{"pointer", pointer}};
  return Document(status, json::object{{"errors", json::array{std::move(error)}}});
}

Response RouterError(int status, const std::string& message) {
  return ErrorDocument(status, message);
}

std::string BaseUrl(const Request& request) {
  auto host = request.Header("host");
  if (!host || !SafeHost(*host)) return {};
  auto proto = request.Header("x-forwarded-proto");
  std::string scheme = proto && *proto == "https" ? "https" : "http";
  return scheme + "://" + std::string(*host);
}

}  // namespace shipline::http::marketplace
