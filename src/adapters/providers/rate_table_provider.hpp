#pragma once

// The built-in rate-table provider: prices and books orders from a table in
// its JSON configuration (docs/providers.md), without any outside call.
// Bookings get a tracking id derived from the booking's idempotency key, so a
// repeated booking gets the same one. In demo mode Status() simulates the
// booking's progress from its estimated pickup and delivery times.

#include <optional>
#include <string_view>
#include <utility>

#include "app/shipping_orders/delivery_provider.hpp"
#include "domain/rate_table.hpp"

namespace shipline::adapters {

// Reads a rate table from its JSON configuration. kInvalidArgument naming the
// field ("config.services[0].baseFee").
Result<domain::RateTable> ParseRateTable(std::string_view config);

class RateTableProvider final : public app::DeliveryProvider {
 public:
  RateTableProvider(domain::RateTable table, bool demo) : table_(std::move(table)), demo_(demo) {}

  Result<app::Quotes> Quote(const domain::ShippingOrder& order,
                            const app::ProviderCall& call) override;
  Result<app::Booking> Book(const domain::ShippingOrder& order, const domain::Estimate& estimate,
                            const app::ProviderCall& call) override;
  Result<void> Cancel(const domain::ShippingOrder& order, const app::ProviderCall& call) override;
  Result<std::optional<app::ProviderStatus>> Status(const domain::ShippingOrder& order,
                                                    const app::ProviderCall& call) override;
  bool AllowsCancelAfterDispatch() const override { return table_.cancel_after_dispatch; }
  bool NeedsCoordinates() const override { return true; }

 private:
  domain::RateTable table_;
  bool demo_;
};

}  // namespace shipline::adapters
