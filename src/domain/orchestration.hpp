#pragma once

// Orchestration rules: which of the estimates the providers gave is booked.
// A tenant keeps an ordered list of rules, each for all its locations or for
// one. For an order, the rules of its location come first, then the
// tenant-wide ones, each group by priority. Each rule drops the estimates its
// filters exclude and ranks the rest by its objective; the first rule that
// leaves any estimate decides. With no rule at all the cheapest estimate
// wins. When every rule leaves nothing, no provider matched.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/shipping_order.hpp"

namespace shipline::domain {

enum class Objective { kCheapest, kFastest, kWeighted };

std::string_view ObjectiveName(Objective objective);  // "cheapest", "fastest", "weighted"
std::optional<Objective> ParseObjective(std::string_view name);

struct OrchestrationRule {
  int64_t id = 0;
  std::string name;
  std::string location_external_id;  // empty: every location of the tenant
  int64_t priority = 0;              // lower first
  bool enabled = true;

  // Filters; an empty list or absent bound filters nothing.
  std::vector<std::string> allowed_providers;
  std::vector<std::string> excluded_providers;
  std::vector<std::string> service_types;
  std::optional<int64_t> max_fee;          // minor units
  bool must_meet_pickup_window = false;    // estimated pickup within the requested window
  bool must_meet_delivery_window = false;  // estimated delivery within the requested window
  bool require_temperature_control = false;
  std::optional<int64_t> min_order_value;  // the rule applies only to orders worth this or more
  std::optional<int64_t> max_order_value;  // ... and this or less

  Objective objective = Objective::kCheapest;
  // Weighted score: fee_weight * fee / cheapest fee + time_weight * time to
  // delivery / shortest time to delivery; lowest wins.
  double fee_weight = 1.0;
  double time_weight = 1.0;
};

struct Selection {
  std::vector<Estimate> ranked;  // best first; empty when nothing matched
  std::string rule_name;         // the rule that decided; empty for the default
};

// True when `estimate` passes every filter of `rule` for `order`.
bool PassesFilters(const OrchestrationRule& rule, const Estimate& estimate,
                   const ShippingOrder& order);

// Applies `rules` (any order; disabled ones and other locations' are skipped)
// to `estimates` as described above.
Selection SelectEstimates(std::vector<OrchestrationRule> rules,
                          const std::vector<Estimate>& estimates, const ShippingOrder& order,
                          int64_t now);

}  // namespace shipline::domain
