#include "http/iso_time.hpp"

#include <gtest/gtest.h>

#include "app/clock.hpp"

namespace shipline {
namespace {

TEST(IsoTime, FormatsTimesBefore1970WithAPositiveFraction) {
  // Found by fuzz/iso_time.cpp: -1 ms was written "1970-01-01T00:00:00.-01Z".
  EXPECT_EQ(app::FormatIsoTime(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(app::FormatIsoTime(-1000), "1969-12-31T23:59:59.000Z");
  EXPECT_EQ(app::FormatIsoTime(0), "1970-01-01T00:00:00.000Z");
}

TEST(IsoTime, ATimeBefore1970ReadsBackAfterFormatting) {
  auto parsed = http::ParseIsoTime("1334-03-27T23:20:31.777Z");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(http::ParseIsoTime(app::FormatIsoTime(*parsed)), parsed);
}

}  // namespace
}  // namespace shipline
