#include "main/listen_address.hpp"

#include <exception>

namespace shipline::main {

bool SplitListen(const std::string& listen, http::ServerOptions& options) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) return false;
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  try {
    int port = std::stoi(listen.substr(colon + 1));
    if (port < 0 || port > 65535) return false;
    options.port = static_cast<uint16_t>(port);
  } catch (const std::exception&) {
    return false;
  }
  options.host = host;
  return true;
}

}  // namespace shipline::main
