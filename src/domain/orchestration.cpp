#include "domain/orchestration.hpp"

#include <algorithm>
#include <cstdint>
#include <tuple>

namespace shipline::domain {

namespace {

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool Within(const TimeWindow& window, int64_t at) {
  if (window.starts_at && at < *window.starts_at) return false;
  if (window.ends_at && at > *window.ends_at) return false;
  return true;
}

void Rank(std::vector<Estimate>& estimates, const OrchestrationRule& rule, int64_t now) {
  auto tie = [](const Estimate& a, const Estimate& b) {
    return std::tie(a.provider_id, a.service_id) < std::tie(b.provider_id, b.service_id);
  };
  switch (rule.objective) {
    case Objective::kCheapest:
      std::stable_sort(estimates.begin(), estimates.end(), [&](const auto& a, const auto& b) {
        if (a.fee != b.fee) return a.fee < b.fee;
        if (a.delivery_at != b.delivery_at) return a.delivery_at < b.delivery_at;
        return tie(a, b);
      });
      return;
    case Objective::kFastest:
      std::stable_sort(estimates.begin(), estimates.end(), [&](const auto& a, const auto& b) {
        if (a.delivery_at != b.delivery_at) return a.delivery_at < b.delivery_at;
        if (a.fee != b.fee) return a.fee < b.fee;
        return tie(a, b);
      });
      return;
    case Objective::kWeighted: {
      int64_t cheapest = INT64_MAX;
      int64_t quickest = INT64_MAX;
      for (const auto& e : estimates) {
        cheapest = std::min(cheapest, std::max<int64_t>(1, e.fee));
        quickest = std::min(quickest, std::max<int64_t>(1, e.delivery_at - now));
      }
      auto score = [&](const Estimate& e) {
        double fee =
            static_cast<double>(std::max<int64_t>(1, e.fee)) / static_cast<double>(cheapest);
        double time = static_cast<double>(std::max<int64_t>(1, e.delivery_at - now)) /
                      static_cast<double>(quickest);
        return rule.fee_weight * fee + rule.time_weight * time;
      };
      std::stable_sort(estimates.begin(), estimates.end(), [&](const auto& a, const auto& b) {
        double sa = score(a);
        double sb = score(b);
        if (sa != sb) return sa < sb;
        return tie(a, b);
      });
      return;
    }
  }
}

}  // namespace

std::string_view ObjectiveName(Objective objective) {
  switch (objective) {
    case Objective::kCheapest:
      return "cheapest";
    case Objective::kFastest:
      return "fastest";
    case Objective::kWeighted:
      return "weighted";
  }
  return "cheapest";
}

std::optional<Objective> ParseObjective(std::string_view name) {
  if (name == "cheapest") return Objective::kCheapest;
  if (name == "fastest") return Objective::kFastest;
  if (name == "weighted") return Objective::kWeighted;
  return std::nullopt;
}

bool PassesFilters(const OrchestrationRule& rule, const Estimate& estimate,
                   const ShippingOrder& order) {
  if (rule.min_order_value && order.order_value.value_or(0) < *rule.min_order_value) return false;
  if (rule.max_order_value && order.order_value.value_or(0) > *rule.max_order_value) return false;
  if (!rule.allowed_providers.empty() && !Contains(rule.allowed_providers, estimate.provider_id)) {
    return false;
  }
  if (Contains(rule.excluded_providers, estimate.provider_id)) return false;
  if (!rule.service_types.empty() && !Contains(rule.service_types, estimate.service_type)) {
    return false;
  }
  if (rule.max_fee && estimate.fee > *rule.max_fee) return false;
  if (rule.must_meet_pickup_window && !Within(order.pickup_time, estimate.pickup_at)) return false;
  if (rule.must_meet_delivery_window && !Within(order.delivery_time, estimate.delivery_at)) {
    return false;
  }
  if (rule.require_temperature_control && !estimate.temperature_controlled) return false;
  return true;
}

Selection SelectEstimates(std::vector<OrchestrationRule> rules,
                          const std::vector<Estimate>& estimates, const ShippingOrder& order,
                          int64_t now) {
  std::erase_if(rules, [&](const OrchestrationRule& rule) {
    return !rule.enabled || (!rule.location_external_id.empty() &&
                             rule.location_external_id != order.location_external_id);
  });
  std::stable_sort(rules.begin(), rules.end(), [](const auto& a, const auto& b) {
    bool a_local = !a.location_external_id.empty();
    bool b_local = !b.location_external_id.empty();
    if (a_local != b_local) return a_local;
    if (a.priority != b.priority) return a.priority < b.priority;
    return a.id < b.id;
  });
  if (rules.empty()) {
    Selection selection;
    selection.ranked = estimates;
    Rank(selection.ranked, OrchestrationRule{}, now);
    return selection;
  }
  for (const auto& rule : rules) {
    Selection selection;
    for (const auto& estimate : estimates) {
      if (PassesFilters(rule, estimate, order)) selection.ranked.push_back(estimate);
    }
    if (selection.ranked.empty()) continue;
    Rank(selection.ranked, rule, now);
    selection.rule_name = rule.name;
    return selection;
  }
  return {};
}

}  // namespace shipline::domain
