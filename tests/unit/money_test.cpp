#include "domain/money.hpp"

#include <gtest/gtest.h>

namespace shipline::domain {
namespace {

TEST(Money, ParsesDecimalStringsIntoMinorUnits) {
  EXPECT_EQ(*ParseDecimal("10.50", 2), 1050);
  EXPECT_EQ(*ParseDecimal("10.5", 2), 1050);
  EXPECT_EQ(*ParseDecimal("10", 2), 1000);
  EXPECT_EQ(*ParseDecimal("0.01", 2), 1);
  EXPECT_EQ(*ParseDecimal("1500", 0), 1500);
  EXPECT_EQ(*ParseDecimal("1.234", 3), 1234);
}

TEST(Money, RejectsWhatIsNotAPlainNonNegativeDecimal) {
  for (const char* text : {"", "-1.00", "+1", "1e3", "abc", "1.", ".5", "1.001", "1,00", " 1"}) {
    EXPECT_FALSE(ParseDecimal(text, 2).ok()) << text;
  }
  EXPECT_FALSE(ParseDecimal("1.5", 0).ok());
  EXPECT_FALSE(ParseDecimal("99999999999999999999", 2).ok());
}

TEST(Money, FormatsWithTheCurrencyExponent) {
  EXPECT_EQ(FormatDecimal(1050, 2), "10.50");
  EXPECT_EQ(FormatDecimal(5, 2), "0.05");
  EXPECT_EQ(FormatDecimal(0, 2), "0.00");
  EXPECT_EQ(FormatDecimal(1500, 0), "1500");
  EXPECT_EQ(FormatDecimal(-250, 2), "-2.50");
}

TEST(Money, KnowsCurrencyExponents) {
  EXPECT_EQ(CurrencyExponent("USD"), 2);
  EXPECT_EQ(CurrencyExponent("JPY"), 0);
  EXPECT_EQ(CurrencyExponent("KWD"), 3);
  EXPECT_TRUE(IsCurrencyCode("EUR"));
  EXPECT_FALSE(IsCurrencyCode("eur"));
  EXPECT_FALSE(IsCurrencyCode("EURO"));
}

}  // namespace
}  // namespace shipline::domain
