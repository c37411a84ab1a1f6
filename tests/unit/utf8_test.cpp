#include "domain/utf8.hpp"

#include <gtest/gtest.h>

namespace shipline {
namespace {

TEST(Utf8, AcceptsWellFormedTextOfEveryLength) {
  EXPECT_TRUE(domain::IsValidUtf8(""));
  EXPECT_TRUE(domain::IsValidUtf8("plain ascii"));
  EXPECT_TRUE(domain::IsValidUtf8("Zoë, 東京, 𝄞"));
  EXPECT_TRUE(domain::IsValidUtf8("\xEF\xBF\xBD"));      // U+FFFD itself
  EXPECT_TRUE(domain::IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
}

TEST(Utf8, RefusesOverlongsSurrogatesStrayBytesAndTruncation) {
  for (std::string_view bad : {"\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80",
                               "\xFE", "\x80", "ab\xE6\x9D", "\xF0\x9D\x84"}) {
    EXPECT_FALSE(domain::IsValidUtf8(bad)) << testing::PrintToString(bad);
  }
}

TEST(Utf8, XmlTextEscapesAndReplacesWhatXmlForbids) {
  std::string out;
  domain::AppendXmlText(out, "a<&>\"'\t\n b\x07\xEF\xBF\xBF\xFF\xE6\x9D\xB1");
  EXPECT_EQ(out,
            "a&lt;&amp;&gt;&quot;&apos;\t\n b\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xE6\x9D\xB1");
}

}  // namespace
}  // namespace shipline
