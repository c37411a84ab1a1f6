#pragma once

// The connect-time half of the outbound address policy
// (app/outbound_address_policy.hpp) for libcurl transfers that a tenant
// points: every socket curl is about to connect is checked against the
// policy with the address it will really use, after name resolution.

#include <curl/curl.h>

#include <string>

namespace shipline::adapters {

struct ConnectGuard {
  bool allow_private = false;  // loopback, private and link-local targets allowed
  std::string refused;         // why a connection was refused, once one was
};

// Makes `handle` check each connection with `guard` (which must outlive the
// transfer): a refused address fails the transfer with
// CURLE_COULDNT_CONNECT and leaves the reason in guard->refused.
void GuardConnections(CURL* handle, ConnectGuard* guard);

}  // namespace shipline::adapters
