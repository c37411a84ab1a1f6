#pragma once

// Builds delivery providers from their stored records: `rate-table` (built in)
// and `http`. A provider is built once per record version (id and update
// time) and shared by every request.

#include <map>
#include <memory>
#include <mutex>
#include <utility>

#include "app/shipping_orders/delivery_provider.hpp"

namespace shipline::adapters {

class BuiltInProviderFactory final : public app::ProviderFactory {
 public:
  // `demo`: rate-table providers simulate the progress of their bookings.
  // `allow_private`: http providers may be on loopback and private networks
  // (see app/outbound_address_policy.hpp; checked on save and on connect).
  BuiltInProviderFactory(bool demo, bool allow_private)
      : demo_(demo), allow_private_(allow_private) {}

  Status Validate(std::string_view kind, std::string_view config) override;
  Result<std::shared_ptr<app::DeliveryProvider>> Get(const app::ProviderRecord& record) override;

 private:
  static constexpr size_t kCacheLimit = 10'000;

  bool demo_;
  bool allow_private_;
  std::mutex mutex_;
  // By internal id: the record's update time and the provider built from it.
  std::map<int64_t, std::pair<int64_t, std::shared_ptr<app::DeliveryProvider>>> cache_;
};

}  // namespace shipline::adapters
