// The 3PL shipment notification (seed 002): the outbound payload field by
// field, the inbound parser, and applying notifications exactly once.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "app/webhooks/webhook_repository.hpp"
#include "http/iso_time.hpp"
#include "http/threepl/shipment_notification_json.hpp"
#include "support/test_world.hpp"

namespace shipline {
namespace {

namespace json = boost::json;
using app::threepl::NotificationOutcome;
using app::threepl::ShipmentNotificationCommand;

constexpr int64_t kOrderedAt = 1'795'000'000'000;  // 2026-11-18T...
constexpr int64_t kShippedAt = 1'795'100'000'000;

json::object Format(const app::webhooks::ShipmentSnapshot& snapshot) {
  http::threepl::ShipmentNotificationJson formatter(domain::CarrierRegistry::BuiltIn());
  return json::parse(formatter.Format(snapshot)).as_object();
}

// Seed 002's example: 2 bundles of 1 A + 1 B ordered; the shipment holds 1 A
// and 2 B, so one whole bundle is fulfilled. A plain item rides along.
app::webhooks::ShipmentSnapshot BundleSnapshot() {
  app::webhooks::ShipmentSnapshot s;
  s.order.order_number = "200001";
  s.order.store = "main";
  s.order.currency = "USD";
  s.order.created_at = kOrderedAt;
  s.order.customer = {"Ada Lovelace", "ada@example.com"};
  s.order.shipping_address = {"Ada", "1 Main St", "Flat 2", "London", "LDN", "N1", "GB", "+44 1"};
  domain::LineItem kit{1, "KIT", "Starter kit", 2, 2500};
  kit.components = {{"A", 1}, {"B", 1}};
  s.order.line_items = {kit, domain::LineItem{2, "C", "Cable", 3, 199}};
  s.shipment.id = 10;
  s.shipment.shipment_number = "200001-1";
  s.shipment.order_number = "200001";
  s.shipment.status = domain::ShipmentStatus::kShipped;
  s.shipment.items = {{1, "A", 1, "KIT"}, {1, "B", 2, "KIT"}, {2, "C", 3, ""}};
  s.shipment.carrier = "Canada Post";
  s.shipment.carrier_code = "canada_post";
  s.shipment.tracking_number = "1234567890123456";
  s.shipment.service = "Expedited";
  s.shipment.shipped_at = kShippedAt;
  return s;
}

TEST(ThreePlPayload, BundleOrderFieldByField) {
  json::object p = Format(BundleSnapshot());
  EXPECT_EQ(p["order_key"], "200001");
  EXPECT_EQ(p["order_number"], "200001");
  EXPECT_EQ(p["shipment_number"], "200001-1");
  EXPECT_EQ(p["store"], "main");
  EXPECT_EQ(p["carrier"], "CanadaPost");  // the seed's spelling
  EXPECT_EQ(p["service"], "Expedited");
  EXPECT_EQ(p["tracking_number"], "1234567890123456");
  EXPECT_EQ(p["ordered_at"], json::value(app::FormatIsoTime(kOrderedAt)));
  EXPECT_EQ(p["shipped_at"], json::value(app::FormatIsoTime(kShippedAt)));
  EXPECT_EQ(p["extra_data"], json::array());
  EXPECT_EQ(p["pallets"], json::array());
  ASSERT_TRUE(p["ship_from"].is_object());  // never null; the snapshot's address
  EXPECT_TRUE(p["ship_from"].as_object().at("address1").is_null());
  EXPECT_EQ(p["routing"], (json::object{{"carrier", "CanadaPost"}, {"service", "Expedited"}}));

  const json::array& items = p["items"].as_array();
  ASSERT_EQ(items.size(), 2u);
  const json::object& kit = items[0].as_object();
  EXPECT_EQ(kit.at("sku"), "KIT");
  EXPECT_EQ(kit.at("name"), "Starter kit");
  EXPECT_EQ(kit.at("ordered_quantity"), 2);
  EXPECT_EQ(kit.at("fulfilled_quantity"), 1);  // 1 A + 2 B make one whole bundle
  EXPECT_DOUBLE_EQ(kit.at("price").to_number<double>(), 25.0);
  EXPECT_EQ(kit.at("currency"), "USD");
  EXPECT_EQ(kit.at("custom_data"), json::array());
  EXPECT_EQ(kit.at("serial_numbers"), json::array());
  json::object parts{
      {"A", {{"quantity_per_bundle", 1}, {"ordered_quantity", 2}, {"fulfilled_quantity", 1}}},
      {"B", {{"quantity_per_bundle", 1}, {"ordered_quantity", 2}, {"fulfilled_quantity", 2}}}};
  EXPECT_EQ(kit.at("order_parts"), parts);
  const json::object& cable = items[1].as_object();
  EXPECT_EQ(cable.at("sku"), "C");
  EXPECT_EQ(cable.at("ordered_quantity"), 3);
  EXPECT_EQ(cable.at("fulfilled_quantity"), 3);
  EXPECT_DOUBLE_EQ(cable.at("price").to_number<double>(), 1.99);
  EXPECT_EQ(cable.at("order_parts"), json::object());

  // No packages were listed: the shipment is one package with its tracking.
  const json::array& packages = p["packages"].as_array();
  ASSERT_EQ(packages.size(), 1u);
  const json::object& only = packages[0].as_object();
  EXPECT_EQ(only.at("tracking_number"), "1234567890123456");
  EXPECT_EQ(only.at("carrier"), "CanadaPost");
  EXPECT_EQ(only.at("service"), "Expedited");
  EXPECT_NE(only.at("tracking_url").as_string().find("1234567890123456"), json::string::npos);
  EXPECT_TRUE(only.at("weight").is_null());

  json::object ship_to{{"name", "Ada"},
                       {"company", nullptr},
                       {"address1", "1 Main St"},
                       {"address2", "Flat 2"},
                       {"city", "London"},
                       {"state", "LDN"},
                       {"zip", "N1"},
                       {"country", "GB"},
                       {"phone", "+44 1"},
                       {"email", "ada@example.com"}};
  EXPECT_EQ(p["ship_to"], ship_to);
}

TEST(ThreePlPayload, MultiPackageShipmentListsEveryPackageInOneNotification) {
  auto snapshot = BundleSnapshot();
  domain::Package first;
  first.tracking_number = "1Z999AA10123456784";
  first.carrier = "UPS";
  first.service = "Ground";
  first.weight = 2.5;
  first.weight_unit = "lb";
  first.length = 10;
  first.width = 8;
  first.height = 4.25;
  first.dimension_unit = "in";
  first.shipped_at = kShippedAt;
  domain::Package second;
  second.tracking_number = "my-own-carrier-77";
  second.carrier = "Bob's Freight";
  second.tracking_url = "https://bobs.example/t/77";
  snapshot.packages = {first, second};
  json::object p = Format(snapshot);
  const json::array& packages = p["packages"].as_array();
  ASSERT_EQ(packages.size(), 2u);
  json::object expected_first{
      {"tracking_number", "1Z999AA10123456784"},
      {"tracking_url", "https://www.ups.com/track?tracknum=1Z999AA10123456784"},
      {"carrier", "UPS"},
      {"service", "Ground"},
      {"weight", 2.5},
      {"weight_unit", "lb"},
      {"length", 10},
      {"width", 8},
      {"height", 4.25},
      {"dimension_unit", "in"},
      {"shipped_at", app::FormatIsoTime(kShippedAt)}};
  EXPECT_EQ(packages[0], expected_first);
  const json::object& other = packages[1].as_object();
  EXPECT_EQ(other.at("carrier"), "Bob's Freight");  // unknown carriers pass through
  EXPECT_EQ(other.at("tracking_url"), "https://bobs.example/t/77");
  EXPECT_EQ(other.at("service"), "Expedited");  // the shipment's when the package has none
  EXPECT_EQ(p["tracking_number"], "1Z999AA10123456784");
}

TEST(ThreePlPayload, NumbersAreWrittenAsPlainDecimals) {
  http::threepl::ShipmentNotificationJson formatter(domain::CarrierRegistry::BuiltIn());
  std::string text = formatter.Format(BundleSnapshot());
  EXPECT_NE(text.find(R"("price":25)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("price":1.99)"), std::string::npos) << text;
  EXPECT_EQ(text.find("E1"), std::string::npos) << text;
}

TEST(ThreePlPayload, ParsesAnInboundNotification) {
  auto parsed = http::threepl::ParseShipmentNotification(R"({
    "order_key": "200001", "carrier": "CanadaPost", "shipped_at": "2026-11-22T05:18:00-05:00",
    "items": [{"sku": "A", "fulfilled_quantity": 1, "ordered_quantity": 2, "custom_data": []}],
    "packages": [{"tracking_number": "T1", "weight": 1.5, "weight_unit": "kg", "length": 3},
                 {"tracking_number": "T2", "carrier": "DHL Express"},
                 {"tracking_number": "T1"}],
    "pallets": [], "ship_to": {"name": "Ada"}})");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->order_number, "200001");
  EXPECT_EQ(parsed->carrier, "CanadaPost");
  EXPECT_EQ(parsed->shipped_at, *http::ParseIsoTime("2026-11-22T10:18:00Z"));
  ASSERT_EQ(parsed->packages.size(), 2u);  // a repeated package counts once
  EXPECT_EQ(parsed->packages[0].weight, 1.5);
  EXPECT_EQ(parsed->packages[0].length, 3.0);
  EXPECT_EQ(parsed->packages[1].carrier, "DHL Express");
  ASSERT_EQ(parsed->items.size(), 1u);
  EXPECT_EQ(parsed->items[0].quantity, 1);
}

TEST(ThreePlPayload, RejectsMalformedNotificationsNamingTheField) {
  struct Case {
    const char* body;
    const char* field;
  };
  for (const Case& c :
       {Case{R"({})", "order_number"}, Case{R"({"order_number": 7})", "order_number"},
        Case{R"({"order_number": "1", "packages": [{}]})", "packages[0].tracking_number"},
        Case{R"({"order_number": "1", "packages": [{"tracking_number": "T",
                                 "weight": "heavy"}]})",
             "packages[0].weight"},
        Case{R"({"order_number": "1", "items": [{"sku": "A"}]})", "items[0].fulfilled_quantity"},
        Case{R"({"order_number": "1", "shipped_at": "yesterday"})", "shipped_at"}}) {
    auto parsed = http::threepl::ParseShipmentNotification(c.body);
    ASSERT_FALSE(parsed.ok()) << c.body;
    EXPECT_EQ(parsed.error().field, c.field) << c.body;
  }
  EXPECT_FALSE(http::threepl::ParseShipmentNotification("not json").ok());
}

TEST(IsoTime, ParsesTheFormsClientsSend) {
  EXPECT_EQ(http::ParseIsoTime("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(http::ParseIsoTime("2026-11-22T05:18:00.000Z"),
            *http::ParseIsoTime("2026-11-22T05:18:00Z"));
  EXPECT_EQ(http::ParseIsoTime("2022-05-01T11:43:16-04:00"),
            http::ParseIsoTime("2022-05-01T15:43:16Z"));
  EXPECT_EQ(http::ParseIsoTime("2022-05-01T11:43:16.5+0100"),
            http::ParseIsoTime("2022-05-01T10:43:16.500Z"));
  EXPECT_EQ(http::ParseIsoTime("2024-02-29"), http::ParseIsoTime("2024-02-29T00:00:00Z"));
  for (const char* bad : {"", "2023-02-29", "2026-13-01", "2026-11-22T25:00:00Z", "2026-11-22Tx",
                          "2026-11-22T05:18:00Zjunk", "22/11/2026"}) {
    EXPECT_FALSE(http::ParseIsoTime(bad).has_value()) << bad;
  }
}

class ThreePlInboundTest : public ::testing::Test {
 protected:
  void SetUp() override {
    actor_ = world_.Tenant();
    auto created = world_.threepl_connections.Create(actor_, "ShipMonk FL1");
    ASSERT_TRUE(created.ok());
    connection_ = created->connection;
    password_ = created->password;
  }

  app::threepl::NotificationResult Receive(const std::string& body) {
    auto parsed = http::threepl::ParseShipmentNotification(body);
    auto result = world_.threepl_notifications.Receive(connection_, body, parsed, "req-1");
    EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().detail);
    return *result;
  }

  int ShippedEvents() {
    int count = 0;
    auto events = world_.orders.Events(actor_, 0, 1000);
    EXPECT_TRUE(events.ok());
    for (const auto& event : *events) {
      count += event.type == "order-shipment-shipped" ? 1 : 0;
    }
    return count;
  }

  std::vector<domain::Package> PackagesOf(const std::string& shipment_number) {
    std::vector<domain::Package> out;
    EXPECT_TRUE(world_.store
                    ->Read([&](app::StoreReader& reader) -> Status {
                      auto shipment =
                          reader.Orders().FindShipment(actor_.tenant_id, shipment_number);
                      if (!shipment.ok() || !*shipment) return Error::Internal("no shipment");
                      auto packages = reader.ThreePl().ListPackages((*shipment)->id);
                      if (!packages) return std::move(packages).error();
                      out = *packages;
                      return Ok();
                    })
                    .ok());
    return out;
  }

  static constexpr const char* kTwoPackages = R"({"order_number": "100001",
      "items": [{"sku": "A", "fulfilled_quantity": 2}],
      "packages": [{"tracking_number": "1Z999AA10123456784", "carrier": "UPS", "weight": 1.25},
                   {"tracking_number": "1Z999AA10123456795", "carrier": "UPS"}]})";

  test::World world_;
  app::Actor actor_;
  app::threepl::Connection connection_;
  std::string password_;
};

TEST_F(ThreePlInboundTest, ConnectionsAuthenticateWithTheirPasswordUntilRevoked) {
  EXPECT_TRUE(connection_.username.starts_with("3pl_"));
  auto found = world_.threepl_connections.Authenticate(connection_.username, password_);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->tenant_id, actor_.tenant_id);
  EXPECT_EQ(
      world_.threepl_connections.Authenticate(connection_.username, password_ + "x").error().code,
      ErrorCode::kUnauthenticated);
  EXPECT_EQ(world_.threepl_connections.Authenticate("3pl_nobody", password_).error().code,
            ErrorCode::kUnauthenticated);
  ASSERT_TRUE(world_.threepl_connections.Revoke(actor_, connection_.id).ok());
  EXPECT_EQ(world_.threepl_connections.Authenticate(connection_.username, password_).error().code,
            ErrorCode::kUnauthenticated);
}

TEST_F(ThreePlInboundTest, ANotificationCompletesItsShipmentOnceEvenWhenSentTwice) {
  ASSERT_TRUE(world_.orders.Create(actor_, test::SampleOrder("100001")).ok());
  auto first = Receive(kTwoPackages);
  EXPECT_EQ(first.outcome, NotificationOutcome::kApplied);
  EXPECT_EQ(first.shipment_number, "100001-1");
  EXPECT_EQ(first.packages_added, 2);
  EXPECT_NE(first.notification_id, 0);
  auto shipment = world_.orders.GetShipment(actor_, "100001-1");
  EXPECT_EQ(shipment->status, domain::ShipmentStatus::kShipped);
  EXPECT_EQ(shipment->tracking_number, "1Z999AA10123456784");
  EXPECT_EQ(PackagesOf("100001-1").size(), 2u);
  EXPECT_EQ(PackagesOf("100001-1")[0].weight, 1.25);
  EXPECT_EQ(world_.payments.Count(), 1u);
  EXPECT_EQ(ShippedEvents(), 1);

  auto again = Receive(kTwoPackages);
  EXPECT_EQ(again.outcome, NotificationOutcome::kAlreadyApplied);
  EXPECT_EQ(again.notification_id, 0);
  EXPECT_EQ(world_.payments.Count(), 1u);
  EXPECT_EQ(ShippedEvents(), 1);
  EXPECT_EQ(world_.threepl_notifications.List(actor_, std::nullopt, 0, 100)->size(), 1u);

  // A later notification with one more package records it, and nothing else.
  auto later = Receive(R"({"order_number": "100001", "packages": [
      {"tracking_number": "1Z999AA10123456784"}, {"tracking_number": "1Z999AA10123456806"}]})");
  EXPECT_EQ(later.outcome, NotificationOutcome::kApplied);
  EXPECT_EQ(later.packages_added, 1);
  EXPECT_EQ(PackagesOf("100001-1").size(), 3u);
  EXPECT_EQ(ShippedEvents(), 1);
}

TEST_F(ThreePlInboundTest, APendingShipmentIsReleasedOnTheWay) {
  ASSERT_TRUE(
      world_.orders.Create(actor_, test::SampleOrder("100001", domain::ShipmentStatus::kPending))
          .ok());
  auto result = Receive(kTwoPackages);
  EXPECT_EQ(result.outcome, NotificationOutcome::kApplied)
      << (result.rejection ? result.rejection->message : "");
  EXPECT_EQ(world_.orders.GetShipment(actor_, "100001-1")->status,
            domain::ShipmentStatus::kShipped);
}

TEST_F(ThreePlInboundTest, UnappliableNotificationsAreKeptOnceAndCanBeReplayed) {
  auto unknown = Receive(kTwoPackages);
  ASSERT_EQ(unknown.outcome, NotificationOutcome::kRejected);
  EXPECT_EQ(unknown.rejection->code, ErrorCode::kNotFound);
  auto retried = Receive(kTwoPackages);  // the 3PL retries: still one row
  EXPECT_EQ(retried.notification_id, unknown.notification_id);
  auto kept = world_.threepl_notifications.List(actor_, app::threepl::NotificationStatus::kRejected,
                                                0, 100);
  ASSERT_EQ(kept->size(), 1u);
  EXPECT_EQ(kept->front().times_received, 2);
  EXPECT_EQ(kept->front().error_code, "NOT_FOUND");
  EXPECT_NE(kept->front().reason.find("Order not found"), std::string::npos);

  // The order arrives late; the operator replays.
  ASSERT_TRUE(world_.orders.Create(actor_, test::SampleOrder("100001")).ok());
  auto replayed = world_.threepl_notifications.Replay(
      actor_, unknown.notification_id,
      [](std::string_view body) { return http::threepl::ParseShipmentNotification(body); });
  ASSERT_TRUE(replayed.ok());
  EXPECT_EQ(replayed->outcome, NotificationOutcome::kApplied);
  EXPECT_EQ(world_.threepl_notifications.Get(actor_, unknown.notification_id)->status,
            app::threepl::NotificationStatus::kApplied);
  EXPECT_EQ(world_.threepl_notifications
                .Replay(actor_, unknown.notification_id,
                        [](std::string_view body) {
                          return http::threepl::ParseShipmentNotification(body);
                        })
                .error()
                .code,
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(ShippedEvents(), 1);
}

TEST_F(ThreePlInboundTest, QuantitiesBeyondTheOrderAndUnknownSkusAreRejected) {
  ASSERT_TRUE(world_.orders.Create(actor_, test::SampleOrder("100001")).ok());
  auto too_many = Receive(R"({"order_number": "100001",
      "items": [{"sku": "A", "fulfilled_quantity": 3}], "packages": [{"tracking_number": "T"}]})");
  ASSERT_EQ(too_many.outcome, NotificationOutcome::kRejected);
  EXPECT_EQ(too_many.rejection->code, ErrorCode::kInvalidArgument);
  EXPECT_NE(too_many.rejection->message.find("beyond the order"), std::string::npos);
  auto stranger = Receive(R"({"order_number": "100001",
      "items": [{"sku": "ZZ", "fulfilled_quantity": 1}]})");
  ASSERT_EQ(stranger.outcome, NotificationOutcome::kRejected);
  EXPECT_EQ(stranger.rejection->field, "items[0].sku");
  auto malformed = Receive(R"({"packages": []})");
  ASSERT_EQ(malformed.outcome, NotificationOutcome::kRejected);
  EXPECT_EQ(world_.orders.GetShipment(actor_, "100001-1")->status,
            domain::ShipmentStatus::kReleased);
  EXPECT_EQ(world_.payments.Count(), 0u);
  EXPECT_EQ(world_.threepl_notifications.List(actor_, std::nullopt, 0, 100)->size(), 3u);
}

}  // namespace
}  // namespace shipline
