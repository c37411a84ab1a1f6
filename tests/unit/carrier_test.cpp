#include "domain/carrier.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace shipline::domain {
namespace {

std::string FoundCode(const CarrierRegistry& registry, std::string_view name) {
  const Carrier* carrier = registry.Find(name);
  return carrier == nullptr ? "<none>" : carrier->code;
}

TEST(CarrierRegistry, BuiltInHasTheMajorCarriers) {
  const CarrierRegistry registry = CarrierRegistry::BuiltIn();
  for (std::string_view code :
       {"ups", "fedex", "usps", "dhl_express", "dhl_ecommerce", "canada_post", "royal_mail",
        "australia_post", "dpd", "ontrac", "purolator", "amazon"}) {
    EXPECT_NE(registry.ByCode(code), nullptr) << code;
  }
  EXPECT_EQ(registry.ByCode("amazon")->name, "Amazon Logistics");
  EXPECT_EQ(registry.ByCode("canada_post")->name, "Canada Post");
}

TEST(CarrierRegistry, EverySeedNotificationNameIsKnown) {
  // The carrier list of the 3PL Shipment Notification webhook (seed 002),
  // spelled as that API sends it.
  const CarrierRegistry registry = CarrierRegistry::BuiltIn();
  for (std::string_view name : {"ACI", "CanadaPost", "Cirro", "DHL eCommerce", "DHL Express", "DPD",
                                "ePost", "FedEx", "FlavorCloud", "Global-E", "OnTrac", "Passport",
                                "Royal Mail", "ShipMonk", "UPS", "UPSMI", "USPS"}) {
    const Carrier* carrier = registry.Find(name);
    ASSERT_NE(carrier, nullptr) << name;
    EXPECT_EQ(carrier->notification_name, name);
  }
  EXPECT_EQ(registry.ByCode("purolator")->notification_name, "Purolator");
}

TEST(CarrierRegistry, FindIgnoresCaseAndPunctuation) {
  const CarrierRegistry registry = CarrierRegistry::BuiltIn();
  for (std::string_view name :
       {"Fedex", "FEDEX", "FedEx Express", "fed-ex", "fedex", "FedEx Ground"}) {
    EXPECT_EQ(FoundCode(registry, name), "fedex") << name;
  }
  for (std::string_view name : {"Canada Post", "CanadaPost", "canada_post", "CANADA-POST"}) {
    EXPECT_EQ(FoundCode(registry, name), "canada_post") << name;
  }
  for (std::string_view name : {"Australia Post", "auspost", "AusPost", "australia_post"}) {
    EXPECT_EQ(FoundCode(registry, name), "australia_post") << name;
  }
  EXPECT_EQ(FoundCode(registry, "DHL"), "dhl_express");
  EXPECT_EQ(FoundCode(registry, "dhl"), "dhl_express");
  EXPECT_EQ(FoundCode(registry, "DHL eCommerce"), "dhl_ecommerce");
  EXPECT_EQ(FoundCode(registry, "UPSMI"), "upsmi");
  EXPECT_EQ(FoundCode(registry, "UPS"), "ups");
  EXPECT_EQ(FoundCode(registry, "global e"), "global_e");
  EXPECT_EQ(FoundCode(registry, "Amazon"), "amazon");
  EXPECT_EQ(FoundCode(registry, "U.S.P.S."), "usps");
}

TEST(CarrierRegistry, FindMissesUnknownAndEmptyNames) {
  const CarrierRegistry registry = CarrierRegistry::BuiltIn();
  EXPECT_EQ(registry.Find("Pony Express"), nullptr);
  EXPECT_EQ(registry.Find(""), nullptr);
  EXPECT_EQ(registry.Find(" - "), nullptr);
  EXPECT_EQ(registry.Find("Fed"), nullptr);
}

TEST(CarrierRegistry, EveryBuiltInNameFindsItsOwnCarrier) {
  // Guards against two built-in carriers sharing a name or alias.
  const CarrierRegistry registry = CarrierRegistry::BuiltIn();
  for (const Carrier& carrier : registry.All()) {
    EXPECT_EQ(FoundCode(registry, carrier.code), carrier.code);
    EXPECT_EQ(FoundCode(registry, carrier.name), carrier.code);
    EXPECT_EQ(FoundCode(registry, carrier.notification_name), carrier.code);
    for (const std::string& alias : carrier.aliases) {
      EXPECT_EQ(FoundCode(registry, alias), carrier.code) << alias;
    }
  }
}

TEST(CarrierRegistry, TemplatesHoldOnePlaceholderOrNone) {
  const CarrierRegistry registry = CarrierRegistry::BuiltIn();
  for (const Carrier& carrier : registry.All()) {
    const std::string& url = carrier.tracking_url_template;
    if (url.empty()) continue;
    const std::size_t first = url.find("%s");
    ASSERT_NE(first, std::string::npos) << carrier.code;
    EXPECT_EQ(url.find("%s", first + 1), std::string::npos) << carrier.code;
    EXPECT_EQ(url.rfind("https://", 0), 0u) << carrier.code;
  }
}

TEST(CarrierRegistry, ByCodeIsExact) {
  const CarrierRegistry registry = CarrierRegistry::BuiltIn();
  ASSERT_NE(registry.ByCode("fedex"), nullptr);
  EXPECT_EQ(registry.ByCode("FedEx"), nullptr);
  EXPECT_EQ(registry.ByCode("fed-ex"), nullptr);
}

TEST(CarrierRegistry, TrackingUrlSubstitutesTheNumber) {
  const CarrierRegistry registry = CarrierRegistry::BuiltIn();
  EXPECT_EQ(CarrierRegistry::TrackingUrl(*registry.ByCode("ups"), "1Z999AA10123456784"),
            "https://www.ups.com/track?tracknum=1Z999AA10123456784");
  EXPECT_EQ(CarrierRegistry::TrackingUrl(*registry.ByCode("fedex"), "986578788855"),
            "https://www.fedex.com/fedextrack/?trknbr=986578788855");
  // The link of the marketplace seed (004), character for character.
  EXPECT_EQ(CarrierRegistry::TrackingUrl(*registry.ByCode("australia_post"), "33PKP0004327"),
            "https://auspost.com.au/mypost/track/#/details/33PKP0004327");
}

TEST(CarrierRegistry, TrackingUrlPercentEncodesTheNumber) {
  const CarrierRegistry registry = CarrierRegistry::BuiltIn();
  const Carrier& ups = *registry.ByCode("ups");
  EXPECT_EQ(CarrierRegistry::TrackingUrl(ups, "AB 12/3?&#%"),
            "https://www.ups.com/track?tracknum=AB%2012%2F3%3F%26%23%25");
  EXPECT_EQ(CarrierRegistry::TrackingUrl(ups, "a-b.c_d~e"),
            "https://www.ups.com/track?tracknum=a-b.c_d~e");
  EXPECT_EQ(CarrierRegistry::TrackingUrl(ups, "\xC3\xA9"),
            "https://www.ups.com/track?tracknum=%C3%A9");
}

TEST(CarrierRegistry, TrackingUrlIsEmptyWithoutTemplateOrNumber) {
  const CarrierRegistry registry = CarrierRegistry::BuiltIn();
  EXPECT_EQ(CarrierRegistry::TrackingUrl(*registry.ByCode("shipmonk"), "SM123"), "");
  EXPECT_EQ(CarrierRegistry::TrackingUrl(*registry.ByCode("ups"), ""), "");
}

TEST(CarrierRegistry, TrackingUrlKeepsATemplateWithoutPlaceholder) {
  Carrier carrier;
  carrier.code = "local";
  carrier.tracking_url_template = "https://example.com/track";
  EXPECT_EQ(CarrierRegistry::TrackingUrl(carrier, "123"), "https://example.com/track");
}

TEST(CarrierRegistry, AddReplacesACarrierWithTheSameCode) {
  CarrierRegistry registry = CarrierRegistry::BuiltIn();
  const std::size_t count = registry.All().size();
  Carrier ups;
  ups.code = "ups";
  ups.name = "UPS (store link)";
  ups.tracking_url_template = "https://tracking.example.com/ups/%s";
  registry.Add(ups);
  EXPECT_EQ(registry.All().size(), count);
  const Carrier* found = registry.Find("UPS");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->name, "UPS (store link)");
  EXPECT_EQ(found->notification_name, "UPS (store link)");
  EXPECT_EQ(CarrierRegistry::TrackingUrl(*found, "1Z999AA10123456784"),
            "https://tracking.example.com/ups/1Z999AA10123456784");
  // The built-in alias went with the replaced entry.
  EXPECT_EQ(registry.Find("United Parcel Service"), nullptr);
}

TEST(CarrierRegistry, AddAppendsAStoreCarrier) {
  CarrierRegistry registry = CarrierRegistry::BuiltIn();
  const std::size_t count = registry.All().size();
  Carrier courier;
  courier.code = "city_courier";
  courier.name = "City Courier";
  courier.aliases = {"CC Bikes"};
  registry.Add(courier);
  ASSERT_EQ(registry.All().size(), count + 1);
  EXPECT_EQ(registry.All().back().code, "city_courier");
  EXPECT_EQ(FoundCode(registry, "city courier"), "city_courier");
  EXPECT_EQ(FoundCode(registry, "cc-bikes"), "city_courier");
  EXPECT_EQ(CarrierRegistry::TrackingUrl(*registry.ByCode("city_courier"), "X1"), "");
}

TEST(CarrierRegistry, AStoreCarrierCanTakeOverAnAliasButNotACode) {
  CarrierRegistry registry = CarrierRegistry::BuiltIn();
  Carrier parcel;
  parcel.code = "dhl_parcel_uk";
  parcel.name = "DHL Parcel UK";
  parcel.aliases = {"DHL", "dhl_express"};
  registry.Add(parcel);
  EXPECT_EQ(FoundCode(registry, "DHL"), "dhl_parcel_uk");
  EXPECT_EQ(FoundCode(registry, "dhl_express"), "dhl_express");
  EXPECT_EQ(FoundCode(registry, "DHL Express"), "dhl_express");
}

}  // namespace
}  // namespace shipline::domain
