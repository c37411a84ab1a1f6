#include "store/storefront_repository.hpp"

#include "store/column_codecs.hpp"
#include "store/ship_from_columns.hpp"

namespace shipline::store {

using sql::Params;

namespace {

// A carrier's aliases are stored one per line.
constexpr char kAliasSeparator = '\n';

const std::string kShipFromUpdate = ShipFromUpdate();

}  // namespace

Result<std::optional<app::StorefrontSettings>> StorefrontRepository::Find(int64_t tenant_id,
                                                                          std::string_view name) {
  SHIPLINE_SQL_QUERY(row, db_,
                     "SELECT id, name, send_shipping_confirmation, sender, created_at, "
                     "updated_at, " +
                         std::string(kShipFromColumns) +
                         " FROM stores WHERE tenant_id = $1 AND name = $2" + db_.RowLock(),
                     Params().Add(tenant_id).Add(name));
  SHIPLINE_SQL_NEXT(found, row);
  if (!found) return std::optional<app::StorefrontSettings>();
  const int64_t store_id = row.Int(0);
  app::StorefrontSettings settings;
  settings.name = row.Text(1);
  settings.send_shipping_confirmation = row.Bool(2);
  settings.sender = row.Text(3);
  settings.created_at = row.Int(4);
  settings.updated_at = row.Int(5);
  settings.ship_from = ReadShipFrom(row, 6);

  SHIPLINE_SQL_QUERY(carriers, db_,
                     "SELECT code, name, tracking_url_template, aliases FROM store_carriers "
                     "WHERE store_id = $1 ORDER BY position",
                     Params().Add(store_id));
  for (;;) {
    SHIPLINE_SQL_NEXT(more, carriers);
    if (!more) break;
    domain::Carrier carrier;
    carrier.code = carriers.Text(0);
    carrier.name = carriers.Text(1);
    carrier.notification_name = carrier.name;
    carrier.tracking_url_template = carriers.Text(2);
    carrier.aliases = SplitList(carriers.Text(3), kAliasSeparator, false);
    settings.carriers.push_back(std::move(carrier));
  }
  return std::optional<app::StorefrontSettings>(std::move(settings));
}

Status StorefrontRepository::Ensure(int64_t tenant_id, std::string_view name, int64_t now) {
  SHIPLINE_SQL_DEFER(db_,
                     "INSERT INTO stores (tenant_id, name, created_at, updated_at) "
                     "VALUES ($1, $2, $3, $3) ON CONFLICT (tenant_id, name) DO NOTHING",
                     Params().Add(tenant_id).Add(name).Add(now));
  return Ok();
}

Status StorefrontRepository::Save(int64_t tenant_id, const app::StorefrontSettings& settings,
                                  int64_t now) {
  SHIPLINE_SQL_QUERY(
      upserted, db_,
      "INSERT INTO stores (tenant_id, name, send_shipping_confirmation, sender, created_at, "
      "updated_at, " +
          std::string(kShipFromColumns) +
          ") VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) "
          "ON CONFLICT (tenant_id, name) DO UPDATE SET "
          "send_shipping_confirmation = excluded.send_shipping_confirmation, "
          "sender = excluded.sender, updated_at = excluded.updated_at, " +
          kShipFromUpdate + " RETURNING id",
      AddShipFrom(Params()
                      .Add(tenant_id)
                      .Add(settings.name)
                      .Bool(settings.send_shipping_confirmation)
                      .Add(settings.sender)
                      .Add(now),
                  settings.ship_from));
  SHIPLINE_SQL_NEXT(returned, upserted);
  if (!returned) return Error::Internal("store vanished after upsert");
  const int64_t store_id = upserted.Int(0);

  SHIPLINE_SQL_EXECUTE(cleared, db_, "DELETE FROM store_carriers WHERE store_id = $1",
                       Params().Add(store_id));
  for (size_t i = 0; i < settings.carriers.size(); ++i) {
    const domain::Carrier& carrier = settings.carriers[i];
    SHIPLINE_SQL_EXECUTE(inserted, db_,
                         "INSERT INTO store_carriers (store_id, position, code, name, "
                         "tracking_url_template, aliases) VALUES ($1, $2, $3, $4, $5, $6)",
                         Params()
                             .Add(store_id)
                             .Add(static_cast<int64_t>(i))
                             .Add(carrier.code)
                             .Add(carrier.name)
                             .Add(carrier.tracking_url_template)
                             .Add(JoinList(carrier.aliases, kAliasSeparator)));
  }
  return Ok();
}

}  // namespace shipline::store
