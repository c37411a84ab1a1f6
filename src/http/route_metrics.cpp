#include "http/route_metrics.hpp"

#include <string>

namespace shipline::http {

namespace {

constexpr std::array<std::string_view, 8> kMethods = {"GET",   "HEAD",   "POST",    "PUT",
                                                      "PATCH", "DELETE", "OPTIONS", "other"};

}  // namespace

void RouteMetrics::Observe(int status, double seconds) const {
  int index = status / 100 - 1;
  if (index >= 0 && index < static_cast<int>(by_class_.size())) by_class_[index]->Add();
  latency_->Observe(seconds);
}

HttpMetrics::HttpMetrics(app::metrics::Registry& registry) : registry_(registry) {
  for (size_t i = 0; i < kMethods.size(); ++i) unmatched_[i] = ForRoute(kUnmatched, kMethods[i]);
}

const RouteMetrics* HttpMetrics::ForRoute(std::string_view pattern, std::string_view method) {
  RouteMetrics& route = routes_.emplace_back();
  for (size_t i = 0; i < route.by_class_.size(); ++i) {
    route.by_class_[i] =
        &registry_.GetCounter("shipline_http_requests_total",
                              "HTTP requests answered, by route template, method and "
                              "status class.",
                              {{"route", std::string(pattern)},
                               {"method", std::string(method)},
                               {"status", std::to_string(i + 1) + "xx"}});
  }
  route.latency_ = &registry_.GetHistogram(
      "shipline_http_request_duration_seconds",
      "Time from a request's arrival to its answer, by route template and method.",
      app::metrics::LatencyBuckets(),
      {{"route", std::string(pattern)}, {"method", std::string(method)}});
  return &route;
}

const RouteMetrics* HttpMetrics::Unmatched(std::string_view method) const {
  for (size_t i = 0; i + 1 < kMethods.size(); ++i) {
    if (kMethods[i] == method) return unmatched_[i];
  }
  return unmatched_.back();
}

}  // namespace shipline::http
