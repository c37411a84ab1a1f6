#include "app/shipping_orders/shipping_order_list.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

#include "app/base64url.hpp"
#include "app/shipping_orders/shipping_order_repository.hpp"

namespace shipline::app {

namespace {

// A token: direction, the key it starts from, the lastUpdatedAt window the
// first page resolved, and the creation bound of the default window (the last
// 24 hours' orders), so that later pages keep them.
struct Token {
  bool forward = true;
  ListKey key;
  std::optional<int64_t> from;
  std::optional<int64_t> to;
  std::optional<int64_t> created_from;
};

std::string Field(const std::optional<int64_t>& v) { return v ? std::to_string(*v) : "-"; }

std::string Encode(const Token& t) {
  return Base64Url(std::string("v1:") + (t.forward ? "n" : "p") + ":" +
                   std::to_string(t.key.last_updated_at) + ":" + std::to_string(t.key.id) + ":" +
                   Field(t.from) + ":" + Field(t.to) + ":" + Field(t.created_from));
}

std::optional<Token> Decode(const std::string& text) {
  auto raw = FromBase64Url(text);
  if (!raw) return std::nullopt;
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t end = raw->find(':', start);
    parts.push_back(raw->substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  // Tokens of six fields predate the creation bound.
  if ((parts.size() != 6 && parts.size() != 7) || parts[0] != "v1" ||
      (parts[1] != "n" && parts[1] != "p")) {
    return std::nullopt;
  }
  auto number = [](const std::string& s) -> std::optional<int64_t> {
    int64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
  };
  Token t;
  t.forward = parts[1] == "n";
  auto ts = number(parts[2]);
  auto id = number(parts[3]);
  // Ids are positive and a page's edge is probed at id - 1 and id + 1: a
  // token is a client's text, and INT64_MIN or INT64_MAX there overflowed
  // (found by fuzz/pagination.cpp).
  if (!ts || !id || *id <= 0 || *id == std::numeric_limits<int64_t>::max()) return std::nullopt;
  t.key = {*ts, *id};
  if (parts[4] != "-") {
    t.from = number(parts[4]);
    if (!t.from) return std::nullopt;
  }
  if (parts[5] != "-") {
    t.to = number(parts[5]);
    if (!t.to) return std::nullopt;
  }
  if (parts.size() == 7 && parts[6] != "-") {
    t.created_from = number(parts[6]);
    if (!t.created_from) return std::nullopt;
  }
  return t;
}

Error Invalid(std::string message) {
  return Error::Of(ErrorReason::kInvalidValue, std::move(message));
}

// The query with its keyset bound also as a range on last_updated_at (rows
// after (u, id) were updated at u or later): an index walk starts at the
// range's end, while the row comparison alone is checked row by row from the
// window's start, so deep pages and the probes would cost ever more.
ShippingOrderQuery Bounded(ShippingOrderQuery q) {
  auto& window = q.last_updated;
  if (q.after) {
    window.starts_at =
        std::max(window.starts_at.value_or(q.after->last_updated_at), q.after->last_updated_at);
  }
  if (q.before) {
    window.ends_at =
        std::min(window.ends_at.value_or(q.before->last_updated_at), q.before->last_updated_at);
  }
  return q;
}

}  // namespace

Result<ListPage> ListShippingOrders(Store& store, Clock& clock, const Actor& actor,
                                    const ListRequest& request) {
  if (request.external_ids.size() > kMaxListIds) {
    return Invalid("Invalid Data: orderExternalIds may hold at most 100 ids");
  }
  if (request.location_ids.size() > kMaxListIds) {
    return Invalid("Invalid Data: locationExternalIds may hold at most 100 ids");
  }
  int limit = kMaxListLimit;
  if (request.limit) {
    if (*request.limit < 1 || *request.limit > kMaxListLimit) {
      return Invalid("Invalid Data: limit must be between 1 and 1000");
    }
    limit = static_cast<int>(*request.limit);
  }
  if (request.pickup_from.has_value() != request.delivery_until.has_value()) {
    return Invalid(
        "Invalid Data: pickupTime.startsAt and deliveryTime.endsAt must be given together");
  }

  int64_t now = clock.NowMillis();
  ShippingOrderQuery query;
  query.tenant_id = actor.tenant_id;
  query.external_ids = request.external_ids;
  query.location_ids = request.location_ids;
  query.statuses = request.statuses;
  query.group_id = request.group_id;
  if (request.created) query.created = *request.created;
  query.pickup_from = request.pickup_from;
  query.delivery_until = request.delivery_until;

  std::optional<Token> token;
  bool default_window = false;  // no window given: the last 24 hours' orders
  if (!request.token.empty()) {
    token = Decode(request.token);
    if (!token) return Invalid("Invalid Data: paginationToken is not valid");
    query.last_updated = {token->from, token->to};
    if (token->created_from) {
      default_window = true;
      query.created.starts_at =
          std::max(query.created.starts_at.value_or(*token->created_from), *token->created_from);
    }
  } else if (request.last_updated) {
    domain::TimeWindow window = *request.last_updated;
    if (!window.starts_at) {
      window.starts_at = window.ends_at.value_or(now) - kDefaultWindowMillis;
    }
    if (window.ends_at && *window.ends_at < *window.starts_at) {
      return Invalid("Invalid Data: lastUpdatedAt.startsAt must not be after endsAt");
    }
    if (window.ends_at.value_or(now) - *window.starts_at > kMaxUpdatedRangeMillis) {
      return Invalid("Invalid Data: lastUpdatedAt date range cannot be greater than 30 days");
    }
    query.last_updated = window;
  } else if (!request.created && !request.pickup_from && request.external_ids.empty()) {
    // "By default, the shipments placed within the last 24 hours": a window on
    // creation; the same bound on lastUpdatedAt (never before creation) lets
    // the index narrow the walk.
    query.created.starts_at = now - kDefaultWindowMillis;
    query.last_updated.starts_at = query.created.starts_at;
    default_window = true;
  } else if (request.created && request.created->starts_at) {
    // An order is never updated before it was created: a bound the index can use.
    query.last_updated.starts_at = request.created->starts_at;
  }
  if (query.created.starts_at && query.created.ends_at &&
      *query.created.starts_at > *query.created.ends_at) {
    return Invalid("Invalid Data: createdAt.startsAt must not be after endsAt");
  }

  bool forward = !token || token->forward;
  if (token) (forward ? query.after : query.before) = token->key;
  query.limit = limit + 1;
  ListPage page;
  bool more = false;
  bool earlier = false;  // something precedes the page's first row
  bool later = false;    // something follows the page's last row
  Status read = store.Read([&](StoreReader& reader) -> Status {
    auto& repo = reader.ShippingOrders();
    auto rows = repo.List(Bounded(query));
    if (!rows) return std::move(rows).error();
    page.orders = std::move(*rows);
    more = page.orders.size() > static_cast<size_t>(limit);
    if (more) page.orders.resize(static_cast<size_t>(limit));
    if (!forward) std::reverse(page.orders.begin(), page.orders.end());
    // The side the client came from: is there still anything there?
    ShippingOrderQuery probe = query;
    probe.limit = 1;
    probe.after.reset();
    probe.before.reset();
    if (page.orders.empty()) {
      if (!token) return Ok();
      if (forward) {
        probe.before = ListKey{token->key.last_updated_at, token->key.id + 1};
      } else {
        probe.after = ListKey{token->key.last_updated_at, token->key.id - 1};
      }
    } else if (forward) {
      if (!token) return Ok();
      probe.before = ListKey{page.orders.front().last_updated_at, page.orders.front().id};
    } else {
      probe.after = ListKey{page.orders.back().last_updated_at, page.orders.back().id};
    }
    auto found = repo.List(Bounded(probe));
    if (!found) return std::move(found).error();
    (forward ? earlier : later) = !found->empty();
    return Ok();
  });
  if (!read) return std::move(read).error();
  if (forward) {
    later = more;
  } else {
    earlier = more;
  }
  Token base{true,
             {},
             query.last_updated.starts_at,
             query.last_updated.ends_at,
             default_window ? query.created.starts_at : std::nullopt};
  if (page.orders.empty()) {
    if (earlier) {
      Token t = base;
      t.forward = false;
      t.key = {token->key.last_updated_at, token->key.id + 1};
      page.previous = Encode(t);
    }
    if (later) {
      Token t = base;
      t.key = {token->key.last_updated_at, token->key.id - 1};
      page.next = Encode(t);
    }
    return page;
  }
  if (later) {
    Token t = base;
    t.key = {page.orders.back().last_updated_at, page.orders.back().id};
    page.next = Encode(t);
  }
  if (earlier) {
    Token t = base;
    t.forward = false;
    t.key = {page.orders.front().last_updated_at, page.orders.front().id};
    page.previous = Encode(t);
  }
  return page;
}

}  // namespace shipline::app
