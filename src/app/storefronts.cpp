#include "app/storefronts.hpp"

#include <set>

#include "domain/text_limits.hpp"

namespace shipline::app {

namespace {

using domain::MaxTextBytes;
using domain::TextKind;
constexpr size_t kMaxAliases = 20;

Status ValidateName(std::string_view name) {
  if (name.empty() || name.size() > MaxTextBytes(TextKind::kId)) {
    return Error::Invalid("store name must be 1 to 128 characters", "store");
  }
  return Ok();
}

// "shop@example.com" or "Shop <shop@example.com>", without line breaks.
bool LooksLikeSender(std::string_view sender) {
  if (sender.find_first_of("\r\n") != std::string_view::npos) return false;
  auto open = sender.find('<');
  std::string_view address = sender;
  if (open != std::string_view::npos) {
    if (sender.back() != '>') return false;
    address = sender.substr(open + 1, sender.size() - open - 2);
  }
  auto at = address.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < address.size() &&
         address.find_first_of(" \t<>,;") == std::string_view::npos;
}

bool IsCarrierCode(std::string_view code) {
  if (code.empty() || code.size() > MaxTextBytes(TextKind::kCode)) return false;
  for (char c : code) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

bool IsLinkTemplate(std::string_view text) {
  if (text.empty()) return true;  // a carrier without a public link
  if (text.size() > MaxTextBytes(TextKind::kUrl)) return false;
  if (!text.starts_with("https://") && !text.starts_with("http://")) return false;
  if (text.find_first_of(" \t\r\n") != std::string_view::npos) return false;
  size_t first = text.find("%s");
  return first == std::string_view::npos || text.find("%s", first + 2) == std::string_view::npos;
}

Status ValidateCarriers(const std::vector<domain::Carrier>& carriers) {
  if (carriers.size() > Storefronts::kMaxCarriers) {
    return Error::Invalid("a store has at most 100 carriers of its own", "carriers");
  }
  std::set<std::string> codes;
  for (size_t i = 0; i < carriers.size(); ++i) {
    const domain::Carrier& carrier = carriers[i];
    const std::string field = "carriers[" + std::to_string(i) + "]";
    if (!IsCarrierCode(carrier.code)) {
      return Error::Invalid("code must be 1 to 64 of a-z, 0-9 and _", field + ".code");
    }
    if (!codes.insert(carrier.code).second) {
      return Error::Invalid("carrier code appears twice: " + carrier.code, field + ".code");
    }
    if (carrier.name.empty() || carrier.name.size() > MaxTextBytes(TextKind::kName)) {
      return Error::Invalid("name must be 1 to 200 characters", field + ".name");
    }
    if (!IsLinkTemplate(carrier.tracking_url_template)) {
      return Error::Invalid("trackingUrlTemplate must be an http(s) URL with at most one %s",
                            field + ".trackingUrlTemplate");
    }
    if (carrier.aliases.size() > kMaxAliases) {
      return Error::Invalid("a carrier has at most 20 aliases", field + ".aliases");
    }
    for (const std::string& alias : carrier.aliases) {
      if (alias.empty() || alias.size() > MaxTextBytes(TextKind::kId) ||
          alias.find_first_of("\r\n") != std::string::npos) {
        return Error::Invalid("each alias must be 1 to 128 characters on one line",
                              field + ".aliases");
      }
    }
  }
  return Ok();
}

}  // namespace

Result<StorefrontSettings> LoadStorefront(StoreReader& reader, int64_t tenant_id,
                                          std::string_view name) {
  auto found = reader.Storefronts().Find(tenant_id, name);
  if (!found) return std::move(found).error();
  if (*found) return std::move(**found);
  StorefrontSettings defaults;
  defaults.name = std::string(name);
  return defaults;
}

Result<StorefrontSettings> LoadStorefrontCached(StorefrontCache& cache, uint64_t generation,
                                                StoreReader& reader, int64_t tenant_id,
                                                std::string_view name) {
  if (auto cached = cache.Find(tenant_id, name)) return std::move(*cached);
  auto loaded = LoadStorefront(reader, tenant_id, name);
  if (loaded) cache.Put(tenant_id, *loaded, generation);
  return loaded;
}

domain::CarrierRegistry CarriersOf(const StorefrontSettings& settings) {
  domain::CarrierRegistry registry = domain::CarrierRegistry::BuiltIn();
  for (const domain::Carrier& carrier : settings.carriers) registry.Add(carrier);
  return registry;
}

domain::TrackingDetails ResolveTrackingFor(const StorefrontSettings& settings,
                                           std::string_view carrier_name,
                                           std::string_view tracking_number,
                                           std::string_view supplied_url) {
  static const domain::CarrierRegistry kBuiltIn = domain::CarrierRegistry::BuiltIn();
  if (settings.carriers.empty()) {
    return domain::ResolveTracking(kBuiltIn, carrier_name, tracking_number, supplied_url);
  }
  return domain::ResolveTracking(CarriersOf(settings), carrier_name, tracking_number, supplied_url);
}

Result<StorefrontSettings> Storefronts::Get(const Actor& actor, std::string_view name) {
  SHIPLINE_RETURN_IF_ERROR(ValidateName(name));
  std::optional<StorefrontSettings> settings;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
    auto loaded = LoadStorefront(reader, actor.tenant_id, name);
    if (!loaded) return std::move(loaded).error();
    settings = std::move(*loaded);
    return Ok();
  }));
  return std::move(*settings);
}

Result<StorefrontSettings> Storefronts::Update(const Actor& actor, std::string_view name,
                                               const StorefrontUpdate& update) {
  SHIPLINE_RETURN_IF_ERROR(ValidateName(name));
  if (update.sender && !update.sender->empty() &&
      (update.sender->size() > MaxTextBytes(TextKind::kEmail) ||
       !LooksLikeSender(*update.sender))) {
    return Error::Invalid("sender must be an email address, optionally with a name", "sender");
  }
  if (update.carriers) SHIPLINE_RETURN_IF_ERROR(ValidateCarriers(*update.carriers));
  if (update.ship_from) {
    const domain::ShipFrom& a = *update.ship_from;
    SHIPLINE_RETURN_IF_ERROR(domain::CheckTextLengths({
        {a.name, TextKind::kName, "shipFrom.name"},
        {a.company, TextKind::kName, "shipFrom.company"},
        {a.line1, TextKind::kAddress, "shipFrom.line1"},
        {a.line2, TextKind::kAddress, "shipFrom.line2"},
        {a.city, TextKind::kAddress, "shipFrom.city"},
        {a.region, TextKind::kAddress, "shipFrom.region"},
        {a.postal_code, TextKind::kAddress, "shipFrom.postalCode"},
        {a.country, TextKind::kAddress, "shipFrom.country"},
        {a.phone, TextKind::kPhone, "shipFrom.phone"},
        {a.email, TextKind::kEmail, "shipFrom.email"},
    }));
  }
  const int64_t now = clock_.NowMillis();
  std::optional<StorefrontSettings> saved;
  Status written = store_.Write([&](StoreWriter& tx) -> Status {
    auto current = LoadStorefront(tx, actor.tenant_id, name);
    if (!current) return std::move(current).error();
    StorefrontSettings settings = std::move(*current);
    if (update.send_shipping_confirmation) {
      settings.send_shipping_confirmation = *update.send_shipping_confirmation;
    }
    if (update.sender) settings.sender = *update.sender;
    if (update.ship_from) settings.ship_from = *update.ship_from;
    if (update.carriers) {
      settings.carriers = *update.carriers;
      for (auto& carrier : settings.carriers) carrier.notification_name = carrier.name;
    }
    SHIPLINE_RETURN_IF_ERROR(tx.Storefronts().Save(actor.tenant_id, settings, now));
    if (settings.created_at == 0) settings.created_at = now;
    settings.updated_at = now;
    saved = std::move(settings);
    return Ok();
  });
  // After the commit: a completion that read the old settings meanwhile
  // cannot put them back (StorefrontCache::generation).
  store_.storefront_cache().Drop(actor.tenant_id, name);
  SHIPLINE_RETURN_IF_ERROR(written);
  return std::move(*saved);
}

}  // namespace shipline::app
