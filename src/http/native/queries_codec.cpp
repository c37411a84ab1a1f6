#include "http/native/queries_codec.hpp"

#include <charconv>
#include <map>
#include <set>

#include "http/iso_time.hpp"
#include "http/json_io.hpp"
#include "http/native/native_errors.hpp"
#include "http/native/order_json.hpp"

namespace shipline::http::native {

namespace {

constexpr size_t kMaxRepeats = 16;

// How long a list's parameter may be, by the kind of text it filters on
// (domain/text_limits.hpp; the OpenAPI document declares the same).
size_t MaxValueBytes(std::string_view name) {
  using domain::TextKind;
  if (name == "email") return domain::MaxTextBytes(TextKind::kEmail);
  if (name == "cursor") return domain::MaxTextBytes(TextKind::kNote);
  if (name == "status" || name.ends_with("From") || name.ends_with("To")) {
    return domain::MaxTextBytes(TextKind::kCode);
  }
  return domain::MaxTextBytes(TextKind::kId);  // store, number, order, carrier, tracking
}

// A request's query parameters, checked against the names a list knows:
// `repeatable` ones may come several times, `single` ones once.
class Parameters {
 public:
  Parameters(const Request& request, const std::set<std::string_view>& single,
             const std::set<std::string_view>& repeatable) {
    for (const auto& [name, value] : request.query) {
      if (!error_.empty()) return;
      bool once = single.contains(name);
      if (!once && !repeatable.contains(name)) {
        Fail(name, name + " is not a parameter of this list");
      } else if (value.empty() || value.size() > MaxValueBytes(name)) {
        Fail(name, name + " must hold 1 to " + std::to_string(MaxValueBytes(name)) + " bytes");
      } else if (values_[name].size() >= (once ? 1 : kMaxRepeats)) {
        Fail(name, once ? name + " may be given once" : name + " may be given at most 16 times");
      } else {
        values_[name].push_back(value);
      }
    }
  }

  Status status() const {
    if (error_.empty()) return Ok();
    return Error::Invalid(error_, field_);
  }

  std::optional<std::string> Text(const std::string& name) const {
    auto found = values_.find(name);
    if (found == values_.end()) return std::nullopt;
    return found->second.front();
  }
  std::vector<std::string> All(const std::string& name) const {
    auto found = values_.find(name);
    return found == values_.end() ? std::vector<std::string>() : found->second;
  }

  Result<std::optional<int64_t>> Time(const std::string& name) const {
    auto text = Text(name);
    if (!text) return std::optional<int64_t>();
    auto millis = ParseIsoTime(*text);
    if (!millis) {
      return Error::Invalid(name + " must be an ISO 8601 time, e.g. 2026-01-31T12:00:00Z", name);
    }
    return std::optional<int64_t>(*millis);
  }

  Result<app::TimeRange> Range(const std::string& from, const std::string& to) const {
    auto start = Time(from);
    if (!start) return std::move(start).error();
    auto end = Time(to);
    if (!end) return std::move(end).error();
    return app::TimeRange{*start, *end};
  }

  Result<app::PageRequest> Page() const {
    app::PageRequest page;
    page.cursor = Text("cursor").value_or("");
    if (auto text = Text("limit")) {
      int64_t value = 0;
      auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
      if (ec != std::errc() || end != text->data() + text->size()) {
        return Error::Invalid("limit must be an integer between 1 and 500", "limit");
      }
      page.limit = value;
    }
    return page;
  }

 private:
  void Fail(const std::string& field, std::string message) {
    field_ = field;
    error_ = std::move(message);
  }

  std::map<std::string, std::vector<std::string>, std::less<>> values_;
  std::string field_;
  std::string error_;
};

// Each statuses' value parsed by `parse`, or a 400 naming "status".
template <typename T, typename Parse>
Result<std::vector<T>> Statuses(const Parameters& parameters, Parse parse,
                                std::string_view allowed) {
  std::vector<T> out;
  for (const auto& name : parameters.All("status")) {
    auto parsed = parse(name);
    if (!parsed) {
      return Error::Invalid("status " + name + " is unknown; use " + std::string(allowed),
                            "status");
    }
    out.push_back(*parsed);
  }
  return out;
}

// {"<name>": [rows], "next": cursor|null}. Each row is serialized as soon as
// it is built, into a body reserved for the page, so no tree of the whole
// page is held or torn down and the body does not grow by copies.
template <typename Row, typename ToJson>
Response PageResponse(std::string_view name, const app::Page<Row>& page, ToJson to_json,
                      size_t row_bytes) {
  Response response;
  std::string& text = response.body;
  text.reserve(page.rows.size() * row_bytes + 256);
  text += "{\"";
  text += name;
  text += "\":[";
  for (const auto& row : page.rows) {
    if (&row != &page.rows.front()) text += ',';
    text += json::serialize(to_json(row));
  }
  text += "],\"next\":";
  text += page.next ? json::serialize(json::value(*page.next)) : std::string("null");
  text += '}';
  return response;
}

Response ListOrders(app::OrderQueries& queries, Request& request) {
  Parameters parameters(request,
                        {"store", "email", "number", "createdFrom", "createdTo", "updatedFrom",
                         "updatedTo", "limit", "cursor"},
                        {"status"});
  if (Status ok = parameters.status(); !ok) return ErrorResponse(request, ok.error());
  app::OrderFilter filter;
  auto states = Statuses<domain::ShippingState>(parameters, domain::ParseShippingState,
                                                "unshipped, partially_shipped, shipped, cancelled");
  if (!states) return ErrorResponse(request, states.error());
  filter.states = std::move(*states);
  filter.store = parameters.Text("store");
  filter.email = parameters.Text("email");
  filter.number_prefix = parameters.Text("number");
  auto created = parameters.Range("createdFrom", "createdTo");
  if (!created) return ErrorResponse(request, created.error());
  filter.created = *created;
  auto updated = parameters.Range("updatedFrom", "updatedTo");
  if (!updated) return ErrorResponse(request, updated.error());
  filter.updated = *updated;
  auto page = parameters.Page();
  if (!page) return ErrorResponse(request, page.error());

  auto found = queries.ListOrders(request.actor, filter, *page);
  if (!found) return ErrorResponse(request, found.error());
  return PageResponse("orders", *found, OrderToJson, 2048);
}

Response ListShipments(app::OrderQueries& queries, Request& request) {
  Parameters parameters(request,
                        {"carrier", "tracking", "order", "shippedFrom", "shippedTo", "updatedFrom",
                         "updatedTo", "limit", "cursor"},
                        {"status"});
  if (Status ok = parameters.status(); !ok) return ErrorResponse(request, ok.error());
  app::ShipmentFilter filter;
  auto statuses = Statuses<domain::ShipmentStatus>(
      parameters, domain::ParseShipmentStatus, "PENDING, RELEASED, SHIPPED, DELIVERED, CANCELLED");
  if (!statuses) return ErrorResponse(request, statuses.error());
  filter.statuses = std::move(*statuses);
  filter.carrier = parameters.Text("carrier");
  filter.tracking = parameters.Text("tracking");
  filter.order = parameters.Text("order");
  auto shipped = parameters.Range("shippedFrom", "shippedTo");
  if (!shipped) return ErrorResponse(request, shipped.error());
  filter.shipped = *shipped;
  auto updated = parameters.Range("updatedFrom", "updatedTo");
  if (!updated) return ErrorResponse(request, updated.error());
  filter.updated = *updated;
  auto page = parameters.Page();
  if (!page) return ErrorResponse(request, page.error());

  auto found = queries.ListShipments(request.actor, filter, *page);
  if (!found) return ErrorResponse(request, found.error());
  return PageResponse("shipments", *found, ShipmentToJson, 1024);
}

}  // namespace

void AddQueryRoutes(Router& router, app::OrderQueries& queries) {
  router.Add({"GET", "/api/v1/orders", true,
              [&queries](Request& request) { return ListOrders(queries, request); }, NativeError});
  router.Add({"GET", "/api/v1/shipments", true,
              [&queries](Request& request) { return ListShipments(queries, request); },
              NativeError});
}

}  // namespace shipline::http::native
