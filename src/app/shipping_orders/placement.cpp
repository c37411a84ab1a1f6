#include "app/shipping_orders/placement.hpp"

#include <algorithm>
#include <future>
#include <set>

#include "app/log.hpp"

namespace shipline::app {

namespace {

// The failure that sums up several: unintelligible only when every provider
// answered outside the protocol, otherwise a (transient) placement failure.
Error Summarize(const std::vector<Error>& failures, const std::string& what) {
  bool all_unmapped = !failures.empty();
  std::string detail;
  for (const auto& f : failures) {
    all_unmapped = all_unmapped && f.reason == ErrorReason::kUnintelligibleAnswer;
    if (!detail.empty()) detail += "; ";
    detail += f.message + (f.detail.empty() ? "" : " (" + f.detail + ")");
  }
  if (all_unmapped) {
    return Error::Of(ErrorReason::kUnintelligibleAnswer,
                     "Request received unidentifiable error response.", what + ": " + detail);
  }
  return Error::Of(ErrorReason::kPlacementFailed,
                   "Failed to place the requested order with the configured providers.",
                   what + ": " + detail);
}

// True when the order proposes no providers, or this estimate's provider
// (by id or name) and service.
bool Proposed(const domain::ShippingOrder& order, const domain::Estimate& estimate) {
  if (order.requested_providers.empty()) return true;
  return std::any_of(order.requested_providers.begin(), order.requested_providers.end(),
                     [&](const domain::ProposedProvider& p) {
                       bool provider = p.name == estimate.provider_id ||
                                       p.name == estimate.provider_name ||
                                       p.name == estimate.display_name;
                       return provider && (p.service_ids.empty() ||
                                           std::find(p.service_ids.begin(), p.service_ids.end(),
                                                     estimate.service_id) != p.service_ids.end());
                     });
}

}  // namespace

PlacementResult Placement::Run(const domain::ShippingOrder& order,
                               const std::vector<AssignedProvider>& providers,
                               const std::vector<domain::OrchestrationRule>& rules, int64_t attempt,
                               const std::string& request_id, const std::string& traceparent) {
  PlacementResult result = Rank(order, providers, rules, request_id, traceparent);
  if (!result.failure) Book(result, order, providers, attempt, request_id, traceparent);
  return result;
}

PlacementResult Placement::Rank(const domain::ShippingOrder& order,
                                const std::vector<AssignedProvider>& providers,
                                const std::vector<domain::OrchestrationRule>& rules,
                                const std::string& request_id, const std::string& traceparent) {
  PlacementResult result;
  ProviderCall call{"", request_id, clock_.NowMillis(), traceparent};

  // Quotes: in parallel when more than one provider is asked.
  std::vector<Result<Quotes>> answers;
  if (providers.size() == 1) {
    answers.push_back(providers[0].provider->Quote(order, call));
  } else {
    std::vector<std::future<Result<Quotes>>> pending;
    for (const auto& assigned : providers) {
      pending.push_back(std::async(std::launch::async, [&assigned, &order, &call] {
        return assigned.provider->Quote(order, call);
      }));
    }
    for (auto& future : pending) answers.push_back(future.get());
  }
  result.estimates_at = clock_.NowMillis();

  std::vector<Error> quote_failures;
  std::vector<std::string> refusals;
  for (size_t i = 0; i < providers.size(); ++i) {
    const ProviderRecord& record = providers[i].record;
    if (!answers[i]) {
      Error failure = std::move(answers[i]).error();
      LogWarn("provider quote failed", LogFields()
                                           .Add("request_id", request_id)
                                           .Add("provider", record.provider_id)
                                           .Add("detail", failure.detail));
      result.warnings.push_back("Provider " + record.name +
                                " gave no estimate: " + failure.message);
      quote_failures.push_back(std::move(failure));
      continue;
    }
    if (answers[i]->estimates.empty() && !answers[i]->refusal.empty()) {
      refusals.push_back(record.name + ": " + answers[i]->refusal);
    }
    for (auto& estimate : answers[i]->estimates) {
      estimate.provider_id = record.provider_id;
      estimate.provider_name = record.name;
      estimate.display_name = record.display_name.empty() ? record.name : record.display_name;
      result.proposed.push_back(std::move(estimate));
    }
  }
  if (result.proposed.empty()) {
    result.estimates_at = 0;
    if (quote_failures.size() == providers.size()) {
      result.failure = Summarize(quote_failures, "no provider gave an estimate");
      return result;
    }
    std::string why;
    for (const auto& refusal : refusals) why += (why.empty() ? "" : "; ") + refusal;
    result.failure = Error::Of(ErrorReason::kNoProviderMatched,
                               "No Provider matched the criteria for the requested delivery." +
                                   (why.empty() ? std::string() : " " + why));
    return result;
  }

  std::vector<domain::Estimate> candidates;
  for (const auto& estimate : result.proposed) {
    if (Proposed(order, estimate)) candidates.push_back(estimate);
  }
  if (candidates.empty()) {
    result.failure = Error::Of(ErrorReason::kNoProviderMatched,
                               "No Provider matched the criteria for the requested delivery: no "
                               "estimate came from the proposed providers.");
    return result;
  }
  domain::Selection selection =
      domain::SelectEstimates(rules, candidates, order, clock_.NowMillis());
  if (selection.ranked.empty()) {
    result.failure = Error::Of(
        ErrorReason::kNoProviderMatched,
        "No Provider matched the criteria for the requested delivery: the orchestration rules "
        "excluded every estimate.");
    return result;
  }
  result.rule_name = selection.rule_name;
  result.ranked = std::move(selection.ranked);
  return result;
}

void Placement::Book(PlacementResult& result, const domain::ShippingOrder& order,
                     const std::vector<AssignedProvider>& providers, int64_t attempt,
                     const std::string& request_id, const std::string& traceparent) {
  ProviderCall call{"", request_id, clock_.NowMillis(), traceparent};
  // Book the best estimate; when its provider fails, the best of the next one.
  std::set<std::string> tried;
  std::vector<Error> booking_failures;
  for (const auto& estimate : result.ranked) {
    if (tried.contains(estimate.provider_id)) continue;
    if (tried.size() >= kMaxBookings) break;
    tried.insert(estimate.provider_id);
    auto assigned = std::find_if(providers.begin(), providers.end(), [&](const auto& p) {
      return p.record.provider_id == estimate.provider_id;
    });
    if (assigned == providers.end()) continue;
    call.now = clock_.NowMillis();
    call.idempotency_key = "shipline-" + std::to_string(order.tenant_id) + "-" +
                           std::to_string(order.id) + "-" + std::to_string(attempt) + "-" +
                           estimate.provider_id;
    auto booked = assigned->provider->Book(order, estimate, call);
    if (!booked) {
      Error failure = std::move(booked).error();
      LogWarn("provider booking failed", LogFields()
                                             .Add("request_id", request_id)
                                             .Add("provider", estimate.provider_id)
                                             .Add("detail", failure.detail));
      result.warnings.push_back("Provider " + estimate.provider_name +
                                " failed to take the order: " + failure.message);
      booking_failures.push_back(std::move(failure));
      continue;
    }
    result.chosen = estimate;
    result.booking = std::move(*booked);
    result.booked_at = clock_.NowMillis();
    return;
  }
  result.failure = Summarize(booking_failures, "every booking failed");
}

}  // namespace shipline::app
