#pragma once

// The HTTP request metrics: requests by route template, method and status
// class, and a latency histogram per route template and method. A route's
// series are resolved once, when the route is registered, so that counting a
// request takes no lock and no allocation. Requests that match no route
// (404, 405) are counted under the route label "unmatched".

#include <array>
#include <deque>
#include <string_view>

#include "app/metrics/registry.hpp"

namespace shipline::http {

class RouteMetrics {
 public:
  // Counts one answered request; `seconds` from its arrival to its answer.
  void Observe(int status, double seconds) const;

 private:
  friend class HttpMetrics;
  std::array<app::metrics::Counter*, 5> by_class_{};  // 1xx .. 5xx
  app::metrics::Histogram* latency_ = nullptr;
};

class HttpMetrics {
 public:
  inline static constexpr std::string_view kUnmatched = "unmatched";

  explicit HttpMetrics(app::metrics::Registry& registry);

  // Registers (or finds) the series of one route. The result lives as long
  // as this object. Not for the request path: it takes the registry's lock.
  const RouteMetrics* ForRoute(std::string_view pattern, std::string_view method);

  // The series of an unmatched request; methods outside the common ones
  // share the label "other", so a client cannot grow the label set.
  const RouteMetrics* Unmatched(std::string_view method) const;

 private:
  app::metrics::Registry& registry_;
  std::deque<RouteMetrics> routes_;
  std::array<const RouteMetrics*, 8> unmatched_{};
};

}  // namespace shipline::http
