// The shared store suite, core part: orders, shipments, completion claims
// and records, events and their order, consumer positions and leases,
// emails and keys. Every case runs on SQLite and on PostgreSQL (the latter
// when SHIPLINE_TEST_DATABASE names a server); both stores must give the
// same answers and the same guarantees.

#include <atomic>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "domain/order_rules.hpp"
#include "support/store_suite_fixture.hpp"

namespace shipline {
namespace {

using domain::ShipmentStatus;
using test::Backend;
using test::StoreSuiteTest;

app::CompletionRecord Completion(int64_t tenant_id, const domain::Order& order,
                                 const std::string& token = "") {
  app::CompletionRecord record;
  record.tenant_id = tenant_id;
  record.shipment_id = order.shipments[0].id;
  record.order_id = order.id;
  record.tracking_number = "1Z999AA10123456784";
  record.carrier = "UPS";
  record.claim_token = token;
  record.captured_amount = 2100;
  record.currency = "USD";
  record.capture_reference = "ch_1";
  record.idempotency_key = "key-" + std::to_string(order.shipments[0].id);
  record.change = {"SHIPPED", 2000, "tester", ""};
  record.event = {0,
                  tenant_id,
                  "order-shipment-shipped",
                  "VirtualTopic.ep.orders",
                  order.shipments[0].shipment_number,
                  "{}",
                  2000,
                  "main",
                  order.id,
                  order.shipments[0].id,
                  true};
  return record;
}

TEST_P(StoreSuiteTest, AnOrderReadsBackAsWritten) {
  int64_t tenant = Tenant();
  domain::Order order = test::SampleOrder("100");
  order.line_items.push_back({0, "KIT", "Kit", 1, 500, {{"K1", 2}, {"K2", 1}}});
  order.shipments[0].items.push_back({0, "K1", 2, "KIT"});
  order.shipments[0].items.push_back({0, "K2", 1, "KIT"});
  order.shipments[0].history = {{"RELEASED", 5, "tester", "first"}};
  order.created_at = 5;
  ASSERT_STORE_OK(
      store().Write([&](app::StoreWriter& tx) { return tx.Orders().Insert(tenant, order); }));
  EXPECT_GT(order.id, 0);
  EXPECT_GT(order.shipments[0].id, 0);

  std::optional<domain::Order> found;
  ASSERT_STORE_OK(store().Read([&](app::StoreReader& reader) -> Status {
    auto by_number = reader.Orders().Find(tenant, "100");
    if (!by_number) return std::move(by_number).error();
    found = std::move(*by_number);
    return Ok();
  }));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, order.id);
  EXPECT_EQ(found->customer.email, "ada@example.com");
  EXPECT_EQ(found->payment.amount_authorized, 2100);
  ASSERT_EQ(found->line_items.size(), 2u);
  EXPECT_EQ(found->line_items[1].components.size(), 2u);
  EXPECT_EQ(found->line_items[1].components[0].sku, "K1");
  ASSERT_EQ(found->shipments.size(), 1u);
  const domain::Shipment& shipment = found->shipments[0];
  EXPECT_EQ(shipment.status, ShipmentStatus::kReleased);
  ASSERT_EQ(shipment.items.size(), 3u);
  EXPECT_EQ(shipment.items[0].sku, "A");
  EXPECT_EQ(shipment.items[1].sku, "K1");
  EXPECT_EQ(shipment.items[1].bundle_sku, "KIT");
  EXPECT_EQ(shipment.items[2].sku, "K2");
  ASSERT_EQ(shipment.history.size(), 1u);
  EXPECT_EQ(shipment.history[0].note, "first");

  // Scoped by tenant: another tenant sees nothing.
  int64_t other = Tenant("other");
  ASSERT_STORE_OK(store().Read([&](app::StoreReader& reader) -> Status {
    auto foreign = reader.Orders().FindById(other, order.id);
    if (!foreign) return std::move(foreign).error();
    EXPECT_FALSE(foreign->has_value());
    return Ok();
  }));
  EXPECT_FALSE(FindShipment(other, "100-1").has_value());
}

TEST_P(StoreSuiteTest, TakenNumbersAreAlreadyExistsAndKeepNothing) {
  int64_t tenant = Tenant();
  InsertOrder(tenant, "7");
  domain::Order again = test::SampleOrder("7");
  Status duplicate =
      store().Write([&](app::StoreWriter& tx) { return tx.Orders().Insert(tenant, again); });
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code, ErrorCode::kAlreadyExists);

  domain::Order clash = test::SampleOrder("8");
  clash.shipments[0].shipment_number = "7-1";
  Status shipment_clash =
      store().Write([&](app::StoreWriter& tx) { return tx.Orders().Insert(tenant, clash); });
  ASSERT_FALSE(shipment_clash.ok());
  EXPECT_EQ(shipment_clash.error().code, ErrorCode::kAlreadyExists);
  ASSERT_STORE_OK(store().Read([&](app::StoreReader& reader) -> Status {
    auto rejected = reader.Orders().Find(tenant, "8");
    if (!rejected) return std::move(rejected).error();
    EXPECT_FALSE(rejected->has_value()) << "the rejected order's own write was kept";
    return Ok();
  }));
  // Another tenant may reuse the numbers.
  InsertOrder(Tenant("other"), "7");
}

TEST_P(StoreSuiteTest, ADuplicateInsideAWriteLeavesTheRestOfItUsable) {
  // A caller may try numbers until one is free (CreateShipment does): the
  // taken one must not spoil the transaction it runs in.
  int64_t tenant = Tenant();
  domain::Order order = InsertOrder(tenant, "9");
  ASSERT_STORE_OK(store().Write([&](app::StoreWriter& tx) -> Status {
    domain::Shipment taken = order.shipments[0];
    taken.id = 0;
    Status first = tx.Orders().InsertShipment(tenant, taken);
    EXPECT_FALSE(first.ok());
    EXPECT_EQ(first.error().code, ErrorCode::kAlreadyExists);
    domain::Shipment fresh = taken;
    fresh.shipment_number = "9-2";
    fresh.items = {};
    return tx.Orders().InsertShipment(tenant, fresh);
  }));
  EXPECT_TRUE(FindShipment(tenant, "9-2").has_value());
}

TEST_P(StoreSuiteTest, AFailingWriteRollsBackOnlyItsOwnChanges) {
  constexpr int kWriters = 32;
  std::vector<std::thread> threads;
  std::atomic<int> succeeded{0};
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      Status status = store().Write([&](app::StoreWriter& tx) -> Status {
        auto tenant = tx.Tenants().Ensure("tenant-" + std::to_string(i), 1);
        if (!tenant) return std::move(tenant).error();
        if (i % 2 == 1) return Error::Invalid("odd writers fail after writing");
        return Ok();
      });
      if (status.ok()) ++succeeded;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(succeeded.load(), kWriters / 2);
  ASSERT_STORE_OK(store().Read([&](app::StoreReader& reader) -> Status {
    auto count = reader.Tenants().Count();
    if (!count) return std::move(count).error();
    EXPECT_EQ(*count, kWriters / 2);
    return Ok();
  }));
}

TEST_P(StoreSuiteTest, ShipmentDetailsAndTransitions) {
  int64_t tenant = Tenant();
  domain::Order order = InsertOrder(tenant, "20", ShipmentStatus::kPending);
  domain::Shipment shipment = order.shipments[0];
  shipment.carrier = "UPS";
  shipment.tracking_number = "1Z1";
  shipment.note = "fragile";
  shipment.dispatched_at = 77;
  shipment.updated_at = 1500;
  bool moved = false;
  ASSERT_STORE_OK(store().Write([&](app::StoreWriter& tx) -> Status {
    auto written = tx.Orders().UpdateShipmentDetails(tenant, shipment);
    if (!written) return std::move(written).error();
    EXPECT_TRUE(*written);
    // Not in RELEASED: the conditional move changes nothing.
    auto wrong =
        tx.Orders().TransitionShipment(shipment.id, ShipmentStatus::kReleased,
                                       ShipmentStatus::kCancelled, {"CANCELLED", 1600, "t", ""});
    if (!wrong) return std::move(wrong).error();
    EXPECT_FALSE(*wrong);
    auto right =
        tx.Orders().TransitionShipment(shipment.id, ShipmentStatus::kPending,
                                       ShipmentStatus::kReleased, {"RELEASED", 1700, "t", "go"});
    if (!right) return std::move(right).error();
    moved = *right;
    return Ok();
  }));
  EXPECT_TRUE(moved);
  auto found = FindShipment(tenant, "20-1");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->status, ShipmentStatus::kReleased);
  EXPECT_EQ(found->carrier, "UPS");
  EXPECT_EQ(found->note, "fragile");
  EXPECT_EQ(found->dispatched_at, std::optional<int64_t>(77));
  ASSERT_EQ(found->history.size(), 2u);
  EXPECT_EQ(found->history[1].status, "RELEASED");
  EXPECT_EQ(found->history[1].note, "go");
}

TEST_P(StoreSuiteTest, AShipmentInOrderReadsOnlyWhatTheShipmentNames) {
  int64_t tenant = Tenant();
  domain::Order order = test::SampleOrder("60");
  order.line_items.push_back({0, "B", "Gadget", 1, 700});
  order.line_items.push_back({0, "KIT", "Kit", 2, 500, {{"K1", 1}, {"K2", 1}}});
  order.line_items.push_back({0, "C", "Cable", 2, 300});
  order.shipments[0].items = {{0, "B", 1}, {0, "K1", 1, "KIT"}};
  auto add_shipment = [&](const std::string& number, ShipmentStatus status,
                          std::vector<domain::ShipmentItem> items) {
    domain::Shipment& shipment = order.shipments.emplace_back();
    shipment.shipment_number = number;
    shipment.status = status;
    shipment.items = std::move(items);
    shipment.history = {{std::string(domain::ShipmentStatusName(status)), 5, "tester", ""}};
  };
  add_shipment("60-2", ShipmentStatus::kShipped, {{0, "A", 1}, {0, "K2", 1, "KIT"}});
  add_shipment("60-3", ShipmentStatus::kReleased, {{0, "C", 1}, {0, "K2", 1, "KIT"}});
  add_shipment("60-4", ShipmentStatus::kShipped, {{0, "C", 1}});
  order.shipments[0].history = {{"RELEASED", 5, "tester", ""}};
  ASSERT_STORE_OK(
      store().Write([&](app::StoreWriter& tx) { return tx.Orders().Insert(tenant, order); }));

  auto read = [&](int64_t tenant_id, const std::string& number, bool in_write) {
    std::optional<app::ShipmentInOrder> result;
    auto find = [&](app::StoreReader& reader) -> Status {
      auto found = reader.Orders().FindShipmentInOrder(tenant_id, number);
      if (!found) return std::move(found).error();
      result = std::move(*found);
      return Ok();
    };
    // Inside a write the read takes its row lock (on PostgreSQL).
    EXPECT_STORE_OK(in_write ? store().Write([&](app::StoreWriter& tx) { return find(tx); })
                             : store().Read(find));
    return result;
  };
  for (bool in_write : {false, true}) {
    auto found = read(tenant, "60-1", in_write);
    ASSERT_TRUE(found.has_value());
    const domain::Shipment& shipment = found->shipment;
    EXPECT_EQ(shipment.id, order.shipments[0].id);
    EXPECT_EQ(shipment.order_number, "60");
    EXPECT_EQ(shipment.status, ShipmentStatus::kReleased);
    EXPECT_TRUE(shipment.history.empty());
    ASSERT_EQ(shipment.items.size(), 2u);
    EXPECT_EQ(shipment.items[0].sku, "B");
    EXPECT_EQ(shipment.items[1].sku, "K1");
    EXPECT_EQ(shipment.items[1].bundle_sku, "KIT");

    const domain::Order& header = found->order;
    EXPECT_EQ(header.id, order.id);
    EXPECT_EQ(header.tenant_id, tenant);
    EXPECT_EQ(header.order_number, "60");
    EXPECT_EQ(header.store, "main");
    EXPECT_EQ(header.currency, "USD");
    EXPECT_EQ(header.customer.email, "ada@example.com");
    EXPECT_EQ(header.shipping_address.city, "London");
    EXPECT_EQ(header.payment.reference, "pi_123");
    EXPECT_EQ(header.payment.amount_authorized, 2100);
    // Only the line items the shipment names, in the order's line order.
    ASSERT_EQ(header.line_items.size(), 2u);
    EXPECT_EQ(header.line_items[0].id, order.line_items[1].id);
    EXPECT_EQ(header.line_items[0].title, "Gadget");
    EXPECT_EQ(header.line_items[0].unit_price, 700);
    EXPECT_TRUE(header.line_items[0].components.empty());
    EXPECT_EQ(header.line_items[1].sku, "KIT");
    EXPECT_EQ(header.line_items[1].quantity, 2);
    ASSERT_EQ(header.line_items[1].components.size(), 2u);
    EXPECT_EQ(header.line_items[1].components[0].sku, "K1");
    EXPECT_EQ(header.line_items[1].components[1].sku, "K2");
    EXPECT_EQ(header.line_items[1].components[1].quantity, 1);
    // Of the other shipments, only the shipped one's units of the kit.
    ASSERT_EQ(header.shipments.size(), 1u);
    EXPECT_EQ(header.shipments[0].id, order.shipments[1].id);
    EXPECT_EQ(header.shipments[0].status, ShipmentStatus::kShipped);
    ASSERT_EQ(header.shipments[0].items.size(), 1u);
    EXPECT_EQ(header.shipments[0].items[0].sku, "K2");
    EXPECT_EQ(header.shipments[0].items[0].bundle_sku, "KIT");
    // The gadget, and the kit that the shipped K2 and this K1 make whole.
    EXPECT_EQ(domain::CaptureAmount(header, shipment), 700 + 500);
  }

  // A shipment of plain items reads no other shipment.
  auto plain = read(tenant, "60-4", false);
  ASSERT_TRUE(plain.has_value());
  ASSERT_EQ(plain->order.line_items.size(), 1u);
  EXPECT_EQ(plain->order.line_items[0].sku, "C");
  EXPECT_TRUE(plain->order.shipments.empty());

  EXPECT_FALSE(read(tenant, "60-9", false).has_value());
  EXPECT_FALSE(read(Tenant("other"), "60-1", false).has_value());
}

TEST_P(StoreSuiteTest, AClaimIsExclusiveUntilItExpiresOrIsReleased) {
  int64_t tenant = Tenant();
  domain::Order order = InsertOrder(tenant, "30");
  const int64_t id = order.shipments[0].id;
  auto claim = [&](const std::string& token, int64_t expires, int64_t now) {
    bool taken = false;
    EXPECT_STORE_OK(store().Write([&](app::StoreWriter& tx) -> Status {
      auto result = tx.Orders().ClaimCompletion(id, token, expires, now);
      if (!result) return std::move(result).error();
      taken = *result;
      return Ok();
    }));
    return taken;
  };
  EXPECT_TRUE(claim("a", 1000, 0));
  EXPECT_FALSE(claim("b", 1100, 500));  // a's claim holds until 1000
  EXPECT_TRUE(claim("b", 2100, 1001));  // expired: b takes it
  // A stale holder can neither release nor complete it.
  ASSERT_STORE_OK(
      store().Write([&](app::StoreWriter& tx) { return tx.Orders().ReleaseClaim(id, "a"); }));
  EXPECT_FALSE(claim("c", 3000, 1500));
  app::CompletionRecord stale = Completion(tenant, order, "a");
  bool recorded = true;
  ASSERT_STORE_OK(store().Write([&](app::StoreWriter& tx) -> Status {
    auto done = tx.Orders().RecordCompletion(stale);
    if (!done) return std::move(done).error();
    recorded = *done;
    return Ok();
  }));
  EXPECT_FALSE(recorded);
  ASSERT_STORE_OK(
      store().Write([&](app::StoreWriter& tx) { return tx.Orders().ReleaseClaim(id, "b"); }));
  EXPECT_TRUE(claim("c", 3000, 1500));
  ASSERT_STORE_OK(
      store().Write([](app::StoreWriter& tx) { return tx.Orders().ReleaseAllClaims(); }));
  EXPECT_TRUE(claim("d", 4000, 1600));
}

TEST_P(StoreSuiteTest, ACompletionIsRecordedOnceWithItsCaptureAndEvent) {
  int64_t tenant = Tenant();
  domain::Order order = InsertOrder(tenant, "40");
  app::CompletionRecord record = Completion(tenant, order);
  record.internal_comment = "packed by Bo";
  std::vector<bool> outcomes;
  for (int round = 0; round < 2; ++round) {
    app::CompletionRecord attempt = record;
    ASSERT_STORE_OK(store().Write([&](app::StoreWriter& tx) -> Status {
      auto done = tx.Orders().RecordCompletion(attempt);
      if (!done) return std::move(done).error();
      outcomes.push_back(*done);
      return Ok();
    }));
    if (round == 0) record.event.id = attempt.event.id;
  }
  EXPECT_EQ(outcomes, (std::vector<bool>{true, false}));
  EXPECT_GT(record.event.id, 0);

  auto shipment = FindShipment(tenant, "40-1");
  ASSERT_TRUE(shipment.has_value());
  EXPECT_EQ(shipment->status, ShipmentStatus::kShipped);
  EXPECT_EQ(shipment->tracking_number, "1Z999AA10123456784");
  EXPECT_EQ(shipment->shipped_at, std::optional<int64_t>(2000));
  EXPECT_EQ(shipment->internal_comment, "packed by Bo");
  ASSERT_STORE_OK(store().Read([&](app::StoreReader& reader) -> Status {
    auto found = reader.Orders().Find(tenant, "40");
    if (!found) return std::move(found).error();
    EXPECT_EQ((*found)->payment.amount_captured, 2100);
    auto events = reader.Events().List(tenant, 0, 10);
    if (!events) return std::move(events).error();
    EXPECT_EQ(events->size(), 1u);
    return Ok();
  }));
}

TEST_P(StoreSuiteTest, OfConcurrentCompletionsExactlyOneWins) {
  int64_t tenant = Tenant();
  domain::Order order = InsertOrder(tenant, "50");
  constexpr int kRacers = 16;
  std::atomic<int> won{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kRacers; ++i) {
    threads.emplace_back([&] {
      app::CompletionRecord record = Completion(tenant, order);
      Status status = store().Write([&](app::StoreWriter& tx) -> Status {
        auto done = tx.Orders().RecordCompletion(record);
        if (!done) return std::move(done).error();
        if (*done) ++won;
        return Ok();
      });
      if (!status.ok()) ++failed;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(failed.load(), 0);
  ASSERT_STORE_OK(store().Read([&](app::StoreReader& reader) -> Status {
    auto events = reader.Events().List(std::nullopt, 0, 100);
    if (!events) return std::move(events).error();
    EXPECT_EQ(events->size(), 1u);
    return Ok();
  }));
}

TEST_P(StoreSuiteTest, AReaderFollowingEventIdsNeverSkipsOne) {
  // Writers commit events concurrently while a consumer reads from its
  // position, as the workers do. Ids must become visible in id order: an id
  // that shows up after the consumer moved past it would be lost.
  int64_t tenant = Tenant();
  constexpr int kWriters = 8;
  constexpr int kEventsEach = 40;
  std::atomic<bool> writing{true};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kEventsEach; ++i) {
        domain::Event event{0, tenant, "test", "t", std::to_string(w), "{}", i, "", 0, 0, false};
        EXPECT_STORE_OK(store().Write([&](app::StoreWriter& tx) -> Status {
          SHIPLINE_RETURN_IF_ERROR(tx.Events().Insert(event));
          // Hold the transaction open a little, so commits interleave.
          if (i % 3 == 0) std::this_thread::sleep_for(std::chrono::microseconds(300));
          return Ok();
        }));
      }
    });
  }
  std::vector<int64_t> seen;
  int64_t position = 0;
  auto poll = [&] {
    EXPECT_STORE_OK(store().Read([&](app::StoreReader& reader) -> Status {
      auto events = reader.Events().List(std::nullopt, position, 50);
      if (!events) return std::move(events).error();
      for (const auto& event : *events) seen.push_back(event.id);
      if (!events->empty()) position = events->back().id;
      return Ok();
    }));
  };
  std::thread consumer([&] {
    while (writing) poll();
  });
  for (auto& writer : writers) writer.join();
  writing = false;
  consumer.join();
  poll();
  poll();
  std::vector<int64_t> all;
  ASSERT_STORE_OK(store().Read([&](app::StoreReader& reader) -> Status {
    auto events = reader.Events().List(std::nullopt, 0, kWriters * kEventsEach + 10);
    if (!events) return std::move(events).error();
    for (const auto& event : *events) all.push_back(event.id);
    return Ok();
  }));
  ASSERT_EQ(all.size(), static_cast<size_t>(kWriters * kEventsEach));
  EXPECT_EQ(seen, all) << "the consumer skipped an event that committed after it moved past";
}

TEST_P(StoreSuiteTest, EventsAreListedPerTenantFromAPosition) {
  int64_t acme = Tenant("acme");
  int64_t other = Tenant("other");
  std::vector<int64_t> ids;
  ASSERT_STORE_OK(store().Write([&](app::StoreWriter& tx) -> Status {
    for (int i = 0; i < 5; ++i) {
      domain::Event event{0,    i % 2 == 0 ? acme : other, "t", "topic", "s", "{}", i, "", 0, 0,
                          false};
      SHIPLINE_RETURN_IF_ERROR(tx.Events().Insert(event));
      ids.push_back(event.id);
    }
    return Ok();
  }));
  ASSERT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  ASSERT_STORE_OK(store().Read([&](app::StoreReader& reader) -> Status {
    auto mine = reader.Events().List(acme, ids[0], 10);
    if (!mine) return std::move(mine).error();
    EXPECT_EQ(mine->size(), 2u);  // the 3rd and 5th
    auto page = reader.Events().List(std::nullopt, 0, 2);
    if (!page) return std::move(page).error();
    EXPECT_EQ(page->size(), 2u);
    EXPECT_EQ(page->back().id, ids[1]);
    EXPECT_EQ(page->front().payload, "{}");
    return Ok();
  }));
}

TEST_P(StoreSuiteTest, ConsumerPositionsStartAtZeroAndMove) {
  auto position = [&](const std::string& consumer) {
    int64_t value = -1;
    EXPECT_STORE_OK(store().Read([&](app::StoreReader& reader) -> Status {
      auto saved = reader.Events().Position(consumer);
      if (!saved) return std::move(saved).error();
      value = *saved;
      return Ok();
    }));
    return value;
  };
  EXPECT_EQ(position("email"), 0);
  ASSERT_STORE_OK(
      store().Write([](app::StoreWriter& tx) { return tx.Events().SetPosition("email", 7); }));
  ASSERT_STORE_OK(
      store().Write([](app::StoreWriter& tx) { return tx.Events().SetPosition("email", 9); }));
  EXPECT_EQ(position("email"), 9);
  EXPECT_EQ(position("broker"), 0);
  // A lease leaves the position alone.
  ASSERT_STORE_OK(store().Write([](app::StoreWriter& tx) -> Status {
    auto leased = tx.Events().Lease("email", "node-a", 100, 0);
    return leased ? Ok() : Status(std::move(leased).error());
  }));
  EXPECT_EQ(position("email"), 9);
}

TEST_P(StoreSuiteTest, OneNodeAtATimeHoldsAConsumerLease) {
  auto lease = [&](const std::string& owner, int64_t expires, int64_t now) {
    bool held = false;
    EXPECT_STORE_OK(store().Write([&](app::StoreWriter& tx) -> Status {
      auto result = tx.Events().Lease("broker", owner, expires, now);
      if (!result) return std::move(result).error();
      held = *result;
      return Ok();
    }));
    return held;
  };
  EXPECT_TRUE(lease("a", 1000, 0));
  EXPECT_TRUE(lease("a", 1500, 500));    // renewed
  if (!shared()) return;                 // a store one server owns grants every lease
  EXPECT_FALSE(lease("b", 2000, 1000));  // a holds it until 1500
  EXPECT_TRUE(lease("b", 2600, 1500));   // expired: b takes over
  EXPECT_FALSE(lease("a", 3000, 1600));
  EXPECT_TRUE(lease("b", 1700, 1700));  // b gives it up
  EXPECT_TRUE(lease("a", 3000, 1700));
}

TEST_P(StoreSuiteTest, AnEmailIsRecordedOnce) {
  int64_t tenant = Tenant();
  domain::Event event{0, tenant, "order-shipment-shipped", "t", "1-1", "{}", 1, "", 0, 0, false};
  ASSERT_STORE_OK(store().Write([&](app::StoreWriter& tx) { return tx.Events().Insert(event); }));
  auto sent = [&] {
    bool value = false;
    EXPECT_STORE_OK(store().Read([&](app::StoreReader& reader) -> Status {
      auto found = reader.Events().EmailSent(event.id);
      if (!found) return std::move(found).error();
      value = *found;
      return Ok();
    }));
    return value;
  };
  EXPECT_FALSE(sent());
  app::EmailRecord email{event.id, tenant, "ada@example.com", "Shipped", "smtp", 5, ""};
  ASSERT_STORE_OK(
      store().Write([&](app::StoreWriter& tx) { return tx.Events().RecordEmail(email); }));
  ASSERT_STORE_OK(
      store().Write([&](app::StoreWriter& tx) { return tx.Events().RecordEmail(email); }));
  EXPECT_TRUE(sent());
}

TEST_P(StoreSuiteTest, AnExceptionInAWriteFailsThatCallerAloneAndChangesNothing) {
  Status thrown = store().Write([](app::StoreWriter& tx) -> Status {
    SHIPLINE_RETURN_IF_ERROR(tx.Tenants().Ensure("thrower", 1));
    throw std::runtime_error("a bug in a use case");
  });
  ASSERT_FALSE(thrown.ok());
  EXPECT_EQ(thrown.error().code, ErrorCode::kInternal);
  EXPECT_NE(thrown.error().detail.find("a bug in a use case"), std::string::npos);
  EXPECT_EQ(test::CountTenants(store()), 0);
  // The writer is still there for the next caller.
  EXPECT_NE(Tenant(), 0);
}

TEST_P(StoreSuiteTest, ABacklogCountsTheEventsAfterAConsumersPositionUpToTheCap) {
  int64_t tenant = Tenant();
  std::vector<int64_t> ids;
  ASSERT_STORE_OK(store().Write([&](app::StoreWriter& tx) -> Status {
    for (int64_t created : {100, 200, 300}) {
      domain::Event event;
      event.tenant_id = tenant;
      event.type = "test";
      event.topic = "t";
      event.subject = "s";
      event.payload = "{}";
      event.created_at = created;
      SHIPLINE_RETURN_IF_ERROR(tx.Events().Insert(event));
      ids.push_back(event.id);
    }
    return tx.Events().SetPosition("caught-up", ids[2]);
  }));
  ASSERT_STORE_OK(store().Write(
      [&](app::StoreWriter& tx) { return tx.Events().SetPosition("one-done", ids[0]); }));
  ASSERT_STORE_OK(store().Read([&](app::StoreReader& reader) -> Status {
    auto fresh = reader.Events().Backlog("never-saved", 1000);
    if (!fresh) return std::move(fresh).error();
    EXPECT_GE(fresh->behind, 3);  // every event of the store, this test's among them
    auto behind = reader.Events().Backlog("one-done", 1000);
    if (!behind) return std::move(behind).error();
    EXPECT_EQ(behind->behind, 2);
    EXPECT_EQ(behind->oldest_created_at, std::optional<int64_t>(200));
    auto capped = reader.Events().Backlog("one-done", 1);
    if (!capped) return std::move(capped).error();
    EXPECT_EQ(capped->behind, 1);
    auto done = reader.Events().Backlog("caught-up", 1000);
    if (!done) return std::move(done).error();
    EXPECT_EQ(done->behind, 0);
    EXPECT_FALSE(done->oldest_created_at.has_value());
    auto webhooks = reader.Events().WebhookBacklog(1000);
    if (!webhooks) return std::move(webhooks).error();
    EXPECT_EQ(webhooks->behind, 0);  // no subscription, no delivery
    return Ok();
  }));
}

TEST_P(StoreSuiteTest, EventsKeepTheirTypedHeaders) {
  int64_t tenant = Tenant();
  domain::Order order = InsertOrder(tenant, "77");
  domain::Event typed;
  typed.tenant_id = tenant;
  typed.type = std::string(domain::kOrderShipmentShipped);
  typed.topic = std::string(domain::kOrdersTopic);
  typed.subject = "77-1";
  typed.payload = "{}";
  typed.created_at = 5;
  typed.storefront = "outlet";
  typed.order_id = order.id;
  typed.shipment_id = order.shipments[0].id;
  typed.send_email = true;
  typed.traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  domain::Event bare = typed;
  bare.traceparent.clear();
  bare.storefront.clear();
  bare.order_id = 0;
  bare.shipment_id = 0;
  bare.send_email = false;
  ASSERT_STORE_OK(store().Write([&](app::StoreWriter& tx) -> Status {
    SHIPLINE_RETURN_IF_ERROR(tx.Events().Insert(typed));
    return tx.Events().Insert(bare);
  }));
  ASSERT_STORE_OK(store().Read([&](app::StoreReader& reader) -> Status {
    auto events = reader.Events().List(tenant, 0, 10);
    if (!events) return std::move(events).error();
    EXPECT_EQ(events->size(), 2u);
    if (events->size() != 2) return Ok();
    const domain::Event& first = (*events)[0];
    EXPECT_EQ(first.storefront, "outlet");
    EXPECT_EQ(first.order_id, order.id);
    EXPECT_EQ(first.shipment_id, order.shipments[0].id);
    EXPECT_TRUE(first.send_email);
    EXPECT_EQ(first.traceparent, typed.traceparent);
    const domain::Event& second = (*events)[1];
    EXPECT_EQ(second.traceparent, "");
    EXPECT_EQ(second.storefront, "");
    EXPECT_EQ(second.order_id, 0);
    EXPECT_EQ(second.shipment_id, 0);
    EXPECT_FALSE(second.send_email);
    return Ok();
  }));
}

TEST_P(StoreSuiteTest, KeysFindTheirTenantUntilRevoked) {
  int64_t tenant = 0;
  ASSERT_STORE_OK(store().Write([&](app::StoreWriter& tx) -> Status {
    auto count = tx.Tenants().Count();
    if (!count) return std::move(count).error();
    EXPECT_EQ(*count, 0);
    auto created = tx.Tenants().Ensure("acme", 1);
    if (!created) return std::move(created).error();
    auto again = tx.Tenants().Ensure("acme", 2);
    if (!again) return std::move(again).error();
    EXPECT_EQ(*created, *again);
    tenant = *created;
    auto id = tx.Tenants().InsertApiKey({tenant, "ops", "hash-1", "sl_1234", "read,write", 3, {}});
    if (!id) return std::move(id).error();
    return Ok();
  }));
  ASSERT_STORE_OK(store().Read([&](app::StoreReader& reader) -> Status {
    auto key = reader.Tenants().FindApiKey("hash-1");
    if (!key) return std::move(key).error();
    EXPECT_TRUE(key->has_value());
    if (*key) {
      EXPECT_EQ((*key)->tenant_id, tenant);
      EXPECT_EQ((*key)->name, "ops");
      EXPECT_EQ((*key)->scopes, "read,write");
      EXPECT_EQ((*key)->prefix, "sl_1234");
      EXPECT_FALSE((*key)->expires_at.has_value());
    }
    auto missing = reader.Tenants().FindApiKey("hash-2");
    if (!missing) return std::move(missing).error();
    EXPECT_FALSE(missing->has_value());
    auto count = reader.Tenants().Count();
    if (!count) return std::move(count).error();
    EXPECT_EQ(*count, 1);
    return Ok();
  }));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreSuiteTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         test::BackendParamName);

}  // namespace
}  // namespace shipline
