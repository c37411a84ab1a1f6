#include "store/pass_through_repository.hpp"

namespace shipline::store {

using sql::Params;

Status PassThroughRepository::Save(const domain::Order& order) {
  if (!order.extra_data.empty()) {
    SHIPLINE_SQL_DEFER(db_, "INSERT INTO order_pass_through (order_id, extra_data) VALUES ($1, $2)",
                       Params().Add(order.id).Add(order.extra_data));
  }
  for (const auto& line : order.line_items) {
    if (line.custom_data.empty()) continue;
    SHIPLINE_SQL_DEFER(
        db_, "INSERT INTO line_item_pass_through (line_item_id, custom_data) VALUES ($1, $2)",
        Params().Add(line.id).Add(line.custom_data));
  }
  return Ok();
}

Status PassThroughRepository::Load(domain::Order& order) {
  SHIPLINE_SQL_QUERY(extra, db_, "SELECT extra_data FROM order_pass_through WHERE order_id = $1",
                     Params().Add(order.id));
  SHIPLINE_SQL_NEXT(found, extra);
  order.extra_data = found ? extra.Text(0) : std::string();
  SHIPLINE_SQL_QUERY(custom, db_,
                     "SELECT p.line_item_id, p.custom_data FROM line_item_pass_through p "
                     "JOIN line_items l ON l.id = p.line_item_id WHERE l.order_id = $1",
                     Params().Add(order.id));
  for (;;) {
    SHIPLINE_SQL_NEXT(more, custom);
    if (!more) break;
    for (auto& line : order.line_items) {
      if (line.id == custom.Int(0)) line.custom_data = custom.Text(1);
    }
  }
  return Ok();
}

}  // namespace shipline::store
