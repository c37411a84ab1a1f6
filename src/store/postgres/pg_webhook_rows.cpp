#include "store/postgres/pg_webhook_rows.hpp"

namespace shipline::store::postgres {

namespace wh = app::webhooks;

std::string JoinTypes(const std::vector<std::string>& types) {
  std::string joined;
  for (const auto& type : types) {
    if (!joined.empty()) joined.push_back(',');
    joined += type;
  }
  return joined;
}

std::vector<std::string> SplitTypes(const std::string& joined) {
  std::vector<std::string> types;
  size_t start = 0;
  while (start < joined.size()) {
    size_t end = joined.find(',', start);
    if (end == std::string::npos) end = joined.size();
    if (end > start) types.push_back(joined.substr(start, end - start));
    start = end + 1;
  }
  return types;
}

wh::Subscription ReadSubscription(const Rows& rows, int r, int first) {
  wh::Subscription s;
  s.id = rows.Int(r, first + 0);
  s.tenant_id = rows.Int(r, first + 1);
  s.url = rows.Text(r, first + 2);
  s.store = rows.Text(r, first + 3);
  s.event_types = SplitTypes(rows.Text(r, first + 4));
  s.format = wh::ParsePayloadFormat(rows.Text(r, first + 5)).value_or(wh::PayloadFormat::kNative);
  s.basic_username = rows.Text(r, first + 6);
  s.basic_password = rows.Text(r, first + 7);
  s.signing = rows.Bool(r, first + 8);
  s.delay_ms = rows.Int(r, first + 9);
  s.enabled = rows.Bool(r, first + 10);
  s.disabled_reason = rows.Text(r, first + 11);
  s.disabled_at = rows.OptionalInt(r, first + 12);
  s.failing_since = rows.OptionalInt(r, first + 13);
  s.description = rows.Text(r, first + 14);
  s.created_at = rows.Int(r, first + 15);
  s.updated_at = rows.Int(r, first + 16);
  return s;
}

wh::Delivery ReadDelivery(const Rows& rows, int r) {
  wh::Delivery d;
  d.id = rows.Int(r, 0);
  d.tenant_id = rows.Int(r, 1);
  d.subscription_id = rows.Int(r, 2);
  d.event_id = rows.OptionalInt(r, 3);
  d.event_type = rows.Text(r, 4);
  d.message_id = rows.Text(r, 5);
  d.status = wh::ParseDeliveryStatus(rows.Text(r, 6)).value_or(wh::DeliveryStatus::kPending);
  d.attempts = static_cast<int>(rows.Int(r, 7));
  d.next_attempt_at = rows.OptionalInt(r, 8);
  d.body = rows.Text(r, 9);
  d.last_status = static_cast<int>(rows.Int(r, 10));
  d.last_error = rows.Text(r, 11);
  d.created_at = rows.Int(r, 12);
  d.updated_at = rows.Int(r, 13);
  d.completed_at = rows.OptionalInt(r, 14);
  return d;
}

}  // namespace shipline::store::postgres
