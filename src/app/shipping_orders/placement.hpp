#pragma once

// Placing a shipping order: ask every provider assigned to its location for
// estimates (in parallel), let the orchestration rules rank them, and book the
// best one, falling back to the next provider when a booking fails. Talks only
// to providers, never to the store, so it runs outside any transaction.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/clock.hpp"
#include "app/shipping_orders/delivery_provider.hpp"
#include "domain/orchestration.hpp"

namespace shipline::app {

struct AssignedProvider {
  ProviderRecord record;
  std::shared_ptr<DeliveryProvider> provider;
};

struct PlacementResult {
  std::vector<domain::Estimate> proposed;  // every estimate received
  std::vector<domain::Estimate> ranked;    // what the rules left, best first
  std::optional<domain::Estimate> chosen;  // set when booked
  Booking booking;
  std::string rule_name;     // the rule that chose, empty for the default
  int64_t estimates_at = 0;  // when the last estimate arrived; 0 when none did
  int64_t booked_at = 0;
  std::vector<std::string> warnings;
  std::optional<Error> failure;  // set when not booked
};

class Placement {
 public:
  explicit Placement(Clock& clock) : clock_(clock) {}

  // Never fails as a whole: the result says what was received and booked, or
  // why nothing was (kNoProviderMatched, kPlacementFailed,
  // kUnintelligibleAnswer). `attempt` makes the booking's idempotency key.
  PlacementResult Run(const domain::ShippingOrder& order,
                      const std::vector<AssignedProvider>& providers,
                      const std::vector<domain::OrchestrationRule>& rules, int64_t attempt,
                      const std::string& request_id, const std::string& traceparent = "");

  // The two halves of Run. Rank asks for estimates and ranks them (failure
  // set when none is left); Book books the best of `result.ranked`, falling
  // back as Run does, and sets chosen and booking, or failure.
  PlacementResult Rank(const domain::ShippingOrder& order,
                       const std::vector<AssignedProvider>& providers,
                       const std::vector<domain::OrchestrationRule>& rules,
                       const std::string& request_id, const std::string& traceparent = "");
  void Book(PlacementResult& result, const domain::ShippingOrder& order,
            const std::vector<AssignedProvider>& providers, int64_t attempt,
            const std::string& request_id, const std::string& traceparent = "");

  // How many ranked estimates, of different providers, a placement tries to book.
  static constexpr size_t kMaxBookings = 3;

 private:
  Clock& clock_;
};

}  // namespace shipline::app
