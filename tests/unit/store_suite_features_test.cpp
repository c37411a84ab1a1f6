// The shared store suite, feature repositories: webhooks (subscriptions,
// secrets, the fan-out of events, taking and recording deliveries), the
// inbound 3PL side and packages, shipping orders, the delivery network and
// stores. Every case runs on SQLite and on PostgreSQL.

#include <functional>
#include <map>

#include "app/shipping_orders/delivery_network_repository.hpp"
#include "app/shipping_orders/shipping_order_repository.hpp"
#include "app/storefront_repository.hpp"
#include "app/webhooks/webhook_repository.hpp"
#include "support/store_suite_fixture.hpp"

namespace shipline {
namespace {

namespace wh = app::webhooks;
using test::Backend;

class FeatureStoreTest : public test::StoreSuiteTest {
 protected:
  wh::Subscription AddSubscription(int64_t tenant, std::vector<std::string> types,
                                   const std::string& store_name = "",
                                   wh::PayloadFormat format = wh::PayloadFormat::kNative) {
    wh::Subscription s;
    s.tenant_id = tenant;
    s.url = "https://hooks.example/in";
    s.store = store_name;
    s.event_types = std::move(types);
    s.format = format;
    s.description = "test";
    s.created_at = s.updated_at = 1;
    EXPECT_STORE_OK(
        store().Write([&](app::StoreWriter& tx) { return tx.Webhooks().InsertSubscription(s); }));
    return s;
  }

  int64_t Publish(int64_t tenant, const std::string& type, const std::string& subject,
                  const std::string& storefront, int64_t at = 100) {
    domain::Event event{0, tenant, type, "VirtualTopic.ep.orders", subject, "{}", at, storefront,
                        0, 0,      false};
    EXPECT_STORE_OK(store().Write([&](app::StoreWriter& tx) { return tx.Events().Insert(event); }));
    return event.id;
  }

  std::vector<wh::DueDelivery> Due(int64_t now) {
    std::vector<wh::DueDelivery> due;
    EXPECT_STORE_OK(store().Read([&](app::StoreReader& reader) -> Status {
      auto found = reader.Webhooks().DueDeliveries(now, 100);
      if (!found) return std::move(found).error();
      due = std::move(*found);
      return Ok();
    }));
    return due;
  }
};

TEST_P(FeatureStoreTest, EventsFanOutToTheSubscriptionsThatWantThem) {
  int64_t tenant = Tenant();
  wh::Subscription all = AddSubscription(tenant, {});
  wh::Subscription shipped_only = AddSubscription(tenant, {"order-shipment-shipped"});
  wh::Subscription other_store = AddSubscription(tenant, {}, "outlet");
  wh::Subscription threepl = AddSubscription(tenant, {}, "", wh::PayloadFormat::kThreePl);
  AddSubscription(Tenant("other"), {});

  Publish(tenant, "order-shipment-shipped", "1-1", "main");
  Publish(tenant, "shipment-status-changed", "1-1", "main");
  Publish(tenant, "order-shipment-shipped", "1-1", "main");  // again: 3PL once

  std::map<int64_t, int> per_subscription;
  for (const auto& due : Due(1'000'000)) ++per_subscription[due.subscription.id];
  EXPECT_EQ(per_subscription[all.id], 3);
  EXPECT_EQ(per_subscription[shipped_only.id], 2);
  EXPECT_FALSE(per_subscription.contains(other_store.id));
  EXPECT_EQ(per_subscription[threepl.id], 1);
  EXPECT_EQ(per_subscription.size(), 3u);  // nothing for the other tenant
}

TEST_P(FeatureStoreTest, ADueDeliveryIsClaimedOnceAndRecorded) {
  int64_t tenant = Tenant();
  wh::Subscription s = AddSubscription(tenant, {});
  int64_t event_id = Publish(tenant, "order-shipment-shipped", "1-1", "", 100);
  auto due = Due(100);
  ASSERT_EQ(due.size(), 1u);
  const wh::Delivery delivery = due[0].delivery;
  EXPECT_EQ(delivery.event_id, std::optional<int64_t>(event_id));
  EXPECT_TRUE(delivery.message_id.starts_with("msg_"));
  EXPECT_TRUE(Due(99).empty());

  std::string body = R"({"hello":1})";
  std::vector<bool> claims;
  for (int i = 0; i < 2; ++i) {
    ASSERT_STORE_OK(store().Write([&](app::StoreWriter& tx) -> Status {
      auto taken = tx.Webhooks().ClaimDelivery(delivery.id, *delivery.next_attempt_at, 5000, &body);
      if (!taken) return std::move(taken).error();
      claims.push_back(*taken);
      return Ok();
    }));
  }
  EXPECT_EQ(claims, (std::vector<bool>{true, false}));
  EXPECT_TRUE(Due(4999).empty());  // leased

  wh::Attempt attempt{0, delivery.id, 200, 500, 12, "no", "connection refused"};
  wh::DeliveryUpdate retry{wh::DeliveryStatus::kPending, 9000, 500, "HTTP 500", 200, 5000};
  wh::DeliveryUpdate done{wh::DeliveryStatus::kDelivered, std::nullopt, 200, "", 9100, 9000};
  ASSERT_STORE_OK(store().Write([&](app::StoreWriter& tx) -> Status {
    auto first = tx.Webhooks().RecordAttempt(attempt, retry);
    if (!first) return std::move(first).error();
    EXPECT_TRUE(*first);
    attempt.attempted_at = 9100;
    auto second = tx.Webhooks().RecordAttempt(attempt, done);
    if (!second) return std::move(second).error();
    EXPECT_TRUE(*second);
    auto late = tx.Webhooks().RecordAttempt(attempt, done);  // no longer pending
    if (!late) return std::move(late).error();
    EXPECT_FALSE(*late);
    return Ok();
  }));
  ASSERT_STORE_OK(store().Read([&](app::StoreReader& reader) -> Status {
    auto found = reader.Webhooks().FindDelivery(tenant, delivery.id);
    if (!found) return std::move(found).error();
    EXPECT_TRUE(found->has_value());
    if (!*found) return Ok();
    EXPECT_EQ((*found)->status, wh::DeliveryStatus::kDelivered);
    EXPECT_EQ((*found)->attempts, 2);
    EXPECT_EQ((*found)->body, body);
    EXPECT_EQ((*found)->attempt_log.size(), 3u);  // every request is logged
    wh::DeliveryQuery query;
    query.tenant_id = tenant;
    query.subscription_id = s.id;
    auto listed = reader.Webhooks().ListDeliveries(query);
    if (!listed) return std::move(listed).error();
    EXPECT_EQ(listed->size(), 1u);
    query.status = wh::DeliveryStatus::kFailed;
    auto failed = reader.Webhooks().ListDeliveries(query);
    if (!failed) return std::move(failed).error();
    EXPECT_TRUE(failed->empty());
    return Ok();
  }));
  ASSERT_STORE_OK(store().Write([&](app::StoreWriter& tx) -> Status {
    auto requeued = tx.Webhooks().RequeueDelivery(tenant, delivery.id, 20'000);
    if (!requeued) return std::move(requeued).error();
    EXPECT_TRUE(*requeued);
    return Ok();
  }));
  EXPECT_EQ(Due(20'000).size(), 1u);

  // A replay while an attempt is in flight wins over that attempt's answer:
  // the answer is logged, the delivery stays requeued.
  wh::DeliveryUpdate answer{wh::DeliveryStatus::kPending, 90'000, 500, "HTTP 500", 21'000, 25'000};
  ASSERT_STORE_OK(store().Write([&](app::StoreWriter& tx) -> Status {
    auto taken = tx.Webhooks().ClaimDelivery(delivery.id, 20'000, 25'000, nullptr);
    if (!taken) return std::move(taken).error();
    EXPECT_TRUE(*taken);
    auto requeued = tx.Webhooks().RequeueDelivery(tenant, delivery.id, 21'000);
    if (!requeued) return std::move(requeued).error();
    auto late = tx.Webhooks().RecordAttempt(attempt, answer);
    if (!late) return std::move(late).error();
    EXPECT_FALSE(*late);
    return Ok();
  }));
  EXPECT_EQ(Due(21'000).size(), 1u);
  ASSERT_STORE_OK(store().Read([&](app::StoreReader& reader) -> Status {
    auto found = reader.Webhooks().FindDelivery(tenant, delivery.id);
    if (!found) return std::move(found).error();
    EXPECT_TRUE(found->has_value());
    if (!*found) return Ok();
    EXPECT_EQ((*found)->attempts, 0);
    EXPECT_EQ((*found)->attempt_log.size(), 4u);
    return Ok();
  }));
}

TEST_P(FeatureStoreTest, SubscriptionsSecretsAndDisabling) {
  int64_t tenant = Tenant();
  wh::Subscription s = AddSubscription(tenant, {"a", "b"});
  Publish(tenant, "a", "1-1", "");
  ASSERT_STORE_OK(store().Write([&](app::StoreWriter& tx) -> Status {
    auto& repo = tx.Webhooks();
    SHIPLINE_RETURN_IF_ERROR(repo.InsertSecret(s.id, "whsec_old", 1));
    SHIPLINE_RETURN_IF_ERROR(repo.ExpireSecrets(s.id, 500));
    SHIPLINE_RETURN_IF_ERROR(repo.InsertSecret(s.id, "whsec_new", 2));
    SHIPLINE_RETURN_IF_ERROR(repo.SetFailingSince(s.id, 42));
    return repo.DisableSubscription(s.id, "gone", 600);
  }));
  ASSERT_STORE_OK(store().Read([&](app::StoreReader& reader) -> Status {
    auto& repo = reader.Webhooks();
    auto live = repo.LiveSecrets(s.id, 400);
    if (!live) return std::move(live).error();
    EXPECT_EQ(live->size(), 2u);
    auto later = repo.LiveSecrets(s.id, 600);
    if (!later) return std::move(later).error();
    EXPECT_EQ(later->size(), 1u);
    if (!later->empty()) {
      EXPECT_EQ(later->front().secret, "whsec_new");
    }
    auto found = repo.FindSubscription(tenant, s.id);
    if (!found) return std::move(found).error();
    EXPECT_TRUE(found->has_value());
    if (!*found) return Ok();
    EXPECT_FALSE((*found)->enabled);
    EXPECT_EQ((*found)->disabled_reason, "gone");
    EXPECT_EQ((*found)->failing_since, std::optional<int64_t>(42));
    EXPECT_EQ((*found)->event_types, (std::vector<std::string>{"a", "b"}));
    return Ok();
  }));
  EXPECT_TRUE(Due(1'000'000).empty()) << "a disabled subscription's deliveries are given up";
  ASSERT_STORE_OK(store().Write([&](app::StoreWriter& tx) -> Status {
    auto requeued = tx.Webhooks().RequeueFailed(tenant, s.id, 0, 700);
    if (!requeued) return std::move(requeued).error();
    EXPECT_EQ(*requeued, 1);
    auto removed = tx.Webhooks().DeleteSubscription(tenant, s.id, 800);
    if (!removed) return std::move(removed).error();
    EXPECT_TRUE(*removed);
    return Ok();
  }));
  ASSERT_STORE_OK(store().Read([&](app::StoreReader& reader) -> Status {
    auto listed = reader.Webhooks().ListSubscriptions(tenant);
    if (!listed) return std::move(listed).error();
    EXPECT_TRUE(listed->empty());
    return Ok();
  }));
}

TEST_P(FeatureStoreTest, ThreePlConnectionsNotificationsAndPackages) {
  int64_t tenant = Tenant();
  domain::Order order = InsertOrder(tenant, "60");
  app::threepl::Connection connection{0, tenant, "FL1", "wh-user", "hash", 1, std::nullopt};
  ASSERT_STORE_OK(store().Write(
      [&](app::StoreWriter& tx) { return tx.ThreePl().InsertConnection(connection); }));
  app::threepl::Connection taken = connection;
  Status duplicate =
      store().Write([&](app::StoreWriter& tx) { return tx.ThreePl().InsertConnection(taken); });
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code, ErrorCode::kAlreadyExists);

  app::threepl::InboundNotification rejected;
  rejected.tenant_id = tenant;
  rejected.connection_id = connection.id;
  rejected.body = "{bad";
  rejected.body_hash = "h1";
  rejected.error_code = "INVALID_ARGUMENT";
  rejected.received_at = rejected.updated_at = 5;
  app::threepl::InboundNotification again = rejected;
  std::vector<domain::Package> packages(2);
  packages[0].tracking_number = "T1";
  packages[0].weight = 1.25;
  packages[0].weight_unit = "kg";
  packages[1].tracking_number = "T2";
  ASSERT_STORE_OK(store().Write([&](app::StoreWriter& tx) -> Status {
    auto& repo = tx.ThreePl();
    SHIPLINE_RETURN_IF_ERROR(repo.RecordNotification(rejected));
    SHIPLINE_RETURN_IF_ERROR(repo.RecordNotification(again));
    auto added = repo.InsertPackages(order.shipments[0].id, packages);
    if (!added) return std::move(added).error();
    EXPECT_EQ(*added, 2);
    auto repeated = repo.InsertPackages(order.shipments[0].id, packages);
    if (!repeated) return std::move(repeated).error();
    EXPECT_EQ(*repeated, 0);
    return Ok();
  }));
  EXPECT_EQ(again.id, rejected.id) << "a repeated rejected body bumps its row";
  EXPECT_EQ(again.times_received, 2);
  ASSERT_STORE_OK(store().Read([&](app::StoreReader& reader) -> Status {
    auto& repo = reader.ThreePl();
    auto found = repo.FindConnection("wh-user");
    if (!found) return std::move(found).error();
    EXPECT_TRUE(found->has_value());
    auto listed =
        repo.ListNotifications(tenant, app::threepl::NotificationStatus::kRejected, 0, 10);
    if (!listed) return std::move(listed).error();
    EXPECT_EQ(listed->size(), 1u);
    auto stored = repo.ListPackages(order.shipments[0].id);
    if (!stored) return std::move(stored).error();
    EXPECT_EQ(stored->size(), 2u);
    if (!stored->empty()) {
      EXPECT_EQ(stored->front().weight, std::optional<double>(1.25));
    }
    return Ok();
  }));
}

domain::ShippingStatusChange Change(domain::ShippingOrderStatus status, int64_t at) {
  domain::ShippingStatusChange change;
  change.status = status;
  change.at = at;
  change.by = "t";
  return change;
}

domain::ShippingOrder SampleShippingOrder(int64_t tenant, const std::string& external_id,
                                          int64_t updated_at) {
  domain::ShippingOrder order;
  order.tenant_id = tenant;
  order.public_id = "so_" + external_id;
  order.external_id = external_id;
  order.location_external_id = "loc-1";
  order.delivery_contact = {"Ada", "+1", "ada@example.com"};
  order.created_at = updated_at;
  order.last_updated_at = updated_at;
  order.history = {Change(domain::ShippingOrderStatus::kRequestReceived, updated_at)};
  return order;
}

TEST_P(FeatureStoreTest, ShippingOrdersRoundTripAndPage) {
  int64_t tenant = Tenant();
  std::vector<domain::ShippingOrder> orders;
  for (int i = 0; i < 5; ++i)
    orders.push_back(SampleShippingOrder(tenant, "x" + std::to_string(i), 10 + i));
  orders[3].status = domain::ShippingOrderStatus::kOrderDispatched;
  orders[3].chosen.provider_id = "fast";
  orders[3].provider_order_id = "P-3";
  ASSERT_STORE_OK(store().Write([&](app::StoreWriter& tx) -> Status {
    for (auto& order : orders) SHIPLINE_RETURN_IF_ERROR(tx.ShippingOrders().Insert(order));
    return Ok();
  }));
  domain::ShippingOrder duplicate = SampleShippingOrder(tenant, "x0", 1);
  Status taken =
      store().Write([&](app::StoreWriter& tx) { return tx.ShippingOrders().Insert(duplicate); });
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code, ErrorCode::kAlreadyExists);

  orders[1].sub_status = "LATE";
  orders[1].last_updated_at = 50;
  ASSERT_STORE_OK(store().Write([&](app::StoreWriter& tx) -> Status {
    SHIPLINE_RETURN_IF_ERROR(tx.ShippingOrders().Update(orders[1]));
    return tx.ShippingOrders().AppendHistory(
        orders[1].id, Change(domain::ShippingOrderStatus::kEstimatesReceived, 50));
  }));
  ASSERT_STORE_OK(store().Read([&](app::StoreReader& reader) -> Status {
    auto& repo = reader.ShippingOrders();
    auto found = repo.Find(tenant, "x1", true);
    if (!found) return std::move(found).error();
    EXPECT_TRUE(found->has_value());
    if (*found) {
      EXPECT_EQ((*found)->sub_status, "LATE");
      EXPECT_EQ((*found)->delivery_contact.email, "ada@example.com");
      EXPECT_EQ((*found)->history.size(), 2u);
    }
    auto booked = repo.FindByProviderOrder(tenant, "fast", "P-3");
    if (!booked) return std::move(booked).error();
    EXPECT_TRUE(booked->has_value());

    app::ShippingOrderQuery query;
    query.tenant_id = tenant;
    query.limit = 2;
    auto first = repo.List(query);
    if (!first) return std::move(first).error();
    EXPECT_EQ(first->size(), 2u);
    if (first->size() == 2) {
      EXPECT_EQ((*first)[0].external_id, "x0");
      query.after = app::ListKey{(*first)[1].last_updated_at, (*first)[1].id};
      query.limit = 10;
      auto rest = repo.List(query);
      if (!rest) return std::move(rest).error();
      EXPECT_EQ(rest->size(), 3u);
      if (!rest->empty()) {
        EXPECT_EQ(rest->back().external_id, "x1");  // updated last
      }
    }
    app::ShippingOrderQuery filtered;
    filtered.tenant_id = tenant;
    filtered.external_ids = {"x2", "x3", "nope"};
    filtered.statuses = {domain::ShippingOrderStatus::kOrderDispatched};
    auto matching = repo.List(filtered);
    if (!matching) return std::move(matching).error();
    EXPECT_EQ(matching->size(), 1u);
    auto in_flight = repo.ListInFlight(tenant, {"fast", "slow"}, 0, 10);
    if (!in_flight) return std::move(in_flight).error();
    EXPECT_EQ(in_flight->size(), 1u);
    auto name = repo.TenantName(tenant);
    if (!name) return std::move(name).error();
    EXPECT_EQ(*name, "acme");
    return Ok();
  }));
}

// The list's statement changes shape with its filters: IN lists of any length
// (padded on the way), a group or one location (whose index SQLite is told to
// walk), a creation window, and pages after or before a key.
TEST_P(FeatureStoreTest, ShippingOrderListsMatchEveryFilterShape) {
  using domain::ShippingOrderStatus;
  int64_t tenant = Tenant();
  std::vector<domain::ShippingOrder> orders;
  for (int i = 0; i < 6; ++i) {
    auto& order =
        orders.emplace_back(SampleShippingOrder(tenant, "f" + std::to_string(i), 100 + i));
    order.location_external_id = "loc-" + std::to_string(i % 3);
    if (i % 2 == 0) order.group_id = "g";
    if (i >= 3) order.status = ShippingOrderStatus::kOrderDispatched;
  }
  ASSERT_STORE_OK(store().Write([&](app::StoreWriter& tx) -> Status {
    for (auto& order : orders) SHIPLINE_RETURN_IF_ERROR(tx.ShippingOrders().Insert(order));
    return Ok();
  }));
  using Ids = std::vector<std::string>;
  ASSERT_STORE_OK(store().Read([&](app::StoreReader& reader) -> Status {
    auto list = [&](const std::function<void(app::ShippingOrderQuery&)>& filter) {
      app::ShippingOrderQuery query;
      query.tenant_id = tenant;
      filter(query);
      Ids ids;
      auto rows = reader.ShippingOrders().List(query);
      if (!rows) {
        ADD_FAILURE() << rows.error().detail;
        return ids;
      }
      for (const auto& order : *rows) ids.push_back(order.external_id);
      return ids;
    };
    EXPECT_EQ(list([](auto&) {}), (Ids{"f0", "f1", "f2", "f3", "f4", "f5"}));
    EXPECT_EQ(list([](auto& q) { q.location_ids = {"loc-1"}; }), (Ids{"f1", "f4"}));
    EXPECT_EQ(list([](auto& q) {
                q.location_ids = {"loc-0", "loc-2", "loc-x"};
              }),
              (Ids{"f0", "f2", "f3", "f5"}));
    EXPECT_EQ(list([](auto& q) {
                q.location_ids = {"loc-0", "loc-1", "a", "b", "c"};
                q.statuses = {ShippingOrderStatus::kOrderDispatched};
              }),
              (Ids{"f3", "f4"}));
    EXPECT_EQ(list([](auto& q) { q.group_id = "g"; }), (Ids{"f0", "f2", "f4"}));
    EXPECT_EQ(list([&](auto& q) {
                q.group_id = "g";
                q.location_ids = {"loc-1"};
              }),
              (Ids{"f4"}));
    EXPECT_EQ(list([&](auto& q) {
                q.group_id = "g";
                q.after = app::ListKey{orders[0].last_updated_at, orders[0].id};
              }),
              (Ids{"f2", "f4"}));
    EXPECT_EQ(list([&](auto& q) {
                q.before = app::ListKey{orders[5].last_updated_at, orders[5].id};
                q.limit = 2;
              }),
              (Ids{"f4", "f3"}));
    EXPECT_EQ(list([](auto& q) { q.created = {101, 103}; }), (Ids{"f1", "f2", "f3"}));
    EXPECT_EQ(list([](auto& q) {
                q.external_ids = {"f1", "f4"};
                q.location_ids = {"loc-1"};
                q.statuses = {ShippingOrderStatus::kRequestReceived,
                              ShippingOrderStatus::kOrderDispatched};
              }),
              (Ids{"f1", "f4"}));
    return Ok();
  }));
}

TEST_P(FeatureStoreTest, TheDeliveryNetworkSavesReplacesAndDeletes) {
  int64_t tenant = Tenant();
  app::ProviderRecord provider{0,    tenant, "fast", "Fast", "Fast Co", "rate-table",
                               "{}", true,   1,      1};
  app::Location location;
  location.tenant_id = tenant;
  location.external_id = "loc-1";
  location.name = "Depot";
  location.address.latitude = 52.5;
  location.provider_ids = {"fast"};
  location.created_at = location.updated_at = 1;
  domain::OrchestrationRule rule;
  rule.name = "cheap";
  rule.allowed_providers = {"fast"};
  rule.max_fee = 900;
  rule.fee_weight = 0.5;
  ASSERT_STORE_OK(store().Write([&](app::StoreWriter& tx) -> Status {
    auto& repo = tx.DeliveryNetwork();
    SHIPLINE_RETURN_IF_ERROR(repo.SaveProvider(provider, false));
    SHIPLINE_RETURN_IF_ERROR(repo.SaveLocation(location, false));
    auto saved = repo.SaveRule(tenant, rule);
    if (!saved) return std::move(saved).error();
    EXPECT_TRUE(*saved);
    return Ok();
  }));
  app::Location again = location;
  Status taken = store().Write(
      [&](app::StoreWriter& tx) { return tx.DeliveryNetwork().SaveLocation(again, false); });
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code, ErrorCode::kAlreadyExists);
  app::Location unknown = location;
  unknown.external_id = "loc-2";
  unknown.provider_ids = {"nobody"};
  Status invalid = store().Write(
      [&](app::StoreWriter& tx) { return tx.DeliveryNetwork().SaveLocation(unknown, false); });
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().code, ErrorCode::kInvalidArgument);

  location.name = "Main depot";
  location.updated_at = 2;
  ASSERT_STORE_OK(store().Write(
      [&](app::StoreWriter& tx) { return tx.DeliveryNetwork().SaveLocation(location, true); }));
  ASSERT_STORE_OK(store().Read([&](app::StoreReader& reader) -> Status {
    auto& repo = reader.DeliveryNetwork();
    auto found = repo.FindLocation(tenant, "loc-1");
    if (!found) return std::move(found).error();
    EXPECT_TRUE(found->has_value());
    if (*found) {
      EXPECT_EQ((*found)->name, "Main depot");
      EXPECT_EQ((*found)->created_at, 1);
      EXPECT_EQ((*found)->provider_ids, (std::vector<std::string>{"fast"}));
      EXPECT_EQ((*found)->address.latitude, std::optional<double>(52.5));
    }
    auto listed = repo.ListLocations(tenant, "", 10);
    if (!listed) return std::move(listed).error();
    EXPECT_EQ(listed->size(), 1u);
    auto rules = repo.ListRules(tenant);
    if (!rules) return std::move(rules).error();
    EXPECT_EQ(rules->size(), 1u);
    if (!rules->empty()) {
      EXPECT_EQ(rules->front().max_fee, std::optional<int64_t>(900));
      EXPECT_DOUBLE_EQ(rules->front().fee_weight, 0.5);
    }
    auto kinds = repo.ListProvidersOfKind("rate-table");
    if (!kinds) return std::move(kinds).error();
    EXPECT_EQ(kinds->size(), 1u);
    return Ok();
  }));
  ASSERT_STORE_OK(store().Write([&](app::StoreWriter& tx) -> Status {
    auto& repo = tx.DeliveryNetwork();
    auto removed = repo.DeleteProvider(tenant, "fast");
    if (!removed) return std::move(removed).error();
    EXPECT_TRUE(*removed);
    auto location_now = repo.FindLocation(tenant, "loc-1");
    if (!location_now) return std::move(location_now).error();
    if (*location_now) {
      EXPECT_TRUE((*location_now)->provider_ids.empty());
    }
    auto rule_gone = repo.DeleteRule(tenant, rule.id);
    if (!rule_gone) return std::move(rule_gone).error();
    EXPECT_TRUE(*rule_gone);
    auto location_gone = repo.DeleteLocation(tenant, "loc-1");
    if (!location_gone) return std::move(location_gone).error();
    EXPECT_TRUE(*location_gone);
    return Ok();
  }));
}

TEST_P(FeatureStoreTest, StoresKeepSettingsAndCarriers) {
  int64_t tenant = Tenant();
  app::StorefrontSettings settings;
  settings.name = "main";
  settings.send_shipping_confirmation = false;
  settings.sender = "shop@example.com";
  settings.carriers.resize(1);
  settings.carriers[0].code = "acme-post";
  settings.carriers[0].name = "Acme Post";
  settings.carriers[0].tracking_url_template = "https://acme.example/%s";
  settings.carriers[0].aliases = {"acme", "ap"};
  ASSERT_STORE_OK(store().Write([&](app::StoreWriter& tx) -> Status {
    SHIPLINE_RETURN_IF_ERROR(tx.Storefronts().Ensure(tenant, "outlet", 1));
    SHIPLINE_RETURN_IF_ERROR(tx.Storefronts().Ensure(tenant, "outlet", 2));
    return tx.Storefronts().Save(tenant, settings, 3);
  }));
  ASSERT_STORE_OK(store().Read([&](app::StoreReader& reader) -> Status {
    auto outlet = reader.Storefronts().Find(tenant, "outlet");
    if (!outlet) return std::move(outlet).error();
    EXPECT_TRUE(outlet->has_value());
    if (*outlet) {
      EXPECT_TRUE((*outlet)->send_shipping_confirmation);
    }
    auto main = reader.Storefronts().Find(tenant, "main");
    if (!main) return std::move(main).error();
    EXPECT_TRUE(main->has_value());
    if (*main) {
      EXPECT_FALSE((*main)->send_shipping_confirmation);
      EXPECT_EQ((*main)->sender, "shop@example.com");
      EXPECT_EQ((*main)->carriers.size(), 1u);
      if (!(*main)->carriers.empty()) {
        EXPECT_EQ((*main)->carriers[0].aliases, (std::vector<std::string>{"acme", "ap"}));
      }
    }
    auto missing = reader.Storefronts().Find(tenant, "never");
    if (!missing) return std::move(missing).error();
    EXPECT_FALSE(missing->has_value());
    return Ok();
  }));
}

INSTANTIATE_TEST_SUITE_P(Backends, FeatureStoreTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         test::BackendParamName);

}  // namespace
}  // namespace shipline
