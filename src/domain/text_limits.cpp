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

}  // namespace shipline::domain
