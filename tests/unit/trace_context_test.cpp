#include "app/trace_context.hpp"

#include <gtest/gtest.h>

namespace shipline::app {
namespace {

constexpr const char* kValid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

TEST(TraceContext, ParsesTheSpecificationsExample) {
  auto context = ParseTraceparent(kValid);
  ASSERT_TRUE(context.has_value());
  EXPECT_EQ(context->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(context->parent_id, "00f067aa0ba902b7");
  EXPECT_EQ(context->flags, "01");
  EXPECT_EQ(FormatTraceparent(*context), kValid);
}

TEST(TraceContext, RejectsWhatTheSpecificationCallsInvalid) {
  for (const char* invalid : {
           "", "garbage",
           "00-00000000000000000000000000000000-00f067aa0ba902b7-01",   // zero trace id
           "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",   // zero parent id
           "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",   // upper case
           "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",   // forbidden version
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-",  // 00 has no extra
           "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",   // misplaced dash
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",   // flags not hex
           "0x-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",   // version not hex
       }) {
    EXPECT_FALSE(ParseTraceparent(invalid).has_value()) << invalid;
  }
}

TEST(TraceContext, ReadsALaterVersionByItsVersion00Fields) {
  auto context =
      ParseTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-comes");
  ASSERT_TRUE(context.has_value());
  EXPECT_EQ(context->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
}

TEST(TraceContext, AChildKeepsTheTraceWithANewSpan) {
  RandomIdSource ids;
  auto parent = ParseTraceparent(kValid);
  ASSERT_TRUE(parent.has_value());
  auto child = ParseTraceparent(OutboundTraceparent(kValid, ids));
  ASSERT_TRUE(child.has_value());
  EXPECT_EQ(child->trace_id, parent->trace_id);
  EXPECT_NE(child->parent_id, parent->parent_id);
  EXPECT_EQ(child->flags, "01");
}

TEST(TraceContext, NoStoredTraceStartsANewValidOne) {
  RandomIdSource ids;
  auto first = ParseTraceparent(OutboundTraceparent("", ids));
  auto second = ParseTraceparent(OutboundTraceparent("not a traceparent", ids));
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(second.has_value());
  EXPECT_NE(first->trace_id, second->trace_id);
  EXPECT_TRUE(ParseTraceparent(FormatTraceparent(NewTrace(ids))).has_value());
}

}  // namespace
}  // namespace shipline::app
