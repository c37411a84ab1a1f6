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
  explicit BuiltInProviderFactory(bool demo) : demo_(demo) {}

  Status Validate(std::string_view kind, std::string_view config) override;
  Result<std::shared_ptr<app::DeliveryProvider>> Get(const app::ProviderRecord& record) override;

 private:
  static constexpr size_t kCacheLimit = 10'000;

  bool demo_;
  std::mutex mutex_;
  // By internal id: the record's update time and the provider built from it.
  std::map<int64_t, std::pair<int64_t, std::shared_ptr<app::DeliveryProvider>>> cache_;
};

}  // namespace shipline::adapters
