#include "store/secret_columns.hpp"

namespace shipline::store {

std::string SecretColumns::Seal(const SecretColumn& column, std::string_view clear) const {
  if (cipher_ == nullptr || clear.empty()) return std::string(clear);
  return cipher_->Seal(column.name, clear);
}

Status SecretColumns::Open(const SecretColumn& column, std::string& value) const {
  if (!app::SecretCipher::IsSealed(value)) return Ok();
  if (cipher_ == nullptr) {
    return Error::Internal(std::string(column.name) + " is sealed, but no master key is set");
  }
  auto opened = cipher_->Open(column.name, value);
  if (!opened) return std::move(opened).error();
  value = std::move(*opened);
  return Ok();
}

}  // namespace shipline::store
