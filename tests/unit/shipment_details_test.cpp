// The completion command's details (carrier resolution, warnings, service,
// packages, internal comment, capture, good-to-go, the email decision) and
// the use cases that add shipments, update tracking and keep store settings.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "app/event_payloads.hpp"
#include "support/test_world.hpp"

namespace shipline {
namespace {

using domain::ShipmentStatus;

class ShipmentDetailsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    actor_ = world_.Tenant();
    domain::Order order = test::SampleOrder("100001");
    order.shipments[0].internal_comment = "Picked by Ann";
    ASSERT_TRUE(world_.orders.Create(actor_, order).ok());
  }

  std::vector<domain::Event> Events(std::string_view type) {
    auto events = world_.orders.Events(actor_, 0, 1000);
    EXPECT_TRUE(events.ok());
    std::vector<domain::Event> out;
    if (!events.ok()) return out;
    for (const auto& event : *events) {
      if (event.type == type) out.push_back(event);
    }
    return out;
  }

  domain::Shipment Shipment(const std::string& number) {
    auto shipment = world_.orders.GetShipment(actor_, number);
    EXPECT_TRUE(shipment.ok());
    return shipment.ok() ? *shipment : domain::Shipment{};
  }

  Status SetSendConfirmation(bool send) {
    app::StorefrontUpdate update;
    update.send_shipping_confirmation = send;
    auto saved = world_.storefronts.Update(actor_, "main", update);
    if (!saved) return saved.error();
    return Ok();
  }

  test::World world_;
  app::Actor actor_;
};

TEST_F(ShipmentDetailsTest, CompletionRecordsEveryDetailAndWarns) {
  app::CompleteShipmentCommand command{"100001-1", "TRTTET5", "Fedex"};
  command.order_number = "100001";
  command.service = "Express";
  command.package_count = 1;
  command.return_tracking_number = "TRTTET6";
  command.internal_comment = "Packed by Bob";
  auto done = world_.complete.Run(actor_, command);
  ASSERT_TRUE(done.ok()) << done.error().message;
  ASSERT_EQ(done->warnings.size(), 1u);
  EXPECT_TRUE(done->send_email);

  domain::Shipment shipment = Shipment("100001-1");
  EXPECT_EQ(shipment.carrier, "FedEx");
  EXPECT_EQ(shipment.carrier_code, "fedex");
  EXPECT_EQ(shipment.tracking_url, "https://www.fedex.com/fedextrack/?trknbr=TRTTET5");
  EXPECT_EQ(shipment.service, "Express");
  EXPECT_EQ(shipment.package_count, 1);
  EXPECT_EQ(shipment.return_tracking_number, "TRTTET6");
  EXPECT_EQ(shipment.internal_comment, "Picked by Ann\nPacked by Bob");
  EXPECT_EQ(done->shipment.internal_comment, shipment.internal_comment);
}

TEST_F(ShipmentDetailsTest, RecognisedCarrierIsRecordedWhenNoneIsNamed) {
  auto done = world_.complete.Run(actor_, {"100001-1", "1Z999AA10123456784", ""});
  ASSERT_TRUE(done.ok());
  EXPECT_TRUE(done->warnings.empty());
  domain::Shipment shipment = Shipment("100001-1");
  EXPECT_EQ(shipment.carrier, "UPS");
  EXPECT_EQ(shipment.carrier_code, "ups");
}

TEST_F(ShipmentDetailsTest, AShipmentOfAnotherOrderIsNotFound) {
  app::CompleteShipmentCommand command{"100001-1", "", ""};
  command.order_number = "100002";
  auto done = world_.complete.Run(actor_, command);
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Shipment("100001-1").status, ShipmentStatus::kReleased);
}

TEST_F(ShipmentDetailsTest, CaptureFalseCapturesNothing) {
  app::CompleteShipmentCommand command{"100001-1", "", ""};
  command.capture = false;
  ASSERT_TRUE(world_.complete.Run(actor_, command).ok());
  EXPECT_EQ(world_.payments.Count(), 0u);
  EXPECT_EQ(world_.orders.Get(actor_, "100001")->payment.amount_captured, 0);
}

TEST_F(ShipmentDetailsTest, GoodToGoReleasesAPendingShipmentFirst) {
  ASSERT_TRUE(
      world_.orders.Create(actor_, test::SampleOrder("100002", ShipmentStatus::kPending)).ok());
  auto refused = world_.complete.Run(actor_, {"100002-1", "", ""});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition);

  app::CompleteShipmentCommand command{"100002-1", "", ""};
  command.release_pending = true;
  ASSERT_TRUE(world_.complete.Run(actor_, command).ok());
  domain::Shipment shipment = Shipment("100002-1");
  ASSERT_EQ(shipment.history.size(), 3u);
  EXPECT_EQ(shipment.history[1].status, "RELEASED");
  EXPECT_EQ(shipment.history[2].status, "SHIPPED");
  EXPECT_EQ(Events(domain::kShipmentStatusChanged).size(), 1u);
}

TEST_F(ShipmentDetailsTest, TheEmailDecisionTravelsOnTheEvent) {
  struct Case {
    bool setting;
    std::optional<bool> send_email;
    bool expected;
  };
  const Case cases[] = {{true, std::nullopt, true}, {false, std::nullopt, false},
                        {true, false, false},       {false, true, true},
                        {true, true, true},         {false, false, false}};
  int n = 0;
  for (const Case& c : cases) {
    ASSERT_TRUE(SetSendConfirmation(c.setting).ok());
    const std::string number = "7000" + std::to_string(++n);
    ASSERT_TRUE(world_.orders.Create(actor_, test::SampleOrder(number)).ok());
    app::CompleteShipmentCommand command{number + "-1", "", ""};
    command.send_email = c.send_email;
    auto done = world_.complete.Run(actor_, command);
    ASSERT_TRUE(done.ok());
    EXPECT_EQ(done->send_email, c.expected) << n;
    auto events = Events(domain::kOrderShipmentShipped);
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(app::WantsCustomerEmail(events.back()), c.expected) << n;
  }
}

// -- CreateShipment ---------------------------------------------------------

TEST_F(ShipmentDetailsTest, AddedShipmentsNeverShipMoreThanOrdered) {
  domain::Order order = test::SampleOrder("300001");
  order.shipments.clear();
  ASSERT_TRUE(world_.orders.Create(actor_, order).ok());
  app::CreateShipmentCommand command;
  command.order_number = "300001";
  command.items = {{0, "A", 1, ""}};
  command.carrier = "ups";
  command.tracking_number = "1Z999AA10123456784";
  auto first = world_.create_shipment.Run(actor_, command);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->shipment.shipment_number, "300001-1");
  EXPECT_EQ(first->shipment.carrier, "UPS");
  EXPECT_EQ(first->shipment.status, ShipmentStatus::kReleased);
  command.items = {{0, "A", 2, ""}};
  auto over = world_.create_shipment.Run(actor_, command);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(over.error().field, "items[0].quantity");
  EXPECT_EQ(world_.orders.Get(actor_, "300001")->shipments.size(), 1u);
}

TEST_F(ShipmentDetailsTest, ConcurrentAdditionsShareTheOrderedQuantity) {
  domain::Order order = test::SampleOrder("300001");
  order.shipments.clear();
  order.line_items[0].quantity = 4;
  ASSERT_TRUE(world_.orders.Create(actor_, order).ok());
  std::atomic<int> created{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 10; ++i) {
    threads.emplace_back([&] {
      app::CreateShipmentCommand command;
      command.order_number = "300001";
      command.items = {{0, "A", 1, ""}};
      if (world_.create_shipment.Run(actor_, command).ok()) ++created;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(created.load(), 4);
  EXPECT_EQ(world_.orders.Get(actor_, "300001")->shipments.size(), 4u);
}

TEST_F(ShipmentDetailsTest, AShipmentThatFailsToShipIsCancelled) {
  domain::Order order = test::SampleOrder("300001");
  order.shipments.clear();
  ASSERT_TRUE(world_.orders.Create(actor_, order).ok());
  world_.payments.fail = true;
  app::CreateShipmentCommand command;
  command.order_id = world_.orders.Get(actor_, "300001")->id;
  command.items = {{0, "A", 2, ""}};
  command.ship = true;
  auto failed = world_.create_shipment.Run(actor_, command);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(Shipment("300001-1").status, ShipmentStatus::kCancelled);

  world_.payments.fail = false;
  auto shipped = world_.create_shipment.Run(actor_, command);
  ASSERT_TRUE(shipped.ok()) << shipped.error().message;
  EXPECT_EQ(shipped->shipment.shipment_number, "300001-2");
  EXPECT_EQ(shipped->shipment.status, ShipmentStatus::kShipped);
  EXPECT_EQ(Events(domain::kOrderShipmentShipped).size(), 1u);
}

// -- UpdateTracking -----------------------------------------------------------

TEST_F(ShipmentDetailsTest, TrackingUpdateWritesOneEventAndRegeneratesTheLink) {
  ASSERT_TRUE(world_.complete.Run(actor_, {"100001-1", "1Z999AA10123456784", ""}).ok());
  app::UpdateTrackingCommand command;
  command.shipment_number = "100001-1";
  command.carrier = "FedEx";
  command.tracking_number = "986578788855";
  command.note = "second box";
  auto updated = world_.update_tracking.Run(actor_, command);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_TRUE(updated->warnings.empty());
  EXPECT_TRUE(updated->send_email);
  domain::Shipment shipment = Shipment("100001-1");
  EXPECT_EQ(shipment.carrier_code, "fedex");
  EXPECT_EQ(shipment.tracking_url, "https://www.fedex.com/fedextrack/?trknbr=986578788855");
  EXPECT_EQ(shipment.note, "second box");
  EXPECT_EQ(shipment.status, ShipmentStatus::kShipped);
  EXPECT_EQ(shipment.internal_comment, "Picked by Ann");
  auto events = Events(domain::kShipmentTrackingUpdated);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(app::WantsCustomerEmail(events[0]));
}

TEST_F(ShipmentDetailsTest, TrackingUpdateBeforeShippingMailsNobody) {
  app::UpdateTrackingCommand command;
  command.shipment_number = "100001-1";
  command.tracking_number = "1Z999AA10123456784";
  auto updated = world_.update_tracking.Run(actor_, command);
  ASSERT_TRUE(updated.ok());
  EXPECT_FALSE(updated->send_email);
  EXPECT_EQ(Shipment("100001-1").carrier, "UPS");
}

TEST_F(ShipmentDetailsTest, TrackingUpdateErrors) {
  app::UpdateTrackingCommand unknown;
  unknown.shipment_number = "nope-1";
  EXPECT_EQ(world_.update_tracking.Run(actor_, unknown).error().code, ErrorCode::kNotFound);
  app::UpdateTrackingCommand bad_link;
  bad_link.shipment_number = "100001-1";
  bad_link.tracking_url = "ftp://example.com";
  EXPECT_EQ(world_.update_tracking.Run(actor_, bad_link).error().field, "trackingUrl");
  app::UpdateTrackingCommand wrong_order;
  wrong_order.shipment_number = "100001-1";
  wrong_order.order_id = 999;
  EXPECT_EQ(world_.update_tracking.Run(actor_, wrong_order).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(Events(domain::kShipmentTrackingUpdated).empty());
}

// -- Stores ---------------------------------------------------------------------

TEST_F(ShipmentDetailsTest, StoreSettingsDefaultKeepAndReplace) {
  auto defaults = world_.storefronts.Get(actor_, "never-used");
  ASSERT_TRUE(defaults.ok());
  EXPECT_TRUE(defaults->send_shipping_confirmation);
  EXPECT_EQ(defaults->created_at, 0);

  auto created = world_.storefronts.Get(actor_, "main");  // created with the order
  ASSERT_TRUE(created.ok());
  EXPECT_NE(created->created_at, 0);

  app::StorefrontUpdate update;
  update.sender = "Shop <shop@example.com>";
  domain::Carrier courier;
  courier.code = "courier";
  courier.name = "Courier";
  courier.tracking_url_template = "https://c.example.com/%s";
  update.carriers = std::vector<domain::Carrier>{courier};
  ASSERT_TRUE(world_.storefronts.Update(actor_, "main", update).ok());
  app::StorefrontUpdate flag;
  flag.send_shipping_confirmation = false;
  auto saved = world_.storefronts.Update(actor_, "main", flag);
  ASSERT_TRUE(saved.ok());
  EXPECT_EQ(saved->sender, "Shop <shop@example.com>");
  ASSERT_EQ(saved->carriers.size(), 1u);
  EXPECT_EQ(app::CarriersOf(*saved).Find("courier")->tracking_url_template,
            "https://c.example.com/%s");

  app::StorefrontUpdate bad;
  bad.sender = "nobody";
  EXPECT_EQ(world_.storefronts.Update(actor_, "main", bad).error().field, "sender");
  app::Actor other = world_.Tenant("other");
  EXPECT_EQ(world_.storefronts.Get(other, "main")->sender, "");
}

}  // namespace
}  // namespace shipline
