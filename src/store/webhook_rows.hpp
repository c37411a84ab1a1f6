#pragma once

// Column lists and row readers shared by the webhook repository's files: a
// subscription (aliased `s`) and a delivery (aliased `d`), and ReadAll.

#include <string>
#include <vector>

#include "app/webhooks/webhook_types.hpp"
#include "store/sql/db.hpp"

namespace shipline::store {

inline constexpr const char* kSubscriptionColumns =
    "s.id, s.tenant_id, s.url, s.store, s.event_types, s.format, s.basic_username, "
    "s.basic_password, s.signing, s.delay_ms, s.enabled, s.disabled_reason, s.disabled_at, "
    "s.failing_since, s.description, s.created_at, s.updated_at";
inline constexpr int kSubscriptionColumnCount = 17;

inline constexpr const char* kDeliveryColumns =
    "d.id, d.tenant_id, d.subscription_id, d.event_id, d.event_type, d.message_id, d.status, "
    "d.attempts, d.next_attempt_at, d.body, d.last_status, d.last_error, d.created_at, "
    "d.updated_at, d.completed_at";
inline constexpr int kDeliveryColumnCount = 15;

// Reads kSubscriptionColumns starting at column `first` of the current row.
app::webhooks::Subscription ReadSubscription(const sql::Rows& row, int first);
// Reads kDeliveryColumns at the start of the current row.
app::webhooks::Delivery ReadDelivery(const sql::Rows& row);

// Reads every remaining row of `rows` with `read(const sql::Rows&)`.
template <typename Read>
auto ReadAll(sql::Rows& rows, Read read) -> Result<std::vector<decltype(read(rows))>> {
  std::vector<decltype(read(rows))> out;
  for (;;) {
    SHIPLINE_SQL_NEXT(more, rows);
    if (!more) return out;
    out.push_back(read(rows));
  }
}

}  // namespace shipline::store
