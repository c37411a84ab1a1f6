// Standard Webhooks signatures, checked against the specification's published
// test vector (FACTS.md).

#include <gtest/gtest.h>

#include "adapters/webhooks/signature.hpp"
#include "app/webhooks/signing_secret.hpp"
#include "support/fakes.hpp"

namespace shipline {
namespace {

using adapters::webhooks::Sign;
using adapters::webhooks::SignatureHeader;

constexpr const char* kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr const char* kId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr int64_t kTimestamp = 1614265330;
constexpr const char* kBody = R"({"test": 2432232314})";
constexpr const char* kExpected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

TEST(WebhookSignature, MatchesThePublishedTestVector) {
  auto signature = Sign(kSecret, kId, kTimestamp, kBody);
  ASSERT_TRUE(signature.ok()) << signature.error().message;
  EXPECT_EQ(*signature, kExpected);
}

TEST(WebhookSignature, AnyChangeToIdTimestampOrBodyChangesIt) {
  EXPECT_NE(*Sign(kSecret, "msg_other", kTimestamp, kBody), kExpected);
  EXPECT_NE(*Sign(kSecret, kId, kTimestamp + 1, kBody), kExpected);
  EXPECT_NE(*Sign(kSecret, kId, kTimestamp, R"({"test":2432232314})"), kExpected);
}

TEST(WebhookSignature, ASecretWithoutPrefixIsTheSameKey) {
  EXPECT_EQ(*Sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", kId, kTimestamp, kBody), kExpected);
}

TEST(WebhookSignature, RotationSendsOneSignaturePerSecretSpaceSeparated) {
  std::string other = "whsec_" + app::webhooks::Base64Encode(std::string(32, '\x07'));
  auto header = SignatureHeader({other, kSecret}, kId, kTimestamp, kBody);
  ASSERT_TRUE(header.ok());
  std::string first = *Sign(other, kId, kTimestamp, kBody);
  EXPECT_EQ(*header, first + " " + kExpected);
  EXPECT_EQ(*SignatureHeader({}, kId, kTimestamp, kBody), "");
}

TEST(WebhookSignature, RefusesSecretsThatAreNotBase64OrTooShort) {
  EXPECT_FALSE(Sign("whsec_not*base64!", kId, kTimestamp, kBody).ok());
  EXPECT_FALSE(Sign("whsec_" + app::webhooks::Base64Encode("short"), kId, kTimestamp, kBody).ok());
  EXPECT_FALSE(SignatureHeader({kSecret, "whsec_!!"}, kId, kTimestamp, kBody).ok());
}

TEST(WebhookSecret, Base64RoundTripsEveryLength) {
  std::string bytes;
  for (int i = 0; i < 70; ++i) {
    auto decoded = app::webhooks::Base64Decode(app::webhooks::Base64Encode(bytes));
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(*decoded, bytes);
    bytes.push_back(static_cast<char>(i * 37));
  }
  EXPECT_EQ(app::webhooks::Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(app::webhooks::Base64Encode("fo"), "Zm8=");
  EXPECT_FALSE(app::webhooks::Base64Decode("Zm9v YmFy").has_value());
}

TEST(WebhookSecret, NewSecretsAreWhsecWith32RandomBytes) {
  test::CountingIds ids;
  std::string secret = app::webhooks::NewSigningSecret(ids);
  ASSERT_TRUE(secret.starts_with("whsec_"));
  auto key = app::webhooks::SecretKey(secret);
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->size(), 32u);
  EXPECT_NE(app::webhooks::NewSigningSecret(ids), secret);
}

}  // namespace
}  // namespace shipline
