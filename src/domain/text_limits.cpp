#include "domain/text_limits.hpp"

#include <string>

namespace shipline::domain {

Status CheckTextLength(std::string_view text, TextKind kind, std::string_view field) {
  return CheckTextLength(text, MaxTextBytes(kind), field);
}

Status CheckTextLength(std::string_view text, size_t max_bytes, std::string_view field) {
  if (text.size() <= max_bytes) return Ok();
  return Error::Invalid(
             std::string(field) + " is longer than " + std::to_string(max_bytes) + " bytes",
             std::string(field))
      .Because(ErrorReason::kTextTooLong);
}

Status CheckTextLengths(std::initializer_list<TextField> fields) {
  for (const TextField& field : fields) {
    SHIPLINE_RETURN_IF_ERROR(CheckTextLength(field.text, field.kind, field.field));
  }
  return Ok();
}

}  // namespace shipline::domain
