#pragma once

// Shipping orders as the store keeps them, with their status history and a
// keyset-paged list.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.hpp"
#include "domain/shipping_order.hpp"

namespace shipline::app {

// A position in the list order: (last_updated_at, id), ascending.
struct ListKey {
  int64_t last_updated_at = 0;
  int64_t id = 0;
};

struct ShippingOrderQuery {
  int64_t tenant_id = 0;
  std::vector<std::string> external_ids;              // empty: any
  std::vector<std::string> location_ids;              // empty: any
  std::vector<domain::ShippingOrderStatus> statuses;  // empty: any
  std::optional<std::string> group_id;
  domain::TimeWindow last_updated;        // inclusive bounds
  domain::TimeWindow created;             // inclusive bounds
  std::optional<int64_t> pickup_from;     // pickupTime.startsAt >= this
  std::optional<int64_t> delivery_until;  // deliveryTime.endsAt <= this
  std::optional<ListKey> after;           // only rows after this key, ascending
  std::optional<ListKey> before;          // only rows before this key, descending
  int limit = 1000;
};

// Reads and writes of shipping orders. Write methods may only be called inside
// Store::Write. Failures are kInternal with the database's message in the
// detail, unless stated.
class ShippingOrderRepository {
 public:
  virtual ~ShippingOrderRepository() = default;

  // The name of a tenant (shown as tenantId); empty for an unknown one.
  virtual Result<std::string> TenantName(int64_t tenant_id) = 0;

  // Inserts a new order and its history (usually one REQUEST_RECEIVED row),
  // filling in id. kAlreadyExists when the external id is taken for the
  // tenant.
  virtual Status Insert(domain::ShippingOrder& order) = 0;
  // Replaces every stored field of the order with the same id (the history
  // is appended separately).
  virtual Status Update(const domain::ShippingOrder& order) = 0;
  virtual Status AppendHistory(int64_t order_id, const domain::ShippingStatusChange& change) = 0;

  virtual Result<std::optional<domain::ShippingOrder>> Find(int64_t tenant_id,
                                                            std::string_view external_id,
                                                            bool with_history) = 0;
  // The order a provider booked under its own id.
  virtual Result<std::optional<domain::ShippingOrder>> FindByProviderOrder(
      int64_t tenant_id, std::string_view provider_id, std::string_view provider_order_id) = 0;
  // Rows matching the query in key order: ascending after `after` (or from the
  // start), descending before `before`; at most `limit`.
  virtual Result<std::vector<domain::ShippingOrder>> List(const ShippingOrderQuery& query) = 0;
  // The tenant's booked orders not yet finished whose provider is one of
  // `provider_ids`, id after `after_id`, at most `limit`, in id order.
  virtual Result<std::vector<domain::ShippingOrder>> ListInFlight(
      int64_t tenant_id, const std::vector<std::string>& provider_ids, int64_t after_id,
      int limit) = 0;
};

}  // namespace shipline::app
