#include "app/order_queries.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <charconv>

#include "app/base64url.hpp"

namespace shipline::app {

namespace {

constexpr size_t kMacBytes = 16;  // of HMAC-SHA256's 32: forging one is still 2^-128
constexpr size_t kSecretBytes = 32;

Error BadCursor() {
  return Error::Invalid("cursor is not valid for this list: start again without it", "cursor");
}

// Appends a field to a canonical description of a list's filters: each
// value with its length, so that no two different filter sets describe alike.
class Canonical {
 public:
  explicit Canonical(std::string_view list, int64_t tenant_id) {
    text_ = std::string(list) + "|" + std::to_string(tenant_id);
  }
  Canonical& Add(std::string_view name, const std::optional<std::string>& value) {
    text_ += "|" + std::string(name);
    if (value) text_ += "=" + std::to_string(value->size()) + ":" + *value;
    return *this;
  }
  Canonical& Add(std::string_view name, const TimeRange& range) {
    auto end = [](const std::optional<int64_t>& v) { return v ? std::to_string(*v) : "-"; };
    text_ += "|" + std::string(name) + "=" + end(range.from) + ".." + end(range.to);
    return *this;
  }
  // A repeatable filter: the set of its values (order and repeats do not count).
  Canonical& Add(std::string_view name, std::vector<std::string> values) {
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    text_ += "|" + std::string(name) + "=";
    for (const auto& value : values) text_ += std::to_string(value.size()) + ":" + value + ",";
    return *this;
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

std::string Mac(const std::string& secret, const std::string& filters, const std::string& key) {
  std::string message = "cursor-v1\n" + filters + "\n" + key;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length);
  return std::string(reinterpret_cast<const char*>(digest), std::min<size_t>(length, kMacBytes));
}

std::string EncodeCursor(const std::string& secret, const std::string& filters, const Keyset& key) {
  std::string raw = std::to_string(key.at) + ":" + std::to_string(key.id);
  return Base64Url(raw) + "." + Base64Url(Mac(secret, filters, raw));
}

std::optional<int64_t> Number(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

Result<Keyset> DecodeCursor(const std::string& secret, const std::string& filters,
                            std::string_view cursor) {
  if (cursor.size() > 200) return BadCursor();
  size_t dot = cursor.find('.');
  if (dot == std::string_view::npos) return BadCursor();
  auto raw = FromBase64Url(cursor.substr(0, dot));
  auto mac = FromBase64Url(cursor.substr(dot + 1));
  if (!raw || !mac || mac->size() != kMacBytes) return BadCursor();
  std::string expected = Mac(secret, filters, *raw);
  if (CRYPTO_memcmp(expected.data(), mac->data(), kMacBytes) != 0) return BadCursor();
  size_t colon = raw->find(':');
  if (colon == std::string::npos) return BadCursor();
  auto at = Number(std::string_view(*raw).substr(0, colon));
  auto id = Number(std::string_view(*raw).substr(colon + 1));
  if (!at || !id) return BadCursor();
  return Keyset{*at, *id};
}

Result<int> PageSize(const PageRequest& page) {
  if (!page.limit) return kDefaultPageSize;
  if (*page.limit < 1 || *page.limit > kMaxPageSize) {
    return Error::Invalid("limit must be between 1 and 500", "limit");
  }
  return static_cast<int>(*page.limit);
}

Status CheckRange(const TimeRange& range, const std::string& from_name) {
  if (range.from && range.to && *range.from > *range.to) {
    return Error::Invalid(from_name + " must not be after its end", from_name);
  }
  return Ok();
}

// Runs a page's read after `cursor` (checked against `filters`): one row more
// than the page, to tell whether another follows, and the cursor of its last
// row when one does.
template <typename Row, typename Query, typename ReadFn, typename KeyFn>
Result<Page<Row>> ReadPage(Store& store, Query query, int size, const std::string& secret,
                           const std::string& filters, const std::string& cursor, ReadFn read,
                           KeyFn key_of) {
  if (!cursor.empty()) {
    auto after = DecodeCursor(secret, filters, cursor);
    if (!after) return std::move(after).error();
    query.after = *after;
  }
  query.limit = size + 1;
  Page<Row> page;
  Status done = store.Read([&](StoreReader& reader) -> Status {
    auto rows = read(reader.Queries(), query);
    if (!rows) return std::move(rows).error();
    page.rows = std::move(*rows);
    return Ok();
  });
  if (!done) return std::move(done).error();
  if (page.rows.size() > static_cast<size_t>(size)) {
    page.rows.resize(static_cast<size_t>(size));
    page.next = EncodeCursor(secret, filters, key_of(page.rows.back()));
  }
  return page;
}

}  // namespace

Status OrderQueries::Prepare() {
  auto secret = Secret();
  if (!secret) return std::move(secret).error();
  return Ok();
}

Result<std::string> OrderQueries::Secret() {
  {
    std::lock_guard lock(secret_mutex_);
    if (!secret_.empty()) return secret_;
  }
  // Not under the lock: the write may park a request's fiber (app/fiber.hpp).
  // Two callers here store one secret: the first one's, which both read back.
  std::string candidate = ids_.NewToken(kSecretBytes);
  std::string stored;
  Status written = store_.Write([&](StoreWriter& tx) -> Status {
    auto secret = tx.Queries().ServerSecret("cursor", candidate, clock_.NowMillis());
    if (!secret) return std::move(secret).error();
    stored = std::move(*secret);
    return Ok();
  });
  if (!written) return std::move(written).error();
  std::lock_guard lock(secret_mutex_);
  secret_ = std::move(stored);
  return secret_;
}

Result<Page<domain::Order>> OrderQueries::ListOrders(const Actor& actor, const OrderFilter& filter,
                                                     const PageRequest& page) {
  auto size = PageSize(page);
  if (!size) return std::move(size).error();
  SHIPLINE_RETURN_IF_ERROR(CheckRange(filter.created, "createdFrom"));
  SHIPLINE_RETURN_IF_ERROR(CheckRange(filter.updated, "updatedFrom"));

  OrderListQuery query;
  query.tenant_id = actor.tenant_id;
  for (auto state : filter.states) query.states.emplace_back(domain::ShippingStateName(state));
  std::sort(query.states.begin(), query.states.end());
  query.states.erase(std::unique(query.states.begin(), query.states.end()), query.states.end());
  query.store = filter.store;
  if (filter.email) query.email_key = domain::CustomerEmailKey(*filter.email);
  query.number_prefix = filter.number_prefix;
  query.created = filter.created;
  query.updated = filter.updated;
  bool by_update = filter.updated.from || filter.updated.to;
  query.sort = by_update ? SortTime::kUpdated : SortTime::kCreated;

  std::string filters = Canonical("orders", actor.tenant_id)
                            .Add("status", query.states)
                            .Add("store", query.store)
                            .Add("email", query.email_key)
                            .Add("number", query.number_prefix)
                            .Add("created", query.created)
                            .Add("updated", query.updated)
                            .text();
  auto secret = Secret();
  if (!secret) return std::move(secret).error();
  return ReadPage<domain::Order>(
      store_, query, *size, *secret, filters, page.cursor,
      [](QueryRepository& repo, const OrderListQuery& q) { return repo.ListOrders(q); },
      [by_update](const domain::Order& order) {
        return Keyset{by_update ? order.updated_at : order.created_at, order.id};
      });
}

Result<Page<domain::Shipment>> OrderQueries::ListShipments(const Actor& actor,
                                                           const ShipmentFilter& filter,
                                                           const PageRequest& page) {
  auto size = PageSize(page);
  if (!size) return std::move(size).error();
  SHIPLINE_RETURN_IF_ERROR(CheckRange(filter.shipped, "shippedFrom"));
  SHIPLINE_RETURN_IF_ERROR(CheckRange(filter.updated, "updatedFrom"));

  ShipmentListQuery query;
  query.tenant_id = actor.tenant_id;
  for (auto status : filter.statuses) {
    query.statuses.emplace_back(domain::ShipmentStatusName(status));
  }
  std::sort(query.statuses.begin(), query.statuses.end());
  query.statuses.erase(std::unique(query.statuses.begin(), query.statuses.end()),
                       query.statuses.end());
  query.carrier = filter.carrier;
  query.tracking = filter.tracking;
  query.order = filter.order;
  query.shipped = filter.shipped;
  query.updated = filter.updated;
  if (filter.shipped.from || filter.shipped.to) {
    query.sort = SortTime::kShipped;
  } else if (filter.updated.from || filter.updated.to) {
    query.sort = SortTime::kUpdated;
  }

  std::string filters = Canonical("shipments", actor.tenant_id)
                            .Add("status", query.statuses)
                            .Add("carrier", query.carrier)
                            .Add("tracking", query.tracking)
                            .Add("order", query.order)
                            .Add("shipped", query.shipped)
                            .Add("updated", query.updated)
                            .text();
  auto secret = Secret();
  if (!secret) return std::move(secret).error();
  SortTime sort = query.sort;
  return ReadPage<domain::Shipment>(
      store_, query, *size, *secret, filters, page.cursor,
      [](QueryRepository& repo, const ShipmentListQuery& q) { return repo.ListShipments(q); },
      [sort](const domain::Shipment& shipment) {
        int64_t at = sort == SortTime::kShipped   ? shipment.shipped_at.value_or(0)
                     : sort == SortTime::kUpdated ? shipment.updated_at
                                                  : shipment.created_at;
        return Keyset{at, shipment.id};
      });
}

}  // namespace shipline::app
