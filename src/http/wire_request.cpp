#include "http/wire_request.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/url/parse.hpp>
#include <string>

#include "domain/utf8.hpp"

namespace shipline::http {

bool UsableRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

bool ParseTarget(std::string_view target, Request& request) {
  // Clients send JSON:API's "page[number]=2" with bare brackets, which RFC
  // 3986 reserves; read them as if they were percent-encoded.
  std::string escaped;
  if (target.find_first_of("[]") != std::string_view::npos) {
    for (char c : target) {
      if (c == '[') {
        escaped += "%5B";
      } else if (c == ']') {
        escaped += "%5D";
      } else {
        escaped.push_back(c);
      }
    }
    target = escaped;
  }
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return false;
  // Kept encoded: the router splits on "/" first and decodes each segment,
  // so that a percent-encoded "/" inside a shipment number stays in it.
  request.path = std::string(url->encoded_path());
  for (auto param : url->params()) {
    // Parameters are text: a percent-encoded byte sequence that is not
    // UTF-8 makes the target malformed.
    if (!domain::IsValidUtf8(param.key) || !domain::IsValidUtf8(param.value)) return false;
    request.query.emplace_back(param.key, param.has_value ? param.value : std::string());
  }
  return true;
}

bool HeaderComplete(std::string_view bytes, bool& folded) {
  size_t end = bytes.find("\r\n\r\n");
  if (end == std::string_view::npos) return false;
  std::string_view header = bytes.substr(0, end + 2);
  folded = header.find("\r\n ") != std::string_view::npos ||
           header.find("\r\n\t") != std::string_view::npos;
  return true;
}

std::string_view RequestLineTarget(std::string_view bytes) {
  std::string_view line = bytes.substr(0, bytes.find("\r\n"));
  size_t start = line.find(' ');
  if (start == std::string_view::npos) return {};
  size_t end = line.find(' ', start + 1);
  if (end == std::string_view::npos) return {};
  return line.substr(start + 1, end - start - 1);
}

bool FramableTransferEncoding(const std::vector<std::string_view>& values) {
  if (values.empty()) return true;
  if (values.size() != 1) return false;
  std::string_view value = values.front();
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  return boost::beast::iequals(value, "chunked");
}

}  // namespace shipline::http
