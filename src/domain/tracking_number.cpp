#include "domain/tracking_number.hpp"

#include <array>

namespace shipline::domain {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsAlnum(char c) { return IsDigit(c) || IsUpper(c); }
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool AllDigits(std::string_view text) {
  for (char c : text) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

bool AllDigitsOfLength(std::string_view text, std::size_t length) {
  return text.size() == length && AllDigits(text);
}

int DigitValue(char c) { return c - '0'; }

// The value a character contributes to a mod 10 sum: digits count as
// themselves, letters as (ASCII - 3) mod 10 (the UPS rule, which maps A to 2
// and Z to 7).
int Mod10Value(char c) { return IsDigit(c) ? DigitValue(c) : (static_cast<int>(c) - 3) % 10; }

int TenComplement(int sum) { return (10 - sum % 10) % 10; }

// mod10(e,o) of FACTS.md: characters at even positions (0-based, from the
// left) weigh `even_weight`, those at odd positions `odd_weight`.
int Mod10FromLeft(std::string_view serial, int even_weight, int odd_weight) {
  int sum = 0;
  for (std::size_t i = 0; i < serial.size(); ++i) {
    sum += Mod10Value(serial[i]) * (i % 2 == 0 ? even_weight : odd_weight);
  }
  return TenComplement(sum);
}

// The USPS rule counted from the right: the digit next to the check weighs 3,
// the one before it 1, and so on. It lets serials of any length share a rule.
int Mod10FromRight(std::string_view serial) {
  int sum = 0;
  for (std::size_t i = 0; i < serial.size(); ++i) {
    const std::size_t from_right = serial.size() - 1 - i;
    sum += DigitValue(serial[i]) * (from_right % 2 == 0 ? 3 : 1);
  }
  return TenComplement(sum);
}

// A weighted sum with a repeating weight pattern, then mod 11 and mod 10: a
// remainder of 10 becomes a check digit of 0 (FedEx Express).
int WeightedMod11(std::string_view serial, const std::array<int, 3>& weights) {
  int sum = 0;
  for (std::size_t i = 0; i < serial.size(); ++i) {
    sum += DigitValue(serial[i]) * weights[i % 3];
  }
  return sum % 11 % 10;
}

// Luhn over a serial whose check digit is not included: the rightmost serial
// digit is doubled, then every second one to its left.
int LuhnCheck(std::string_view serial) {
  int sum = 0;
  for (std::size_t i = 0; i < serial.size(); ++i) {
    const std::size_t from_right = serial.size() - 1 - i;
    int value = DigitValue(serial[i]);
    if (from_right % 2 == 0) {
      value *= 2;
      if (value > 9) value -= 9;
    }
    sum += value;
  }
  return TenComplement(sum);
}

// ISO 7064 MOD 37,36, the hybrid system over the alphabet 0-9 A-Z (values
// 0 to 35). Starting from P = 36, each character gives S = P + value reduced
// mod 36 with 0 read as 36, then P = 2S mod 37. The check character c makes
// (P + c) mod 36 equal 1, so c = (37 - P) mod 36.
char Mod3736Check(std::string_view serial) {
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  int product = 36;
  for (char c : serial) {
    const int value = IsDigit(c) ? DigitValue(c) : c - 'A' + 10;
    int sum = (product + value) % 36;
    if (sum == 0) sum = 36;
    product = (sum * 2) % 37;
  }
  return kAlphabet[static_cast<std::size_t>((37 - product) % 36)];
}

bool CheckDigitIs(char c, int expected) { return IsDigit(c) && DigitValue(c) == expected; }

// UPS: "1Z", 15 alphanumerics, a check digit; mod10(1,2) over the 15.
bool UpsShape(std::string_view n) {
  if (n.size() != 18 || n.substr(0, 2) != "1Z") return false;
  for (char c : n.substr(2)) {
    if (!IsAlnum(c)) return false;
  }
  return true;
}
bool UpsCheck(std::string_view n) {
  return CheckDigitIs(n[17], Mod10FromLeft(n.substr(2, 15), 1, 2));
}

// OnTrac: "C" or "D", 13 digits, a check digit; mod10(1,2) over the 13 with
// 4 (for C) or 5 (for D) put in front.
bool OnTracShape(std::string_view n) {
  return n.size() == 15 && (n[0] == 'C' || n[0] == 'D') && AllDigits(n.substr(1));
}
bool OnTracCheck(std::string_view n) {
  std::string serial(1, n[0] == 'C' ? '4' : '5');
  serial.append(n.substr(1, 13));
  return CheckDigitIs(n[14], Mod10FromLeft(serial, 1, 2));
}

// UPU S10: 2 letters, 8 digits, a check digit, a 2-letter country.
bool S10Shape(std::string_view n) {
  return n.size() == 13 && IsUpper(n[0]) && IsUpper(n[1]) && AllDigits(n.substr(2, 9)) &&
         IsUpper(n[11]) && IsUpper(n[12]);
}
bool S10Check(std::string_view n) {
  static constexpr std::array<int, 8> kWeights = {8, 6, 4, 2, 3, 5, 9, 7};
  int sum = 0;
  for (std::size_t i = 0; i < kWeights.size(); ++i) sum += DigitValue(n[2 + i]) * kWeights[i];
  const int remainder = sum % 11;
  const int check = remainder == 0 ? 5 : remainder == 1 ? 0 : 11 - remainder;
  return CheckDigitIs(n[10], check);
}

// The postal operators in the registry, by S10 country suffix. Numbers of
// other operators are still recognized as S10, without a carrier.
struct S10Operator {
  std::string_view country;
  std::string_view carrier;
};
constexpr std::array<S10Operator, 4> kS10Operators = {{
    {"US", "usps"},
    {"CA", "canada_post"},
    {"GB", "royal_mail"},
    {"AU", "australia_post"},
}};
std::string_view S10Carrier(std::string_view n) {
  for (const S10Operator& op : kS10Operators) {
    if (n.substr(11, 2) == op.country) return op.carrier;
  }
  return {};
}

// USPS IMpb: application id 92-95, service, mailer id, serial and check, 20
// to 26 digits in all.
bool ImpbCoreShape(std::string_view core) {
  return core.size() >= 20 && core.size() <= 26 && AllDigits(core) && core[0] == '9' &&
         core[1] >= '2' && core[1] <= '5';
}
bool ImpbCoreCheck(std::string_view core) {
  return ImpbCoreShape(core) &&
         CheckDigitIs(core.back(), Mod10FromRight(core.substr(0, core.size() - 1)));
}
// The barcode form may carry a "420" + ZIP5 or ZIP9 routing prefix; the number
// proper starts after it. Both prefix lengths are tried, as the digits alone
// do not say which one was used.
constexpr std::array<std::size_t, 3> kImpbPrefixLengths = {0, 8, 12};
bool ImpbShape(std::string_view n) {
  for (std::size_t prefix : kImpbPrefixLengths) {
    if (prefix > 0 && (n.substr(0, 3) != "420" || !AllDigits(n.substr(0, prefix)))) continue;
    if (n.size() > prefix && ImpbCoreShape(n.substr(prefix))) return true;
  }
  return false;
}
bool ImpbCheck(std::string_view n) {
  for (std::size_t prefix : kImpbPrefixLengths) {
    if (prefix > 0 && (n.substr(0, 3) != "420" || !AllDigits(n.substr(0, prefix)))) continue;
    if (n.size() > prefix && ImpbCoreCheck(n.substr(prefix))) return true;
  }
  return false;
}

// FedEx Ground 96: "96", SCNC and service (5 digits), shipper id and package
// number (14 digits), check; mod10(1,3) over the 14.
bool FedExGround96Shape(std::string_view n) {
  return AllDigitsOfLength(n, 22) && n.substr(0, 2) == "96";
}
bool FedExGround96Check(std::string_view n) {
  return CheckDigitIs(n[21], Mod10FromLeft(n.substr(7, 14), 1, 3));
}

// FedEx 34-digit barcode (Express and Ground): weights 1,7,3 over the 13
// digits before the check.
bool FedEx34Shape(std::string_view n) { return AllDigitsOfLength(n, 34); }
bool FedEx34Check(std::string_view n) {
  return CheckDigitIs(n[33], WeightedMod11(n.substr(20, 13), {1, 7, 3}));
}

// USPS 20: mod10(3,1) over the first 19 digits.
bool Usps20Shape(std::string_view n) { return AllDigitsOfLength(n, 20); }
bool Usps20Check(std::string_view n) {
  return CheckDigitIs(n[19], Mod10FromLeft(n.substr(0, 19), 3, 1));
}

// FedEx SmartPost prints the IMpb number without its "92" application id (20
// digits); the check is the IMpb one with "92" put back in front. The full
// 22-digit form starting "92" belongs to FedEx as well, but recognition
// reaches the USPS IMpb rule first, as USPS delivers these parcels.
bool FedExSmartPostShape(std::string_view n) {
  return (AllDigitsOfLength(n, 20) && n.substr(0, 2) != "92") ||
         (AllDigitsOfLength(n, 22) && n.substr(0, 2) == "92");
}
bool FedExSmartPostCheck(std::string_view n) {
  std::string serial = n.size() == 20 ? "92" : "";
  serial.append(n.substr(0, n.size() - 1));
  return CheckDigitIs(n.back(), Mod10FromRight(serial));
}

// Canada Post 16: mod10(3,1) over the first 15.
bool CanadaPostShape(std::string_view n) { return AllDigitsOfLength(n, 16); }
bool CanadaPostCheck(std::string_view n) {
  return CheckDigitIs(n[15], Mod10FromLeft(n.substr(0, 15), 3, 1));
}

// FedEx Ground 15: mod10(1,3) over the first 14.
bool FedEx15Shape(std::string_view n) { return AllDigitsOfLength(n, 15); }
bool FedEx15Check(std::string_view n) {
  return CheckDigitIs(n[14], Mod10FromLeft(n.substr(0, 14), 1, 3));
}

// DPD: 27 (barcode) or 14 (parcel number) digits and a check character.
bool DpdShape(std::string_view n) {
  return (n.size() == 28 || n.size() == 15) && AllDigits(n.substr(0, n.size() - 1)) &&
         IsAlnum(n.back());
}
bool DpdCheck(std::string_view n) { return n.back() == Mod3736Check(n.substr(0, n.size() - 1)); }

// FedEx Express 12: weights 3,1,7 over the first 11.
bool FedEx12Shape(std::string_view n) { return AllDigitsOfLength(n, 12); }
bool FedEx12Check(std::string_view n) {
  return CheckDigitIs(n[11], WeightedMod11(n.substr(0, 11), {3, 1, 7}));
}

// Purolator: 12 digits starting 0-5, Luhn over the first 11.
bool PurolatorShape(std::string_view n) { return AllDigitsOfLength(n, 12) && n[0] <= '5'; }
bool PurolatorCheck(std::string_view n) { return CheckDigitIs(n[11], LuhnCheck(n.substr(0, 11))); }

// DHL Express: 10 or 11 digits; the serial (all but the last digit) mod 7 is
// the check digit.
bool DhlExpressShape(std::string_view n) {
  return AllDigitsOfLength(n, 10) || AllDigitsOfLength(n, 11);
}
bool DhlExpressCheck(std::string_view n) {
  int remainder = 0;
  for (char c : n.substr(0, n.size() - 1)) remainder = (remainder * 10 + DigitValue(c)) % 7;
  return CheckDigitIs(n.back(), remainder);
}

struct FormatRule {
  std::string_view format;
  std::string_view carrier;  // empty: the carrier comes from the number (S10)
  bool (*shape)(std::string_view);
  bool (*check)(std::string_view);
};

// The order is the recognition order. Shapes with fixed letters or prefixes
// come before bare digit counts; among bare digit counts of the same length
// the more common carrier comes first (FedEx before Purolator for 12 digits,
// USPS before FedEx SmartPost for 20). A ZIP-prefixed IMpb precedes FedEx 34
// and DPD because its "420" + "92..95" prefix is the stronger signal. The
// guess can be wrong: the SmartPost check digit is always the USPS 20 one plus
// one, so a USPS 20 number with that typo reads as a valid SmartPost number.
constexpr FormatRule kRules[] = {
    {"ups_1z", "ups", UpsShape, UpsCheck},
    {"ontrac", "ontrac", OnTracShape, OnTracCheck},
    {"s10", "", S10Shape, S10Check},
    {"usps_impb", "usps", ImpbShape, ImpbCheck},
    {"fedex_ground_96", "fedex", FedExGround96Shape, FedExGround96Check},
    {"fedex_34", "fedex", FedEx34Shape, FedEx34Check},
    {"usps_20", "usps", Usps20Shape, Usps20Check},
    {"fedex_smartpost", "fedex", FedExSmartPostShape, FedExSmartPostCheck},
    {"canada_post", "canada_post", CanadaPostShape, CanadaPostCheck},
    {"fedex_15", "fedex", FedEx15Shape, FedEx15Check},
    {"dpd", "dpd", DpdShape, DpdCheck},
    {"fedex_12", "fedex", FedEx12Shape, FedEx12Check},
    {"purolator", "purolator", PurolatorShape, PurolatorCheck},
    {"dhl_express", "dhl_express", DhlExpressShape, DhlExpressCheck},
};

std::string_view CarrierOf(const FormatRule& rule, std::string_view n) {
  return rule.carrier.empty() ? S10Carrier(n) : rule.carrier;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return IsUpper(c) ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace

std::string NormalizeTrackingNumber(std::string_view number) {
  std::string out;
  out.reserve(number.size());
  for (char c : number) {
    if (IsSpace(c)) continue;
    out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  return out;
}

TrackingMatch RecognizeTrackingNumber(std::string_view number) {
  TrackingMatch match;
  match.normalized = NormalizeTrackingNumber(number);
  const std::string_view n = match.normalized;
  const FormatRule* first_shape = nullptr;
  for (const FormatRule& rule : kRules) {
    if (!rule.shape(n)) continue;
    if (rule.check(n)) {
      match.carrier_code = CarrierOf(rule, n);
      match.format = rule.format;
      match.valid = true;
      return match;
    }
    if (first_shape == nullptr) first_shape = &rule;
  }
  if (first_shape != nullptr) {
    match.carrier_code = CarrierOf(*first_shape, n);
    match.format = first_shape->format;
  } else {
    match.format = "unknown";
  }
  return match;
}

bool CheckTrackingNumber(std::string_view carrier_code, std::string_view number) {
  if (carrier_code.empty()) return false;
  const std::string n = NormalizeTrackingNumber(number);
  for (const FormatRule& rule : kRules) {
    if (rule.shape(n) && EqualsIgnoringCase(CarrierOf(rule, n), carrier_code) && rule.check(n)) {
      return true;
    }
  }
  return false;
}

bool KnowsTrackingFormats(std::string_view carrier_code) {
  if (carrier_code.empty()) return false;
  for (const FormatRule& rule : kRules) {
    if (EqualsIgnoringCase(rule.carrier, carrier_code)) return true;
  }
  for (const S10Operator& op : kS10Operators) {
    if (EqualsIgnoringCase(op.carrier, carrier_code)) return true;
  }
  return false;
}

}  // namespace shipline::domain
