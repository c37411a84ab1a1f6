#include "store/postgres/pg_store_settings.hpp"

namespace shipline::store::postgres {

namespace {

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) {
    if (!text.empty()) text.push_back('\n');
    text += line;
  }
  return text;
}

const std::string kFindStore =
    "SELECT id, name, send_shipping_confirmation, sender, created_at, updated_at FROM stores "
    "WHERE tenant_id = $1 AND name = $2";

}  // namespace

Result<std::optional<app::StoreSettings>> PgStoreSettings::Find(int64_t tenant_id,
                                                                std::string_view name) {
  SHIPLINE_PG_QUERY(row, writable_ ? kFindStore + " FOR NO KEY UPDATE" : kFindStore,
                    Params().Add(tenant_id).Add(name));
  if (row.empty()) return std::optional<app::StoreSettings>();
  const int64_t store_id = row.Int(0, 0);
  app::StoreSettings settings;
  settings.name = row.Text(0, 1);
  settings.send_shipping_confirmation = row.Bool(0, 2);
  settings.sender = row.Text(0, 3);
  settings.created_at = row.Int(0, 4);
  settings.updated_at = row.Int(0, 5);

  SHIPLINE_PG_QUERY(carriers,
                    "SELECT code, name, tracking_url_template, aliases FROM store_carriers "
                    "WHERE store_id = $1 ORDER BY position",
                    Params().Add(store_id));
  for (int r = 0; r < carriers.size(); ++r) {
    domain::Carrier carrier;
    carrier.code = carriers.Text(r, 0);
    carrier.name = carriers.Text(r, 1);
    carrier.notification_name = carrier.name;
    carrier.tracking_url_template = carriers.Text(r, 2);
    carrier.aliases = SplitLines(carriers.Text(r, 3));
    settings.carriers.push_back(std::move(carrier));
  }
  return std::optional<app::StoreSettings>(std::move(settings));
}

Status PgStoreSettings::Ensure(int64_t tenant_id, std::string_view name, int64_t now) {
  SHIPLINE_PG_QUERY(rows,
                    "INSERT INTO stores (tenant_id, name, created_at, updated_at) "
                    "VALUES ($1, $2, $3, $3) ON CONFLICT (tenant_id, name) DO NOTHING",
                    Params().Add(tenant_id).Add(name).Add(now));
  return Ok();
}

Status PgStoreSettings::Save(int64_t tenant_id, const app::StoreSettings& settings, int64_t now) {
  SHIPLINE_PG_QUERY(
      upserted,
      "INSERT INTO stores (tenant_id, name, send_shipping_confirmation, sender, created_at, "
      "updated_at) VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (tenant_id, name) DO UPDATE SET "
      "send_shipping_confirmation = excluded.send_shipping_confirmation, "
      "sender = excluded.sender, updated_at = excluded.updated_at RETURNING id",
      Params()
          .Add(tenant_id)
          .Add(settings.name)
          .Bool(settings.send_shipping_confirmation)
          .Add(settings.sender)
          .Add(now));
  if (upserted.empty()) return Error::Internal("store vanished after upsert");
  const int64_t store_id = upserted.Int(0, 0);

  SHIPLINE_PG_QUERY(cleared, "DELETE FROM store_carriers WHERE store_id = $1",
                    Params().Add(store_id));
  for (size_t i = 0; i < settings.carriers.size(); ++i) {
    const domain::Carrier& carrier = settings.carriers[i];
    SHIPLINE_PG_QUERY(inserted,
                      "INSERT INTO store_carriers (store_id, position, code, name, "
                      "tracking_url_template, aliases) VALUES ($1, $2, $3, $4, $5, $6)",
                      Params()
                          .Add(store_id)
                          .Add(static_cast<int64_t>(i))
                          .Add(carrier.code)
                          .Add(carrier.name)
                          .Add(carrier.tracking_url_template)
                          .Add(JoinLines(carrier.aliases)));
  }
  return Ok();
}

}  // namespace shipline::store::postgres
