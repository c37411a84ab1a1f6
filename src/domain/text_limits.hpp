#pragma once

// How long a text a client may send, by what the text is: one table for every
// contract's decoder, so that no field stores whatever a request can carry.
// Lengths are bytes of UTF-8 (what a column stores), not characters. A
// decoder names each field's kind; every other string in a request body (a
// provider's configuration, a list, a member name) is held to the largest
// limit, kMaxTextBytes. The use cases may refuse shorter values still (a
// shipment number is at most 64 characters of a narrow alphabet).

#include <cstddef>
#include <initializer_list>
#include <string_view>

#include "domain/result.hpp"

namespace shipline::domain {

enum class TextKind {
  kCode,      // a word from a short list or a standard code: status, currency, unit, locale, scope
  kId,        // identifiers and numbers: order, shipment, external and provider ids, SKUs,
              // tracking numbers, barcodes, carrier and service codes
  kName,      // a person's, company's, product's, store's or location's name; a title
  kAddress,   // one part of a postal address: a street line, city, region, postal code
  kPhone,     // a telephone number
  kEmail,     // an email address (RFC 5321's longest path)
  kUrl,       // a URL or a URL template
  kNote,      // a note, reason, description or comment
  kSecret,    // a password, token or signing secret
  kLongText,  // the Shipping Order API's instructions and package descriptions
  kExternalId,  // the Shipping Order API's external ids (order, location, group, provider)
};

struct TextLimit {
  TextKind kind;
  // How the OpenAPI documents name the kind (`"x-shipline-text": "name"`);
  // the merge step fills each such schema's maxLength from this table.
  std::string_view name;
  size_t max_bytes;
};

inline constexpr TextLimit kTextLimits[] = {
    {TextKind::kCode, "code", 64},                // longer than any code or time written as text
    {TextKind::kId, "id", 128},                   // what the use cases' own id rules allow, at most
    {TextKind::kName, "name", 200},               // a product title on the large marketplaces
    {TextKind::kAddress, "address", 200},         // a street line with its additions
    {TextKind::kPhone, "phone", 64},              // E.164 with an extension and spacing
    {TextKind::kEmail, "email", 254},             // RFC 5321's longest forward path
    {TextKind::kUrl, "url", 2048},                // what browsers and CDNs reliably carry
    {TextKind::kNote, "note", 512},               // the notes and comments shipline already allowed
    {TextKind::kSecret, "secret", 4096},          // a signed token (a JWT) with room
    {TextKind::kLongText, "long-text", 10'000},   // the Shipping Order API's own limit
    {TextKind::kExternalId, "external-id", 100},  // the Shipping Order API's own limit
};

// The limit of `kind`, in bytes.
constexpr size_t MaxTextBytes(TextKind kind) {
  for (const auto& limit : kTextLimits) {
    if (limit.kind == kind) return limit.max_bytes;
  }
  return 0;
}

// The kind named `name` (a TextLimit's name), if any.
constexpr const TextLimit* FindTextLimit(std::string_view name) {
  for (const auto& limit : kTextLimits) {
    if (limit.name == name) return &limit;
  }
  return nullptr;
}

// The largest limit: what any string of a request body is held to when its
// decoder names no kind for it.
inline constexpr size_t kMaxTextBytes = MaxTextBytes(TextKind::kLongText);

// kInvalidArgument with reason kTextTooLong naming `field`
// ("address.street1 is longer than 200 bytes") when `text` is longer than
// `kind` allows; Ok otherwise.
Status CheckTextLength(std::string_view text, TextKind kind, std::string_view field);

// The same for a text held to `max_bytes` directly.
Status CheckTextLength(std::string_view text, size_t max_bytes, std::string_view field);

// A use case's text field: its value, its kind and its name in errors.
struct TextField {
  std::string_view text;
  TextKind kind;
  std::string_view field;
};

// The first of `fields` longer than its kind allows, as CheckTextLength
// reports it; Ok when none is.
Status CheckTextLengths(std::initializer_list<TextField> fields);

}  // namespace shipline::domain
