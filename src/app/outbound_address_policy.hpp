#pragma once

// Which addresses an outbound call that a tenant points (a webhook receiver,
// an HTTP delivery provider) may reach. Server-side request forgery is kept
// out in two places: the URL is checked when it is saved (scheme, shape, and
// a host written as an IP address), and the address each connection actually
// goes to is checked again just before it is opened (adapters/connect_guard),
// so a name that resolves, or re-resolves, to an inner address is refused
// too. One flag (`--allow-private-targets`) lifts both checks.

#include <sys/socket.h>

#include <string>
#include <string_view>

#include "domain/result.hpp"

namespace shipline::app {

// Why shipline refuses to connect to `address` ("loopback", "private",
// "link-local", "shared address space (CGNAT)", "multicast", "unspecified",
// "reserved"), or an empty view when it may. IPv6 forms that carry an IPv4
// address (mapped, compatible, NAT64, 6to4) are judged by that IPv4 address.
// Anything but AF_INET and AF_INET6 is refused as "not an IP address".
std::string_view RefusedAddressReason(const sockaddr* address);

// The same for a host written as an IP address ("10.0.0.1", "127.1",
// "0x7f.1", "::ffff:127.0.0.1", with or without brackets). Returns an empty
// view for a host name (those are judged when they are connected to).
std::string_view RefusedHostReason(std::string_view host);

// Checks an outbound URL: http or https, a host, an optional port, no
// credentials in it (they go in their own fields), at most 2048 characters
// with no spaces or control characters; unless `allow_private`, a host
// written as a refused IP address or "localhost". kInvalidArgument naming
// `field`.
Status CheckOutboundUrl(std::string_view url, bool allow_private, std::string_view field = "url");

}  // namespace shipline::app
