#include "app/outbound_address_policy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <array>
#include <cstdint>
#include <cstring>

#include "domain/text_limits.hpp"

namespace shipline::app {

namespace {

constexpr size_t kMaxUrlLength = domain::MaxTextBytes(domain::TextKind::kUrl);

bool InPrefix(uint32_t address, uint32_t network, int bits) {
  uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
  return (address & mask) == (network & mask);
}

// `address` in host byte order.
std::string_view Ipv4Reason(uint32_t address) {
  struct Range {
    uint32_t network;
    int bits;
    std::string_view reason;
  };
  static constexpr std::array<Range, 14> kRanges{{
      {0x00000000, 8, "unspecified"},                    // 0.0.0.0/8 "this network"
      {0x0A000000, 8, "private"},                        // 10.0.0.0/8
      {0x64400000, 10, "shared address space (CGNAT)"},  // 100.64.0.0/10
      {0x7F000000, 8, "loopback"},                       // 127.0.0.0/8
      {0xA9FE0000, 16, "link-local"},                    // 169.254.0.0/16
      {0xAC100000, 12, "private"},                       // 172.16.0.0/12
      {0xC0000000, 24, "reserved"},                      // 192.0.0.0/24 IETF assignments
      {0xC0000200, 24, "reserved"},                      // 192.0.2.0/24 documentation
      {0xC0A80000, 16, "private"},                       // 192.168.0.0/16
      {0xC6120000, 15, "reserved"},                      // 198.18.0.0/15 benchmarking
      {0xC6336400, 24, "reserved"},                      // 198.51.100.0/24 documentation
      {0xCB007100, 24, "reserved"},                      // 203.0.113.0/24 documentation
      {0xE0000000, 4, "multicast"},                      // 224.0.0.0/4
      {0xF0000000, 4, "reserved"},                       // 240.0.0.0/4 and broadcast
  }};
  for (const auto& range : kRanges) {
    if (InPrefix(address, range.network, range.bits)) return range.reason;
  }
  return {};
}

uint32_t Ipv4At(const unsigned char* bytes) {
  return (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) | (uint32_t{bytes[2]} << 8) |
         uint32_t{bytes[3]};
}

std::string_view Ipv6Reason(const unsigned char* b) {
  static constexpr unsigned char kZero[16] = {};
  bool first_80_zero = std::memcmp(b, kZero, 10) == 0;
  if (first_80_zero && b[10] == 0xFF && b[11] == 0xFF) return Ipv4Reason(Ipv4At(b + 12));  // mapped
  if (std::memcmp(b, kZero, 12) == 0) {
    // ::/128, ::1 and the deprecated IPv4-compatible ::a.b.c.d.
    if (std::memcmp(b, kZero, 15) == 0 && b[15] == 0) return "unspecified";
    if (std::memcmp(b, kZero, 15) == 0 && b[15] == 1) return "loopback";
    return Ipv4Reason(Ipv4At(b + 12));
  }
  // 64:ff9b::/96 (NAT64) and 64:ff9b:1::/48 (local NAT64) carry an IPv4 address.
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B) {
    std::string_view reason = Ipv4Reason(Ipv4At(b + 12));
    return reason.empty() && b[4] == 0 && b[5] == 1 ? "private" : reason;
  }
  if (b[0] == 0x20 && b[1] == 0x02) return Ipv4Reason(Ipv4At(b + 2));  // 6to4 2002::/16
  if (b[0] == 0xFF) return "multicast";                                // ff00::/8
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return "link-local";      // fe80::/10
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0) return "private";         // fec0::/10 site-local
  if ((b[0] & 0xFE) == 0xFC) return "private";                         // fc00::/7 unique local
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8) return "reserved";  // doc
  if (b[0] == 0x01 && b[1] == 0x00 && std::memcmp(b + 2, kZero, 6) == 0) return "reserved";
  return {};
}

bool IsHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_';
}

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

// "localhost" and names under it resolve to loopback by convention (RFC 6761).
bool IsLocalhostName(std::string_view host) {
  std::string lower;
  for (char c : host) lower.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  while (!lower.empty() && lower.back() == '.') lower.pop_back();
  return lower == "localhost" || (lower.size() > 10 && lower.ends_with(".localhost"));
}

Error BadUrl(std::string_view field, std::string_view what) {
  return Error::Invalid(std::string(field) + " " + std::string(what), std::string(field));
}

}  // namespace

std::string_view RefusedAddressReason(const sockaddr* address) {
  if (address == nullptr) return "not an IP address";
  if (address->sa_family == AF_INET) {
    sockaddr_in v4;
    std::memcpy(&v4, address, sizeof v4);
    return Ipv4Reason(ntohl(v4.sin_addr.s_addr));
  }
  if (address->sa_family == AF_INET6) {
    sockaddr_in6 v6;
    std::memcpy(&v6, address, sizeof v6);
    return Ipv6Reason(v6.sin6_addr.s6_addr);
  }
  return "not an IP address";
}

std::string_view RefusedHostReason(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  std::string text(host);
  // A zone id ("fe80::1%eth0") names a link-local address.
  if (auto percent = text.find('%'); percent != std::string::npos) text.resize(percent);
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) return Ipv6Reason(v6.s6_addr);
  // inet_aton takes the short and hexadecimal forms a resolver would too.
  in_addr v4{};
  if (!text.empty() && inet_aton(text.c_str(), &v4) != 0) return Ipv4Reason(ntohl(v4.s_addr));
  return {};
}

Status CheckOutboundUrl(std::string_view url, bool allow_private, std::string_view field) {
  if (url.empty()) return BadUrl(field, "is required");
  if (url.size() > kMaxUrlLength) return BadUrl(field, "is longer than 2048 characters");
  for (char c : url) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7F) return BadUrl(field, "must not contain spaces or controls");
  }
  std::string_view rest;
  if (StartsWithNoCase(url, "https://")) {
    rest = url.substr(8);
  } else if (StartsWithNoCase(url, "http://")) {
    rest = url.substr(7);
  } else {
    return BadUrl(field, "must start with http:// or https://");
  }
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.find('@') != std::string_view::npos) {
    return BadUrl(field, "must not hold credentials; use the basic auth fields");
  }
  std::string_view host;
  std::string_view port;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return BadUrl(field, "has an unclosed IPv6 address");
    host = authority.substr(0, close + 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return BadUrl(field, "has a malformed host");
      port = after.substr(1);
      has_port = true;
    }
    std::string inner(host.substr(1, host.size() - 2));
    if (auto percent = inner.find('%'); percent != std::string::npos) inner.resize(percent);
    in6_addr v6{};
    if (inet_pton(AF_INET6, inner.c_str(), &v6) != 1)
      return BadUrl(field, "has a malformed IPv6 host");
  } else {
    size_t colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      has_port = true;
    }
    for (char c : host) {
      if (!IsHostChar(c)) return BadUrl(field, "has a malformed host");
    }
  }
  if (host.empty()) return BadUrl(field, "has no host");
  if (has_port) {
    if (port.empty() || port.size() > 5) return BadUrl(field, "has a malformed port");
    int value = 0;
    for (char c : port) {
      if (c < '0' || c > '9') return BadUrl(field, "has a malformed port");
      value = value * 10 + (c - '0');
    }
    if (value < 1 || value > 65535) return BadUrl(field, "has a malformed port");
  }
  if (!allow_private) {
    std::string_view reason = RefusedHostReason(host);
    if (reason.empty() && IsLocalhostName(host)) reason = "loopback";
    if (!reason.empty()) {
      return BadUrl(field, "points to a " + std::string(reason) +
                               " address; receivers must be reachable on the public internet");
    }
  }
  return Ok();
}

}  // namespace shipline::app
