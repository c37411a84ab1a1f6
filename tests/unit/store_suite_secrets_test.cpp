// The shared store suite, secrets at rest (app/secrets_at_rest.hpp over
// store/secret_repository.cpp and store/secret_columns.cpp): a node holding
// several master keys seals with the one the database names as current, a
// rotation re-seals every secret column and every stored Idempotency-Key
// answer, and a ring without the current key is refused. Every case runs on
// SQLite and on PostgreSQL.

#include <memory>
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
  auto rotated = app::RotateMasterKey(store(), both, new_key_, clock_.NowMillis(), 2);
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
  rotated = app::RotateMasterKey(store(), both, new_key_, clock_.NowMillis(), 2);
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

INSTANTIATE_TEST_SUITE_P(Backends, SecretsStoreTest,
                         ::testing::Values(test::Backend::kSqlite, test::Backend::kPostgres),
                         test::BackendParamName);

}  // namespace
}  // namespace shipline
