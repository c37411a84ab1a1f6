// The one table of text limits, and the JSON decoding that applies it: a
// field's own limit when its decoder names its kind, the largest limit for
// any other string (named by its path).

#include "domain/text_limits.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "http/json_io.hpp"

namespace shipline {
namespace {

using domain::TextKind;

TEST(TextLimits, EveryKindHasOneLimitAndTheLargestIsTheCeiling) {
  std::set<TextKind> kinds;
  for (const auto& limit : domain::kTextLimits) {
    EXPECT_TRUE(kinds.insert(limit.kind).second) << limit.name;
    EXPECT_GT(limit.max_bytes, 0u) << limit.name;
    EXPECT_LE(limit.max_bytes, domain::kMaxTextBytes) << limit.name;
  }
  EXPECT_EQ(domain::MaxTextBytes(TextKind::kEmail), 254u);
}

TEST(TextLimits, ALimitCountsBytesAndNamesTheField) {
  const size_t max = domain::MaxTextBytes(TextKind::kName);
  EXPECT_TRUE(domain::CheckTextLength(std::string(max, 'a'), TextKind::kName, "name").ok());
  auto over = domain::CheckTextLength(std::string(max + 1, 'a'), TextKind::kName, "contact.name");
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(over.error().reason, ErrorReason::kTextTooLong);
  EXPECT_EQ(over.error().field, "contact.name");
  EXPECT_EQ(over.error().message, "contact.name is longer than " + std::to_string(max) + " bytes");
  // "é" is two bytes: half as many characters fit.
  std::string accents;
  for (size_t i = 0; i < max / 2 + 1; ++i) accents += "\xC3\xA9";
  EXPECT_FALSE(domain::CheckTextLength(accents, TextKind::kName, "name").ok());
}

TEST(TextLimits, JsonFieldsAreHeldToTheirKind) {
  auto body = http::ParseObject(R"({"note": ")" + std::string(513, 'n') + R"("})");
  ASSERT_TRUE(body.ok());
  auto note = http::OptionalString(*body, "note", "note", TextKind::kNote);
  ASSERT_FALSE(note.ok());
  EXPECT_EQ(note.error().field, "note");
  auto list = http::ParseObject(R"({"ids": ["a", ")" + std::string(129, 'i') + R"("]})");
  ASSERT_TRUE(list.ok());
  auto ids = http::OptionalStrings(*list, "ids", "ids", TextKind::kId);
  ASSERT_FALSE(ids.ok());
  EXPECT_EQ(ids.error().field, "ids[1]");
}

TEST(TextLimits, AnyOtherStringInABodyIsHeldToTheCeilingByItsPath) {
  const std::string big(domain::kMaxTextBytes + 1, 'x');
  auto nested = http::ParseObject(R"({"config": {"services": [{"id": ")" + big + R"("}]}})");
  ASSERT_FALSE(nested.ok());
  EXPECT_EQ(nested.error().field, "config.services[0].id");
  auto key = http::ParseObject(R"({"config": {")" + big + R"(": 1}})");
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().field, "config");
  const std::string fits(domain::kMaxTextBytes, 'x');
  EXPECT_TRUE(http::ParseObject(R"({"a": [")" + fits + R"("]})").ok());
}

}  // namespace
}  // namespace shipline
