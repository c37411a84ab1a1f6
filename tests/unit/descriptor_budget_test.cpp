#include "main/descriptor_budget.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>

namespace shipline::main {
namespace {

TEST(DescriptorBudget, TheWantedLimitStandsWhenItFits) {
  EXPECT_EQ(ConnectionsThatFit(10'000, 1'048'576, 400), 10'000u);
  EXPECT_EQ(ConnectionsThatFit(10'000, 10'400, 400), 10'000u);
}

TEST(DescriptorBudget, ATooSmallOpenFileLimitLowersTheConnectionLimit) {
  EXPECT_EQ(ConnectionsThatFit(10'000, 1'024, 400), 624u);
  EXPECT_EQ(ConnectionsThatFit(10'000, 10'399, 400), 9'999u);
}

TEST(DescriptorBudget, ALimitBelowTheReserveStillLeavesAFewConnections) {
  EXPECT_EQ(ConnectionsThatFit(10'000, 256, 400), 16u);
  EXPECT_EQ(ConnectionsThatFit(10'000, 400, 400), 16u);
  EXPECT_EQ(ConnectionsThatFit(4, 256, 400), 4u);  // never more than wanted
}

TEST(DescriptorBudget, TheReserveGrowsWithWhatServeOpens) {
  ServeConfig config;
  const size_t base = DescriptorsReserved(config);
  config.database.readers += 10;
  EXPECT_GE(DescriptorsReserved(config), base + 10);
  config.webhook_concurrency += 100;
  EXPECT_GE(DescriptorsReserved(config), base + 110);
  config.metrics_listen = "off";
  EXPECT_LT(DescriptorsReserved(config), base + 110);
}

TEST(DescriptorBudget, TheSoftLimitIsRaisedToTheHardOne) {
  rlimit before{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &before), 0);
  const size_t raised = RaiseOpenFileLimit();
  rlimit after{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &after), 0);
  EXPECT_GE(after.rlim_cur, before.rlim_cur);
  if (before.rlim_max != RLIM_INFINITY) {
    EXPECT_EQ(after.rlim_cur, before.rlim_max);
    EXPECT_EQ(raised, static_cast<size_t>(before.rlim_max));
  }
}

}  // namespace
}  // namespace shipline::main
