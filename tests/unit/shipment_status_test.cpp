#include "domain/shipment_status.hpp"

#include <gtest/gtest.h>

namespace shipline::domain {
namespace {

using S = ShipmentStatus;

TEST(ShipmentStatus, AllowsOnlyTheTableMoves) {
  EXPECT_TRUE(CanTransition(S::kPending, S::kReleased));
  EXPECT_TRUE(CanTransition(S::kReleased, S::kShipped));
  EXPECT_TRUE(CanTransition(S::kShipped, S::kDelivered));
  EXPECT_TRUE(CanTransition(S::kPending, S::kCancelled));
  EXPECT_TRUE(CanTransition(S::kReleased, S::kCancelled));
  EXPECT_FALSE(CanTransition(S::kPending, S::kShipped));
  EXPECT_FALSE(CanTransition(S::kShipped, S::kReleased));
  EXPECT_FALSE(CanTransition(S::kShipped, S::kCancelled));
  EXPECT_FALSE(CanTransition(S::kCancelled, S::kReleased));
  EXPECT_FALSE(CanTransition(S::kDelivered, S::kShipped));
}

TEST(ShipmentStatus, NamesRoundTrip) {
  for (S status : {S::kPending, S::kReleased, S::kShipped, S::kDelivered, S::kCancelled}) {
    EXPECT_EQ(ParseShipmentStatus(ShipmentStatusName(status)), status);
  }
  EXPECT_FALSE(ParseShipmentStatus("released").has_value());
}

}  // namespace
}  // namespace shipline::domain
