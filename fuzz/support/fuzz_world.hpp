#pragma once

// The whole app behind every route, for the fuzz targets that go through the
// router: test::World (SQLite in a temporary folder, fakes for the outside),
// the router with every route, one tenant with an admin key and a few orders
// to address. Built once per process on first use.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/message.hpp"
#include "http/router.hpp"

namespace shipline::fuzz {

// The tenant's key: "sl_" and 48 digits, the same in every process (the
// world's ids count), so that seed inputs can carry it.
inline constexpr std::string_view kFuzzKey = "sl_000000000000000000000000000000000000000000000001";

class FuzzWorld {
 public:
  static FuzzWorld& Get();

  const http::Router& router() const;

  // Answers `method` on `target` (path and query, as on a request line) with
  // `body`, authenticated with the tenant's key unless `headers` name an
  // Authorization of their own, and checks the answer (CheckResponse).
  // A target the transport would refuse gets its 400.
  http::Response Call(std::string_view method, std::string_view target, std::string body,
                      std::vector<std::pair<std::string, std::string>> headers = {});

 private:
  FuzzWorld();
  struct Impl;
  Impl* impl_;  // never freed: lives as long as the process
};

}  // namespace shipline::fuzz

namespace shipline::fuzz {

// One request shape of a contract: the method, the target (path, and query
// when it needs one) and the headers it is sent with.
struct RouteCase {
  const char* method;
  const char* target;
  const char* content_type = "application/json";
};

// The input format of the contract targets: the first byte picks one of
// `cases`; the bytes up to the first line feed are added to its query
// (after "?" or "&"); the rest is the body. Sends it through FuzzWorld.
void RunContractInput(const uint8_t* data, size_t size, const std::vector<RouteCase>& cases);

}  // namespace shipline::fuzz
