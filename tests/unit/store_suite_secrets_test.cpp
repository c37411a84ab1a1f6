// The shared store suite, secrets at rest (app/secrets_at_rest.hpp over
// store/secret_repository.cpp and store/secret_columns.cpp): a node holding
// several master keys seals with the one the database names as current, a
// rotation re-seals every secret column and every stored Idempotency-Key
// answer in batches (a rotation cut between batches is finished by a run
// again), a ring without the current key is refused, and so is a rotation
// while a serving node does not hold the new key. Every case runs on SQLite
// and on PostgreSQL.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "app/idempotency_keys.hpp"
#include "app/secrets_at_rest.hpp"
#include "support/fakes.hpp"
#include "support/store_suite_fixture.hpp"

namespace shipline {
namespace {

using app::MasterKeyRing;
using app::SecretCipher;

class SecretsStoreTest : public test::StoreSuiteTest {
 protected:
  // What a node started with `keys` does first.
  Status Adopt(std::vector<SecretCipher> keys) {
    auto adopted = app::AdoptMasterKeys(
        store(), std::make_shared<const MasterKeyRing>(std::move(keys)), clock_.NowMillis());
    if (!adopted) return std::move(adopted).error();
    return Ok();
  }

  // The server secret `name`, written as `candidate` when missing, as the
  // store opens it.
  Result<std::string> ServerSecret(const std::string& name, const std::string& candidate = "-") {
    std::string stored;
    Status written = store().Write([&](app::StoreWriter& tx) -> Status {
      auto secret = tx.Queries().ServerSecret(name, candidate, clock_.NowMillis());
      if (!secret) return std::move(secret).error();
      stored = std::move(*secret);
      return Ok();
    });
    if (!written.ok()) return written.error();
    return stored;
  }

  // A webhook subscription of `tenant` with a Basic-auth password and a
  // signing secret (two secret columns keyed by integer ids); returns its id.
  int64_t Subscription(int64_t tenant, const std::string& password, const std::string& secret) {
    app::webhooks::Subscription s;
    s.tenant_id = tenant;
    s.url = "https://hooks.example/in";
    s.basic_username = "user";
    s.basic_password = password;
    s.created_at = s.updated_at = 1;
    EXPECT_STORE_OK(store().Write([&](app::StoreWriter& tx) -> Status {
      SHIPLINE_RETURN_IF_ERROR(tx.Webhooks().InsertSubscription(s));
      return tx.Webhooks().InsertSecret(s.id, secret, 1);
    }));
    return s.id;
  }

  // The subscription's password and live signing secret, as the store opens
  // them.
  Result<std::pair<std::string, std::string>> SubscriptionSecrets(int64_t tenant, int64_t id) {
    std::pair<std::string, std::string> found;
    Status read = store().Read([&](app::StoreReader& tx) -> Status {
      auto subscription = tx.Webhooks().FindSubscription(tenant, id);
      if (!subscription) return std::move(subscription).error();
      if (!*subscription) return Error::NotFound("no subscription");
      auto secrets = tx.Webhooks().LiveSecrets(id, 2);
      if (!secrets) return std::move(secrets).error();
      if (secrets->empty()) return Error::NotFound("no secret");
      found = {(*subscription)->basic_password, secrets->front().secret};
      return Ok();
    });
    if (!read.ok()) return read.error();
    return found;
  }

  // Seven server secrets s<i> = v<i> and `count` subscriptions of `tenant`
  // with password pw<i> and signing secret whsec_<i>; returns their ids.
  std::vector<int64_t> SeedNumberedSecrets(int64_t tenant, int count) {
    for (int i = 0; i < 7; ++i)
      EXPECT_STORE_OK(ServerSecret("s" + std::to_string(i), "v" + std::to_string(i)));
    std::vector<int64_t> subscriptions;
    for (int i = 0; i < count; ++i) {
      subscriptions.push_back(
          Subscription(tenant, "pw" + std::to_string(i), "whsec_" + std::to_string(i)));
    }
    return subscriptions;
  }

  // Every value SeedNumberedSecrets wrote opens as it was written.
  void ExpectNumberedSecrets(int64_t tenant, const std::vector<int64_t>& subscriptions) {
    for (int i = 0; i < 7; ++i)
      EXPECT_EQ(ServerSecret("s" + std::to_string(i)).value(), "v" + std::to_string(i));
    for (size_t i = 0; i < subscriptions.size(); ++i) {
      auto secrets = SubscriptionSecrets(tenant, subscriptions[i]);
      ASSERT_STORE_OK(secrets);
      EXPECT_EQ(secrets->first, "pw" + std::to_string(i));
      EXPECT_EQ(secrets->second, "whsec_" + std::to_string(i));
    }
  }

  // Values of the secret columns not yet sealed with `to`, counted by a walk
  // that re-seals them (zero after a finished rotation to `to`).
  int64_t NotSealedWith(const MasterKeyRing& keys, const SecretCipher& to) {
    app::SecretPosition position;
    int64_t written = 0;
    while (!position.done) {
      EXPECT_STORE_OK(store().Write([&](app::StoreWriter& tx) -> Status {
        auto resealed = tx.Secrets().ResealSecrets(keys, to, position, 1000);
        if (!resealed) return std::move(resealed).error();
        written += *resealed;
        return Ok();
      }));
    }
    return written;
  }

  app::IdempotencyKeys Keys() {
    return app::IdempotencyKeys(store(), clock_, ids_, {.lease_ms = 60'000});
  }

  static app::IdempotentRequest Request(int64_t tenant, const std::string& key) {
    return {tenant, key, "POST", "/api/v1/orders", "{}"};
  }

  test::ManualClock clock_;
  test::CountingIds ids_;
  SecretCipher old_key_ = SecretCipher::Generate();
  SecretCipher new_key_ = SecretCipher::Generate();
};

TEST_P(SecretsStoreTest, ANodeWithBothKeysSealsWithTheKeyTheDatabaseNames) {
  ASSERT_STORE_OK(Adopt({old_key_}));
  // Restarted with the new key first: the database still names the old one.
  ASSERT_STORE_OK(Adopt({new_key_, old_key_}));
  ASSERT_STORE_OK(ServerSecret("before", "sealed-with-old"));
  ASSERT_STORE_OK(Adopt({old_key_}));  // a node that holds only the old key
  EXPECT_EQ(ServerSecret("before").value(), "sealed-with-old");

  // Another node rotates; this one, holding the old key first, follows the
  // database without a restart.
  ASSERT_STORE_OK(Adopt({old_key_, new_key_}));
  MasterKeyRing both({new_key_, old_key_});
  ASSERT_STORE_OK(app::RotateMasterKey(store(), both, new_key_, clock_.NowMillis()));
  ASSERT_STORE_OK(ServerSecret("after", "sealed-with-new"));

  ASSERT_STORE_OK(Adopt({new_key_}));
  EXPECT_EQ(ServerSecret("before").value(), "sealed-with-old");
  EXPECT_EQ(ServerSecret("after").value(), "sealed-with-new");
}

TEST_P(SecretsStoreTest, ARotationReSealsStoredAnswersInBatches) {
  int64_t acme = Tenant("acme");
  int64_t other = Tenant("other");
  ASSERT_STORE_OK(Adopt({old_key_}));
  auto keys = Keys();
  std::vector<app::IdempotentRequest> requests;
  for (int i = 0; i < 5; ++i) {
    requests.push_back(Request(i % 2 == 0 ? acme : other, "k" + std::to_string(i)));
    auto claimed = keys.Claim(requests.back());
    ASSERT_STORE_OK(claimed);
    app::StoredAnswer answer{201, "application/json", "", "{\"n\":" + std::to_string(i) + "}"};
    ASSERT_STORE_OK(keys.Answer(claimed->claim, answer));
  }
  ASSERT_STORE_OK(ServerSecret("cursor", "c"));

  MasterKeyRing both({new_key_, old_key_});
  auto rotated = app::RotateMasterKey(store(), both, new_key_, clock_.NowMillis(),
                                      {.batch = 2, .nodes_seen_since = std::nullopt});
  ASSERT_STORE_OK(rotated);
  EXPECT_EQ(rotated->answers, 5);
  EXPECT_EQ(rotated->secrets, 1);

  // Only the new key from here: every answer replays as it was stored.
  ASSERT_STORE_OK(Adopt({new_key_}));
  for (size_t i = 0; i < requests.size(); ++i) {
    auto replay = keys.Claim(requests[i]);
    ASSERT_STORE_OK(replay);
    ASSERT_EQ(replay->outcome, app::ClaimOutcome::kReplay);
    ASSERT_TRUE(replay->answer.has_value());
    EXPECT_EQ(replay->answer->body, "{\"n\":" + std::to_string(i) + "}");
  }
  EXPECT_EQ(ServerSecret("cursor").value(), "c");

  // A rotation run again (one cut short) finds nothing left to do.
  rotated = app::RotateMasterKey(store(), both, new_key_, clock_.NowMillis(),
                                 {.batch = 2, .nodes_seen_since = std::nullopt});
  ASSERT_STORE_OK(rotated);
  EXPECT_EQ(rotated->answers + rotated->secrets, 0);
}

TEST_P(SecretsStoreTest, ARingWithoutTheCurrentKeyIsRefusedAndChangesNothing) {
  ASSERT_STORE_OK(Adopt({old_key_}));
  ASSERT_STORE_OK(ServerSecret("s", "v"));
  Status refused = Adopt({new_key_});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(refused.error().message.find(old_key_.key_id()), std::string::npos);
  // Nor may a rotation start from keys that do not include the current one.
  SecretCipher third = SecretCipher::Generate();
  auto rotated =
      app::RotateMasterKey(store(), MasterKeyRing({third, new_key_}), third, clock_.NowMillis());
  ASSERT_FALSE(rotated.ok());
  EXPECT_EQ(rotated.error().code, ErrorCode::kFailedPrecondition);
  ASSERT_STORE_OK(Adopt({old_key_}));
  EXPECT_EQ(ServerSecret("s").value(), "v");
}

TEST_P(SecretsStoreTest, ARotationReSealsMoreSecretsThanOneBatch) {
  int64_t acme = Tenant("acme");
  ASSERT_STORE_OK(Adopt({old_key_}));
  std::vector<int64_t> subscriptions = SeedNumberedSecrets(acme, 5);

  MasterKeyRing both({new_key_, old_key_});
  auto rotated = app::RotateMasterKey(store(), both, new_key_, clock_.NowMillis(),
                                      {.batch = 3, .nodes_seen_since = std::nullopt});
  ASSERT_STORE_OK(rotated);
  EXPECT_EQ(rotated->secrets, 7 + 5 + 5);
  EXPECT_EQ(NotSealedWith(both, new_key_), 0);

  // Only the new key from here: every value opens as it was written.
  ASSERT_STORE_OK(Adopt({new_key_}));
  ExpectNumberedSecrets(acme, subscriptions);
}

TEST_P(SecretsStoreTest, ARotationCutBetweenBatchesIsFinishedByARunAgain) {
  int64_t acme = Tenant("acme");
  ASSERT_STORE_OK(Adopt({old_key_}));
  std::vector<int64_t> subscriptions = SeedNumberedSecrets(acme, 4);

  // The first steps of a rotation, then it stops: the key is switched and
  // one batch of three signing secrets (of four) is re-sealed.
  MasterKeyRing both({new_key_, old_key_});
  ASSERT_STORE_OK(store().Write([&](app::StoreWriter& tx) -> Status {
    SHIPLINE_RETURN_IF_ERROR(tx.Secrets().MasterKeyId());
    return tx.Secrets().RecordMasterKey(new_key_.key_id(), clock_.NowMillis());
  }));
  app::SecretPosition position;
  ASSERT_STORE_OK(store().Write([&](app::StoreWriter& tx) -> Status {
    auto resealed = tx.Secrets().ResealSecrets(both, new_key_, position, 3);
    if (!resealed) return std::move(resealed).error();
    EXPECT_EQ(*resealed, 3);
    return Ok();
  }));
  ASSERT_FALSE(position.done);
  EXPECT_EQ(position.column, 0u);

  // Run again, the rotation re-seals only what was left.
  auto rotated = app::RotateMasterKey(store(), both, new_key_, clock_.NowMillis(),
                                      {.batch = 3, .nodes_seen_since = std::nullopt});
  ASSERT_STORE_OK(rotated);
  EXPECT_EQ(rotated->secrets, 4 + 4 + 7 - 3);
  EXPECT_EQ(NotSealedWith(both, new_key_), 0);
  ASSERT_STORE_OK(Adopt({new_key_}));
  ExpectNumberedSecrets(acme, subscriptions);
}

TEST_P(SecretsStoreTest, ARotationRefusesWhileANodeSeenRecentlyLacksTheNewKey) {
  ASSERT_STORE_OK(Adopt({old_key_}));
  ASSERT_STORE_OK(ServerSecret("s", "v"));
  int64_t now = clock_.NowMillis();
  MasterKeyRing old_only({old_key_});
  MasterKeyRing both({new_key_, old_key_});
  ASSERT_STORE_OK(app::PublishNodeKeys(store(), "node-a", old_only, now, now));
  // A node last seen long ago (it died without a clean stop) does not count.
  ASSERT_STORE_OK(
      app::PublishNodeKeys(store(), "node-gone", old_only, 1, now - 2 * app::kNodeLiveMs));
  ASSERT_STORE_OK(app::PublishNodeKeys(store(), "node-b", both, now, now));
  app::RotationOptions check{.batch = 500, .nodes_seen_since = now - app::kNodeLiveMs};

  auto refused = app::RotateMasterKey(store(), both, new_key_, now, check);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(refused.error().message.find("node-a"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().message.find(new_key_.key_id()), std::string::npos);
  EXPECT_EQ(refused.error().message.find("node-b"), std::string::npos);
  EXPECT_EQ(refused.error().message.find("node-gone"), std::string::npos);
  // Nothing changed: the database still names the old key.
  ASSERT_STORE_OK(Adopt({old_key_}));
  EXPECT_EQ(NotSealedWith(old_only, old_key_), 0);

  // Restarted with both keys, the node no longer stands in the way.
  ASSERT_STORE_OK(app::WithdrawNodeKeys(store(), "node-a"));
  ASSERT_STORE_OK(app::PublishNodeKeys(store(), "node-a2", both, now, now));
  auto rotated = app::RotateMasterKey(store(), both, new_key_, now, check);
  ASSERT_STORE_OK(rotated);
  EXPECT_EQ(rotated->secrets, 1);

  // From now on a node without the new key cannot publish (nor seal).
  Status lacking = app::PublishNodeKeys(store(), "node-c", old_only, now, now);
  ASSERT_FALSE(lacking.ok());
  EXPECT_EQ(lacking.error().code, ErrorCode::kFailedPrecondition);
  // Publishing prunes the rows of nodes not seen for long.
  clock_.Advance(app::kNodeForgetMs + 1);
  ASSERT_STORE_OK(app::PublishNodeKeys(store(), "node-b", both, now, clock_.NowMillis()));
  ASSERT_STORE_OK(store().Read([&](app::StoreReader& tx) -> Status {
    auto nodes = tx.Secrets().NodesSeenSince(0);
    if (!nodes) return std::move(nodes).error();
    EXPECT_EQ(nodes->size(), 1u);
    if (!nodes->empty()) {
      EXPECT_EQ(nodes->front().node_id, "node-b");
      EXPECT_EQ(nodes->front().key_ids,
                (std::vector<std::string>{new_key_.key_id(), old_key_.key_id()}));
    }
    return Ok();
  }));
}

INSTANTIATE_TEST_SUITE_P(Backends, SecretsStoreTest,
                         ::testing::Values(test::Backend::kSqlite, test::Backend::kPostgres),
                         test::BackendParamName);

}  // namespace
}  // namespace shipline
