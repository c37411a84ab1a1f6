#include "adapters/connect_guard.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

#include "app/outbound_address_policy.hpp"

namespace shipline::adapters {

namespace {

std::string AddressText(const sockaddr* address) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address->sa_family == AF_INET) {
    sockaddr_in v4;
    std::memcpy(&v4, address, sizeof v4);
    inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
  } else if (address->sa_family == AF_INET6) {
    sockaddr_in6 v6;
    std::memcpy(&v6, address, sizeof v6);
    inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
  } else {
    return "an address of family " + std::to_string(address->sa_family);
  }
  return text;
}

// Called by libcurl for every socket it is about to connect: the last moment
// to look at the address that will really be used.
curl_socket_t OpenCheckedSocket(void* user_data, curlsocktype purpose, curl_sockaddr* address) {
  auto* guard = static_cast<ConnectGuard*>(user_data);
  if (purpose != CURLSOCKTYPE_IPCXN) return CURL_SOCKET_BAD;
  if (!guard->allow_private) {
    std::string_view reason = app::RefusedAddressReason(&address->addr);
    if (!reason.empty()) {
      guard->refused = "refused to connect to " + AddressText(&address->addr) + " (" +
                       std::string(reason) + " address)";
      return CURL_SOCKET_BAD;
    }
  }
  return socket(address->family, address->socktype, address->protocol);
}

}  // namespace

void GuardConnections(CURL* handle, ConnectGuard* guard) {
  curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, &OpenCheckedSocket);
  curl_easy_setopt(handle, CURLOPT_OPENSOCKETDATA, guard);
}

}  // namespace shipline::adapters
