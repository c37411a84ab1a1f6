#include "store/sqlite/sqlite_store_settings.hpp"

namespace shipline::store::sqlite {

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

}  // namespace

Result<std::optional<app::StoreSettings>> SqliteStoreSettings::Find(int64_t tenant_id,
                                                                    std::string_view name) {
  auto query = db_.Prepare(
      "SELECT id, name, send_shipping_confirmation, sender, created_at, updated_at FROM stores "
      "WHERE tenant_id = ? AND name = ?");
  if (!query) return std::move(query).error();
  query->Bind(1, tenant_id).Bind(2, name);
  auto row = query->Step();
  if (!row) return std::move(row).error();
  if (!*row) return std::optional<app::StoreSettings>();
  const int64_t store_id = query->Int(0);
  app::StoreSettings settings;
  settings.name = query->Text(1);
  settings.send_shipping_confirmation = query->Int(2) != 0;
  settings.sender = query->Text(3);
  settings.created_at = query->Int(4);
  settings.updated_at = query->Int(5);

  auto carriers = db_.Prepare(
      "SELECT code, name, tracking_url_template, aliases FROM store_carriers "
      "WHERE store_id = ? ORDER BY position");
  if (!carriers) return std::move(carriers).error();
  carriers->Bind(1, store_id);
  for (;;) {
    auto next = carriers->Step();
    if (!next) return std::move(next).error();
    if (!*next) break;
    domain::Carrier carrier;
    carrier.code = carriers->Text(0);
    carrier.name = carriers->Text(1);
    carrier.notification_name = carrier.name;
    carrier.tracking_url_template = carriers->Text(2);
    carrier.aliases = SplitLines(carriers->Text(3));
    settings.carriers.push_back(std::move(carrier));
  }
  return std::optional<app::StoreSettings>(std::move(settings));
}

Status SqliteStoreSettings::Ensure(int64_t tenant_id, std::string_view name, int64_t now) {
  auto insert = db_.Prepare(
      "INSERT INTO stores (tenant_id, name, created_at, updated_at) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (tenant_id, name) DO NOTHING");
  if (!insert) return std::move(insert).error();
  insert->Bind(1, tenant_id).Bind(2, name).Bind(3, now).Bind(4, now);
  return insert->Run();
}

Status SqliteStoreSettings::Save(int64_t tenant_id, const app::StoreSettings& settings,
                                 int64_t now) {
  auto upsert = db_.Prepare(
      "INSERT INTO stores (tenant_id, name, send_shipping_confirmation, sender, created_at, "
      "updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, name) DO UPDATE SET "
      "send_shipping_confirmation = excluded.send_shipping_confirmation, "
      "sender = excluded.sender, updated_at = excluded.updated_at");
  if (!upsert) return std::move(upsert).error();
  upsert->Bind(1, tenant_id).Bind(2, settings.name);
  upsert->Bind(3, int64_t{settings.send_shipping_confirmation ? 1 : 0}).Bind(4, settings.sender);
  upsert->Bind(5, now).Bind(6, now);
  SHIPLINE_RETURN_IF_ERROR(upsert->Run());

  auto id = db_.Prepare("SELECT id FROM stores WHERE tenant_id = ? AND name = ?");
  if (!id) return std::move(id).error();
  id->Bind(1, tenant_id).Bind(2, settings.name);
  auto row = id->Step();
  if (!row) return std::move(row).error();
  if (!*row) return Error::Internal("store vanished after upsert");
  const int64_t store_id = id->Int(0);

  auto clear = db_.Prepare("DELETE FROM store_carriers WHERE store_id = ?");
  if (!clear) return std::move(clear).error();
  clear->Bind(1, store_id);
  SHIPLINE_RETURN_IF_ERROR(clear->Run());
  auto insert = db_.Prepare(
      "INSERT INTO store_carriers (store_id, position, code, name, tracking_url_template, "
      "aliases) VALUES (?, ?, ?, ?, ?, ?)");
  if (!insert) return std::move(insert).error();
  for (size_t i = 0; i < settings.carriers.size(); ++i) {
    const domain::Carrier& carrier = settings.carriers[i];
    insert->Reset();
    insert->Bind(1, store_id).Bind(2, static_cast<int64_t>(i)).Bind(3, carrier.code);
    insert->Bind(4, carrier.name).Bind(5, carrier.tracking_url_template);
    insert->Bind(6, JoinLines(carrier.aliases));
    SHIPLINE_RETURN_IF_ERROR(insert->Run());
  }
  return Ok();
}

}  // namespace shipline::store::sqlite
