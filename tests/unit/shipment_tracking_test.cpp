// What a shipment records about its carrier and tracking: domain::ResolveTracking.

#include "domain/shipment_tracking.hpp"

#include <gtest/gtest.h>

namespace shipline::domain {
namespace {

const CarrierRegistry& BuiltIn() {
  static const CarrierRegistry registry = CarrierRegistry::BuiltIn();
  return registry;
}

TEST(ResolveTracking, NamedCarrierIsMatchedLooselyAndLinked) {
  for (const char* name : {"Fedex", "FEDEX", "FedEx Express", "fed-ex"}) {
    TrackingDetails details = ResolveTracking(BuiltIn(), name, "986578788855", "");
    EXPECT_EQ(details.carrier, "FedEx") << name;
    EXPECT_EQ(details.carrier_code, "fedex") << name;
    EXPECT_EQ(details.tracking_url, "https://www.fedex.com/fedextrack/?trknbr=986578788855");
    EXPECT_TRUE(details.warnings.empty()) << name;
  }
}

TEST(ResolveTracking, NumberFailingTheNamedCarriersCheckWarns) {
  TrackingDetails details = ResolveTracking(BuiltIn(), "Fedex", "TRTTET5", "");
  EXPECT_EQ(details.carrier_code, "fedex");
  ASSERT_EQ(details.warnings.size(), 1u);
  EXPECT_NE(details.warnings[0].find("TRTTET5"), std::string::npos);
  // A valid number of another carrier fails FedEx's check too.
  EXPECT_EQ(ResolveTracking(BuiltIn(), "FedEx", "1Z999AA10123456784", "").warnings.size(), 1u);
  // A bad check digit in the carrier's own shape.
  EXPECT_EQ(ResolveTracking(BuiltIn(), "UPS", "1Z999AA10123456785", "").warnings.size(), 1u);
}

TEST(ResolveTracking, CarriersWithoutKnownFormatsNeverWarn) {
  EXPECT_TRUE(ResolveTracking(BuiltIn(), "Amazon", "TBA123", "").warnings.empty());
  EXPECT_TRUE(ResolveTracking(BuiltIn(), "ShipMonk", "whatever", "").warnings.empty());
}

TEST(ResolveTracking, DomesticAustraliaPostNumbersAreNotJudged) {
  TrackingDetails details = ResolveTracking(BuiltIn(), "Australia Post", "33PKP0004327", "");
  EXPECT_TRUE(details.warnings.empty());
  EXPECT_EQ(details.tracking_url, "https://auspost.com.au/mypost/track/#/details/33PKP0004327");
  // An S10 number of another country is judged: it is not Australia Post's.
  EXPECT_EQ(ResolveTracking(BuiltIn(), "Australia Post", "EE123456785US", "").warnings.size(), 1u);
  EXPECT_TRUE(ResolveTracking(BuiltIn(), "Australia Post", "EE123456785AU", "").warnings.empty());
}

TEST(ResolveTracking, UnknownCarrierIsKeptAsWritten) {
  TrackingDetails details = ResolveTracking(BuiltIn(), " Bob's Bikes ", "BB1", "");
  EXPECT_EQ(details.carrier, "Bob's Bikes");
  EXPECT_EQ(details.carrier_code, "");
  EXPECT_EQ(details.tracking_url, "");
  EXPECT_TRUE(details.warnings.empty());
}

TEST(ResolveTracking, WithoutACarrierTheRecognisedOneIsRecorded) {
  TrackingDetails details = ResolveTracking(BuiltIn(), "", "1Z999AA10123456784", "");
  EXPECT_EQ(details.carrier, "UPS");
  EXPECT_EQ(details.carrier_code, "ups");
  EXPECT_EQ(details.tracking_url, "https://www.ups.com/track?tracknum=1Z999AA10123456784");
  // Spaces are not part of the link.
  details = ResolveTracking(BuiltIn(), "", "9400 1112 0108 0805 4830 16", "");
  EXPECT_EQ(details.carrier_code, "usps");
  EXPECT_EQ(details.tracking_url,
            "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111201080805483016");
  // A number whose check digit fails names no carrier.
  details = ResolveTracking(BuiltIn(), "", "1Z999AA10123456785", "");
  EXPECT_EQ(details.carrier, "");
  EXPECT_EQ(details.tracking_url, "");
}

TEST(ResolveTracking, SuppliedLinkWins) {
  TrackingDetails details =
      ResolveTracking(BuiltIn(), "UPS", "1Z999AA10123456784", "https://example.com/t/1");
  EXPECT_EQ(details.tracking_url, "https://example.com/t/1");
  EXPECT_EQ(ResolveTracking(BuiltIn(), "", "", "https://example.com/x").tracking_url,
            "https://example.com/x");
}

TEST(ResolveTracking, AStoresOwnCarrierAndTemplate) {
  CarrierRegistry registry = CarrierRegistry::BuiltIn();
  Carrier courier;
  courier.code = "bike_courier";
  courier.name = "Bike Courier";
  courier.aliases = {"BC"};
  courier.tracking_url_template = "https://track.example.com/?n=%s";
  registry.Add(courier);
  TrackingDetails details = ResolveTracking(registry, "bc", "AB12", "");
  EXPECT_EQ(details.carrier, "Bike Courier");
  EXPECT_EQ(details.carrier_code, "bike_courier");
  EXPECT_EQ(details.tracking_url, "https://track.example.com/?n=AB12");
}

}  // namespace
}  // namespace shipline::domain
