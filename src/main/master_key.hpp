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
// Besides it, a node may hold previous (or next) keys, so that it opens what
// any of them sealed while a rotation is under way (docs/DEPLOYMENT.md):
//   --previous-master-key-file FILE (SHIPLINE_PREVIOUS_MASTER_KEY_FILE), one
//   or more keys in base64, one a line; or SHIPLINE_PREVIOUS_MASTER_KEY, the
//   keys themselves, separated by white space.
// Which key seals is not chosen here but by the database
// (app/master_key_ring.hpp).

#include <memory>
#include <string>
#include <vector>

#include "app/master_key_ring.hpp"
#include "domain/result.hpp"

namespace shipline::main {

// The master key (first) and the previous keys. kInvalidArgument for a key
// that is missing (PostgreSQL), unreadable or malformed, with a message for
// the operator.
Result<std::shared_ptr<const app::MasterKeyRing>> LoadMasterKeys(const std::string& key_file,
                                                                 const std::string& previous_file,
                                                                 const std::string& data,
                                                                 bool shared_database);

// Reads a file of exactly one key; kInvalidArgument when it is unreadable or
// malformed.
Result<app::SecretCipher> ReadKeyFile(const std::string& path);

// DATA/master.key, the default key file of an embedded (SQLite) data folder.
std::string DefaultKeyFile(const std::string& data);

// Writes `cipher`'s key to `path` with mode 0600, replacing it atomically.
Status WriteKeyFile(const std::string& path, const app::SecretCipher& cipher);

}  // namespace shipline::main
