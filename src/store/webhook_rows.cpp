#include "store/webhook_rows.hpp"

#include "store/column_codecs.hpp"

namespace shipline::store {

namespace wh = app::webhooks;

wh::Subscription ReadSubscription(const sql::Rows& row, int first) {
  wh::Subscription s;
  s.id = row.Int(first + 0);
  s.tenant_id = row.Int(first + 1);
  s.url = row.Text(first + 2);
  s.store = row.Text(first + 3);
  s.event_types = SplitList(row.Text(first + 4), ',', false);
  s.format = wh::ParsePayloadFormat(row.Text(first + 5)).value_or(wh::PayloadFormat::kNative);
  s.basic_username = row.Text(first + 6);
  s.basic_password = row.Text(first + 7);
  s.signing = row.Bool(first + 8);
  s.delay_ms = row.Int(first + 9);
  s.enabled = row.Bool(first + 10);
  s.disabled_reason = row.Text(first + 11);
  s.disabled_at = row.OptionalInt(first + 12);
  s.failing_since = row.OptionalInt(first + 13);
  s.description = row.Text(first + 14);
  s.created_at = row.Int(first + 15);
  s.updated_at = row.Int(first + 16);
  return s;
}

wh::Delivery ReadDelivery(const sql::Rows& row) {
  wh::Delivery d;
  d.id = row.Int(0);
  d.tenant_id = row.Int(1);
  d.subscription_id = row.Int(2);
  d.event_id = row.OptionalInt(3);
  d.event_type = row.Text(4);
  d.message_id = row.Text(5);
  d.status = wh::ParseDeliveryStatus(row.Text(6)).value_or(wh::DeliveryStatus::kPending);
  d.attempts = static_cast<int>(row.Int(7));
  d.next_attempt_at = row.OptionalInt(8);
  d.body = row.Text(9);
  d.last_status = static_cast<int>(row.Int(10));
  d.last_error = row.Text(11);
  d.created_at = row.Int(12);
  d.updated_at = row.Int(13);
  d.completed_at = row.OptionalInt(14);
  return d;
}

}  // namespace shipline::store
