#include "adapters/providers/provider_factory.hpp"

#include "adapters/providers/http_delivery_provider.hpp"
#include "adapters/providers/rate_table_provider.hpp"
#include "app/outbound_address_policy.hpp"

namespace shipline::adapters {

Status BuiltInProviderFactory::Validate(std::string_view kind, std::string_view config) {
  if (kind == app::kRateTableKind) {
    auto table = ParseRateTable(config);
    if (!table) return std::move(table).error();
    return Ok();
  }
  if (kind == app::kHttpKind) {
    auto parsed = ParseHttpProviderConfig(config);
    if (!parsed) return std::move(parsed).error();
    return app::CheckOutboundUrl(parsed->url, allow_private_, "config.url");
  }
  return Error::Invalid("kind must be rate-table or http", "kind");
}

Result<std::shared_ptr<app::DeliveryProvider>> BuiltInProviderFactory::Get(
    const app::ProviderRecord& record) {
  {
    std::lock_guard lock(mutex_);
    auto found = cache_.find(record.id);
    if (found != cache_.end() && found->second.first == record.updated_at) {
      return found->second.second;
    }
  }
  std::shared_ptr<app::DeliveryProvider> provider;
  if (record.kind == app::kRateTableKind) {
    auto table = ParseRateTable(record.config);
    if (!table) return std::move(table).error();
    provider = std::make_shared<RateTableProvider>(std::move(*table), demo_);
  } else if (record.kind == app::kHttpKind) {
    auto config = ParseHttpProviderConfig(record.config);
    if (!config) return std::move(config).error();
    provider = std::make_shared<HttpDeliveryProvider>(std::move(*config), allow_private_);
  } else {
    return Error::Invalid("unknown provider kind " + record.kind, "kind");
  }
  std::lock_guard lock(mutex_);
  if (cache_.size() >= kCacheLimit) cache_.clear();
  cache_[record.id] = {record.updated_at, provider};
  return provider;
}

}  // namespace shipline::adapters
