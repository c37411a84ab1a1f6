// The shared store suite, idempotency keys (app/idempotency_keys.hpp over
// store/idempotency_repository.cpp): claims, replays, mismatches, leases,
// the mark a write under a request's claim leaves, and pruning by age with a
// clock the test moves. Every case runs on SQLite and on PostgreSQL.

#include "app/idempotency_keys.hpp"
#include "support/fakes.hpp"
#include "support/store_suite_fixture.hpp"

namespace shipline {
namespace {

using app::ClaimOutcome;
using test::Backend;

constexpr int64_t kHour = 3'600'000;

class IdempotencyStoreTest : public test::StoreSuiteTest {
 protected:
  app::IdempotencyKeys Keys(int64_t prune_batch = 1'000) {
    return app::IdempotencyKeys(store(), clock_, ids_,
                                {.lease_ms = 60'000, .prune_batch = prune_batch});
  }

  static app::IdempotentRequest Request(int64_t tenant, const std::string& key,
                                        const std::string& body = R"({"a":1})") {
    return {tenant, key, "POST", "/api/v1/orders", body};
  }

  ClaimOutcome Outcome(app::IdempotencyKeys& keys, const app::IdempotentRequest& request) {
    auto claimed = keys.Claim(request);
    EXPECT_TRUE(claimed.ok()) << claimed.error().detail;
    return claimed ? claimed->outcome : ClaimOutcome::kMismatch;
  }

  // Whether `tenant` has `key` stored.
  bool Stored(int64_t tenant, const std::string& key) {
    bool found = false;
    EXPECT_STORE_OK(store().Read([&](app::StoreReader& reader) -> Status {
      auto row = reader.IdempotencyKeys().Find(tenant, key);
      if (!row) return std::move(row).error();
      found = row->has_value();
      return Ok();
    }));
    return found;
  }

  // A change made on a request's behalf: another key written in the store.
  Status ChangeUnder(const app::RequestClaim& claim, int64_t tenant, const std::string& marker) {
    app::RequestClaimScope scope(claim);
    return store().Write([&](app::StoreWriter& tx) -> Status {
      app::IdempotencyRecord record;
      record.tenant_id = tenant;
      record.key = marker;
      record.method = "POST";
      record.target = "/marker";
      record.fingerprint = "-";
      record.owner = "-";
      record.created_at = clock_.NowMillis();
      auto inserted = tx.IdempotencyKeys().Insert(record);
      if (!inserted) return std::move(inserted).error();
      return Ok();
    });
  }

  test::ManualClock clock_;
  test::CountingIds ids_;
};

TEST_P(IdempotencyStoreTest, AnAnsweredKeyReplaysAndRefusesAnotherRequest) {
  int64_t acme = Tenant("acme");
  int64_t other = Tenant("other");
  auto keys = Keys();
  auto first = keys.Claim(Request(acme, "k1"));
  ASSERT_STORE_OK(first);
  ASSERT_EQ(first->outcome, ClaimOutcome::kClaimed);
  EXPECT_EQ(Outcome(keys, Request(acme, "k1")), ClaimOutcome::kInFlight);
  app::StoredAnswer answer{201, "application/json", "Location: /x/1\n", "{\"id\":1}"};
  ASSERT_STORE_OK(keys.Answer(first->claim, answer));

  auto again = keys.Claim(Request(acme, "k1"));
  ASSERT_STORE_OK(again);
  ASSERT_EQ(again->outcome, ClaimOutcome::kReplay);
  ASSERT_TRUE(again->answer.has_value());
  EXPECT_EQ(again->answer->status, 201);
  EXPECT_EQ(again->answer->content_type, "application/json");
  EXPECT_EQ(again->answer->headers, "Location: /x/1\n");
  EXPECT_EQ(again->answer->body, "{\"id\":1}");

  EXPECT_EQ(Outcome(keys, Request(acme, "k1", R"({"a":2})")), ClaimOutcome::kMismatch);
  auto other_path = Request(acme, "k1");
  other_path.target = "/api/v1/stores/main";
  EXPECT_EQ(Outcome(keys, other_path), ClaimOutcome::kMismatch);
  // Keys belong to their tenant.
  EXPECT_EQ(Outcome(keys, Request(other, "k1", R"({"b":1})")), ClaimOutcome::kClaimed);
}

TEST_P(IdempotencyStoreTest, AWriteUnderTheClaimMarksItAppliedAndALostClaimRollsBack) {
  int64_t acme = Tenant("acme");
  auto keys = Keys();
  auto first = keys.Claim(Request(acme, "applied"));
  ASSERT_STORE_OK(first);
  ASSERT_STORE_OK(ChangeUnder(first->claim, acme, "marker-1"));
  EXPECT_TRUE(Stored(acme, "marker-1"));
  // The owner died between its change and its answer: after the lease, a
  // retry learns that the outcome is unknown and nothing runs again.
  EXPECT_EQ(Outcome(keys, Request(acme, "applied")), ClaimOutcome::kInFlight);
  clock_.Advance(60'001);
  EXPECT_EQ(Outcome(keys, Request(acme, "applied")), ClaimOutcome::kOutcomeUnknown);

  // A claim that changed nothing is taken over after its lease; the old
  // owner's late change then fails and leaves nothing.
  auto slow = keys.Claim(Request(acme, "slow"));
  ASSERT_STORE_OK(slow);
  clock_.Advance(60'001);
  auto retry = keys.Claim(Request(acme, "slow"));
  ASSERT_STORE_OK(retry);
  ASSERT_EQ(retry->outcome, ClaimOutcome::kClaimed);
  Status late = ChangeUnder(slow->claim, acme, "marker-2");
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kConflict);
  EXPECT_FALSE(Stored(acme, "marker-2"));
  ASSERT_STORE_OK(ChangeUnder(retry->claim, acme, "marker-3"));
  EXPECT_TRUE(Stored(acme, "marker-3"));
}

TEST_P(IdempotencyStoreTest, AReleasedClaimIsForgotten) {
  int64_t acme = Tenant("acme");
  auto keys = Keys();
  auto failed = keys.Claim(Request(acme, "5xx"));
  ASSERT_STORE_OK(failed);
  ASSERT_STORE_OK(keys.Release(failed->claim));
  EXPECT_FALSE(Stored(acme, "5xx"));
  EXPECT_EQ(Outcome(keys, Request(acme, "5xx", "another body")), ClaimOutcome::kClaimed);

  auto applied = keys.Claim(Request(acme, "5xx-after-change"));
  ASSERT_STORE_OK(applied);
  ASSERT_STORE_OK(ChangeUnder(applied->claim, acme, "marker"));
  ASSERT_STORE_OK(keys.Release(applied->claim));
  EXPECT_EQ(Outcome(keys, Request(acme, "5xx-after-change")), ClaimOutcome::kClaimed);

  // At a single node's start every unanswered lease ends at once.
  auto crashed = keys.Claim(Request(acme, "crashed"));
  ASSERT_STORE_OK(crashed);
  ASSERT_STORE_OK(keys.EndAllLeases());
  EXPECT_EQ(Outcome(keys, Request(acme, "crashed")), ClaimOutcome::kClaimed);
}

TEST_P(IdempotencyStoreTest, KeysArePrunedAfterTheirRetentionInBoundedBatches) {
  int64_t acme = Tenant("acme");
  auto keys = Keys(/*prune_batch=*/2);
  for (const char* key : {"old-1", "old-2", "old-3"}) {
    ASSERT_STORE_OK(keys.Claim(Request(acme, key)));
  }
  clock_.Advance(23 * kHour);
  ASSERT_STORE_OK(keys.Claim(Request(acme, "young")));
  auto none = keys.Prune();
  ASSERT_STORE_OK(none);
  EXPECT_EQ(*none, 0);  // nothing is 24 hours old yet

  clock_.Advance(kHour + 1);
  auto first = keys.Prune();
  ASSERT_STORE_OK(first);
  EXPECT_EQ(*first, 2);  // one batch
  auto second = keys.Prune();
  ASSERT_STORE_OK(second);
  EXPECT_EQ(*second, 1);
  EXPECT_FALSE(Stored(acme, "old-1"));
  EXPECT_FALSE(Stored(acme, "old-3"));
  EXPECT_TRUE(Stored(acme, "young"));
  // A pruned key is a new key.
  EXPECT_EQ(Outcome(keys, Request(acme, "old-1", "anything")), ClaimOutcome::kClaimed);
}

INSTANTIATE_TEST_SUITE_P(Backends, IdempotencyStoreTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         test::BackendParamName);

}  // namespace
}  // namespace shipline
