// Secrets at rest: the master-key cipher, the ring of keys a node holds and
// the slow password hash.

#include <gtest/gtest.h>

#include "app/api_keys.hpp"
#include "app/log.hpp"
#include "app/master_key_ring.hpp"
#include "app/password_hash.hpp"
#include "app/secret_cipher.hpp"

namespace shipline::app {
namespace {

TEST(SecretCipher, OpensWhatItSealedForTheSameColumnOnly) {
  SecretCipher cipher = SecretCipher::Generate();
  std::string sealed = cipher.Seal("webhook_secrets.secret", "whsec_abc");
  EXPECT_TRUE(SecretCipher::IsSealed(sealed));
  EXPECT_EQ(SecretCipher::KeyIdOf(sealed), cipher.key_id());
  EXPECT_EQ(sealed.find("whsec_abc"), std::string::npos);
  EXPECT_EQ(cipher.Open("webhook_secrets.secret", sealed).value(), "whsec_abc");
  EXPECT_FALSE(cipher.Open("so_providers.config", sealed).ok());
  EXPECT_NE(sealed, cipher.Seal("webhook_secrets.secret", "whsec_abc"));  // fresh nonce
}

TEST(SecretCipher, RefusesAnotherKeysValueAndADamagedOne) {
  SecretCipher cipher = SecretCipher::Generate();
  SecretCipher other = SecretCipher::Generate();
  std::string sealed = cipher.Seal("c", "secret");
  auto opened = other.Open("c", sealed);
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.error().detail.find(cipher.key_id()), std::string::npos);
  std::string damaged = sealed;
  char& c = damaged[damaged.size() - 10];  // a byte of the tag
  c = c == 'A' ? 'B' : 'A';
  EXPECT_FALSE(cipher.Open("c", damaged).ok());
  EXPECT_FALSE(SecretCipher::IsSealed("whsec_plain"));
}

TEST(SecretCipher, KeyRoundTripsThroughBase64AndRejectsOtherSizes) {
  SecretCipher cipher = SecretCipher::Generate();
  auto again = SecretCipher::FromBase64(" " + cipher.KeyBase64() + "\n");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->key_id(), cipher.key_id());
  EXPECT_EQ(again->Open("c", cipher.Seal("c", "x")).value(), "x");
  EXPECT_FALSE(SecretCipher::FromBase64("c2hvcnQ=").ok());
  EXPECT_FALSE(SecretCipher::FromBase64("not base64 at all!").ok());
}

TEST(MasterKeyRing, OpensWhatAnyOfItsKeysSealed) {
  SecretCipher old_key = SecretCipher::Generate();
  SecretCipher new_key = SecretCipher::Generate();
  MasterKeyRing ring({new_key, old_key});
  EXPECT_EQ(ring.Open("c", old_key.Seal("c", "before")).value(), "before");
  EXPECT_EQ(ring.Open("c", new_key.Seal("c", "after")).value(), "after");
  EXPECT_FALSE(ring.Open("d", new_key.Seal("c", "after")).ok());  // another column's
  SecretCipher stranger = SecretCipher::Generate();
  auto refused = ring.Open("c", stranger.Seal("c", "x"));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().detail.find(stranger.key_id()), std::string::npos);
  EXPECT_NE(refused.error().detail.find(ring.KeyIds()), std::string::npos);
}

TEST(MasterKeyRing, SealsWithTheKeyItIsToldAndNoOther) {
  SecretCipher old_key = SecretCipher::Generate();
  SecretCipher new_key = SecretCipher::Generate();
  MasterKeyRing ring({new_key, old_key});
  auto sealed = ring.Seal(old_key.key_id(), "c", "v");
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(SecretCipher::KeyIdOf(*sealed), old_key.key_id());
  EXPECT_EQ(old_key.Open("c", *sealed).value(), "v");
  sealed = ring.Seal(new_key.key_id(), "c", "v");
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(SecretCipher::KeyIdOf(*sealed), new_key.key_id());
  // A key the database names but this node was not given: no fallback.
  SecretCipher stranger = SecretCipher::Generate();
  auto refused = ring.Seal(stranger.key_id(), "c", "v");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInternal);
}

TEST(MasterKeyRing, KeepsAKeyGivenTwiceOnceAndTheFirstFirst) {
  SecretCipher a = SecretCipher::Generate();
  SecretCipher b = SecretCipher::Generate();
  MasterKeyRing ring({a, b, a});
  EXPECT_EQ(ring.keys().size(), 2u);
  EXPECT_EQ(ring.first().key_id(), a.key_id());
  EXPECT_EQ(ring.KeyIds(), a.key_id() + "," + b.key_id());
  EXPECT_TRUE(ring.Holds(b.key_id()));
  EXPECT_FALSE(ring.Holds(SecretCipher::Generate().key_id()));
}

TEST(PasswordHash, SaltedScryptMatchesOnlyItsPassword) {
  std::string hash = HashPassword("pw-1");
  EXPECT_EQ(hash.rfind("scrypt$", 0), 0u);
  EXPECT_NE(hash, HashPassword("pw-1"));  // salted
  PasswordCheck good = CheckPassword(hash, "pw-1");
  EXPECT_TRUE(good.matches);
  EXPECT_FALSE(good.needs_upgrade);
  EXPECT_FALSE(CheckPassword(hash, "pw-2").matches);
  EXPECT_FALSE(CheckPassword("scrypt$garbage", "pw-1").matches);
}

TEST(PasswordHash, AnUnsaltedSha256MatchesAndAsksForAnUpgrade) {
  PasswordCheck old = CheckPassword(HashApiKey("pw-1"), "pw-1");
  EXPECT_TRUE(old.matches);
  EXPECT_TRUE(old.needs_upgrade);
  EXPECT_FALSE(CheckPassword(HashApiKey("pw-1"), "pw-2").matches);
}

TEST(UrlForLog, HidesCredentialsAndKeepsTheRest) {
  EXPECT_EQ(UrlForLog("https://u:p@host:1/a?b#c"), "https://***@host:1/a?b#c");
  EXPECT_EQ(UrlForLog("http://host/p@q"), "http://host/p@q");
  EXPECT_EQ(UrlForLog("http://host"), "http://host");
}

}  // namespace
}  // namespace shipline::app
