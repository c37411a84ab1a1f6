#include "store/secret_columns.hpp"

#include <utility>

namespace shipline::store {

Result<std::optional<std::string>> CurrentMasterKeyId(sql::Db& db, const std::string& lock) {
  SHIPLINE_SQL_QUERY(rows, db, "SELECT key_id FROM secret_keys WHERE name = $1" + lock,
                     sql::Params().Add(kMasterKeyName));
  SHIPLINE_SQL_NEXT(found, rows);
  if (!found) return std::optional<std::string>();
  return std::optional<std::string>(rows.Text(0));
}

Result<std::string> SecretColumns::Seal(const SecretColumn& column, std::string_view clear) const {
  if (keys_ == nullptr || clear.empty()) return std::string(clear);
  auto current = CurrentMasterKeyId(db_, db_.ShareLock());
  if (!current) return std::move(current).error();
  return keys_->Seal(*current ? **current : keys_->first().key_id(), column.name, clear);
}

Status SecretColumns::Open(const SecretColumn& column, std::string& value) const {
  if (!app::SecretCipher::IsSealed(value)) return Ok();
  if (keys_ == nullptr) {
    return Error::Internal(std::string(column.name) + " is sealed, but no master key is set");
  }
  auto opened = keys_->Open(column.name, value);
  if (!opened) return std::move(opened).error();
  value = std::move(*opened);
  return Ok();
}

}  // namespace shipline::store
