#pragma once

// Where the master key that seals secrets at rest comes from
// (app/secret_cipher.hpp), in this order:
//   1. --master-key-file FILE (SHIPLINE_MASTER_KEY_FILE): a file holding the
//      key in base64 (`openssl rand -base64 32`);
//   2. SHIPLINE_MASTER_KEY: the key itself in base64 (an environment
//      variable only: a flag's value would show in the process list);
//   3. with SQLite, DATA/master.key, written with mode 0600 by the first
//      start that finds none (a warning says so). With PostgreSQL there is no
//      default: every node must hold the same key, so it must be given.

#include <memory>
#include <string>

#include "app/secret_cipher.hpp"
#include "domain/result.hpp"

namespace shipline::main {

// kInvalidArgument for a key that is missing (PostgreSQL), unreadable or
// malformed, with a message for the operator.
Result<std::shared_ptr<const app::SecretCipher>> LoadMasterKey(const std::string& key_file,
                                                               const std::string& data,
                                                               bool shared_database);

// Reads a key file; kInvalidArgument when it is unreadable or malformed.
Result<app::SecretCipher> ReadKeyFile(const std::string& path);

// DATA/master.key, the default key file of an embedded (SQLite) data folder.
std::string DefaultKeyFile(const std::string& data);

// Writes `cipher`'s key to `path` with mode 0600, replacing it atomically.
Status WriteKeyFile(const std::string& path, const app::SecretCipher& cipher);

}  // namespace shipline::main
