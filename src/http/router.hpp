#pragma once

// Maps a method and a path pattern ("/api/v1/orders/{orderNumber}") to a
// handler. Authenticated routes resolve the bearer key to an actor and check
// that the key holds the route's scope before the handler runs; the route's
// error codec shapes the 401, 403 and 404/405 bodies.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/api_keys.hpp"
#include "app/idempotency_keys.hpp"
#include "http/message.hpp"
#include "http/rate_limiter.hpp"
#include "http/route_metrics.hpp"

namespace shipline::http {

// Builds a contract-shaped error body for a status and message.
using ErrorBody = std::function<Response(int status, const std::string& message)>;

// The plain {"error": message} body most contracts use.
Response SimpleError(int status, const std::string& message);

struct Route {
  std::string method;
  std::string pattern;  // literal segments and {name} placeholders
  bool authenticated = true;
  std::function<Response(Request&)> handler;
  ErrorBody error_body = SimpleError;
  // The scope a key needs (app/scopes.hpp). Left unset, Router::Add sets
  // read for GET and write for every other method; administration routes
  // say admin where they are registered. Unused when not authenticated.
  std::optional<app::Scope> scope{};
  const RouteMetrics* metrics = nullptr;  // set by Router::Add when the router counts
};

// The same route needing `admin`: for the registrations of administration
// routes.
Route Admin(Route route);

class Router {
 public:
  // With `metrics` (not owned; outlives the router), every answer is
  // counted by route template, method and status class.
  explicit Router(app::ApiKeys* keys, app::metrics::Registry* metrics = nullptr);

  // Adds `route`, giving it its default scope when it names none.
  void Add(Route route);

  // Applies `limiter` (not owned; outlives the router) to every authenticated
  // route whose pattern starts with `prefix`, per API key: a refused request
  // gets the route's error body for 429 and a Retry-After header.
  void Limit(std::string prefix, RateLimiter* limiter);

  // Runs every authenticated POST, PUT, PATCH and DELETE under the
  // Idempotency-Key its request carries (http/idempotency.hpp), with `keys`
  // (not owned; outlives the router). Routes that authenticate their caller
  // themselves call AnswerOnce after they have.
  void AnswerWritesOnce(app::IdempotencyKeys* keys) { idempotency_ = keys; }

  // Finds the route, authenticates, and runs the handler. Handler exceptions
  // become a logged 500 with a generic body.
  Response Handle(Request& request) const;

  // The error body of the contract `target`'s path belongs to (the error
  // codec of the first route with that path, whatever its method): for the
  // transport's own refusals (413, 431, 400). The plain shape otherwise.
  Response TransportError(std::string_view target, int status, const std::string& message) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  // Handle without the counting; `found` is the route matched, if any.
  Response Dispatch(Request& request, const Route*& found) const;

  app::ApiKeys* keys_;
  app::IdempotencyKeys* idempotency_ = nullptr;
  std::unique_ptr<HttpMetrics> metrics_;
  std::vector<Route> routes_;
  std::vector<std::pair<std::string, RateLimiter*>> limits_;
};

}  // namespace shipline::http
