// `shipline secrets rotate`: re-seals every stored secret with a new master
// key (app/secrets_at_rest.hpp). On PostgreSQL the nodes may keep serving, as
// long as each holds both keys (docs/DEPLOYMENT.md): each publishes the ids of
// the keys it holds, and the rotation refuses while one seen in the last
// minute does not hold the new key, unless --force is given.

#include <iostream>
#include <string>
#include <vector>

#include "app/clock.hpp"
#include "app/log.hpp"
#include "app/secrets_at_rest.hpp"
#include "main/commands.hpp"
#include "main/data_folder.hpp"
#include "main/master_key.hpp"

namespace shipline::main {

int RotateSecretsCommand(const RotateOptions& options) {
  SetUpJsonLogging();
  bool shared = IsSharedDatabase(options.database);
  // On SQLite the server must be stopped: the data folder's one process owns
  // the database, and its default key file changes below. On PostgreSQL the
  // nodes serve on; each must hold the new key already (docs/DEPLOYMENT.md).
  std::unique_ptr<FolderLock> lock;
  if (!shared) {
    auto locked = LockForServing(options.data);
    if (!locked) {
      std::cerr << "shipline: stop the server first: " << locked.error().message << "\n";
      return 1;
    }
    lock = std::move(*locked);
  }
  auto next = ReadKeyFile(options.new_key_file);
  if (!next) {
    std::cerr << "shipline: " << next.error().message << "\n";
    return 2;
  }
  auto store = OpenStore(options.data, options.database);
  if (!store) {
    std::cerr << "shipline: cannot open the store: " << store.error().detail << "\n";
    return 1;
  }
  bool default_file =
      options.master_key_file.empty() && std::getenv("SHIPLINE_MASTER_KEY") == nullptr && !shared;
  auto current = LoadMasterKeys(options.master_key_file, options.previous_master_key_file,
                                options.data, shared);
  if (!current) {
    std::cerr << "shipline: " << current.error().message << "\n";
    return 2;
  }
  // The new key first: a database that names no key yet takes it.
  std::vector<app::SecretCipher> keys{*next};
  keys.insert(keys.end(), (*current)->keys().begin(), (*current)->keys().end());
  app::MasterKeyRing ring(std::move(keys));
  app::SystemClock clock;
  app::RotationOptions rotation;
  // On SQLite the folder lock taken above shows that no server runs: a row
  // in live_nodes can only be a killed server's.
  if (shared && !options.force) rotation.nodes_seen_since = clock.NowMillis() - app::kNodeLiveMs;
  auto rotated = app::RotateMasterKey(**store, ring, *next, clock.NowMillis(), rotation);
  if (!rotated) {
    std::cerr << "shipline: " << rotated.error().message << " " << rotated.error().detail << "\n";
    if (rotated.error().code != ErrorCode::kFailedPrecondition) return 1;
    std::cerr << "shipline: nothing changed"
              << (rotation.nodes_seen_since ? " (--force rotates although a node lacks the key)"
                                            : "")
              << "\n";
    return 2;
  }
  std::cout << "re-sealed " << rotated->secrets << " secrets and " << rotated->answers
            << " stored answers with master key " << next->key_id() << "\n";
  if (default_file) {
    // The data folder's own key file: the next start must find the new key.
    if (Status replaced = WriteKeyFile(DefaultKeyFile(options.data), *next); !replaced.ok()) {
      std::cerr << "shipline: the secrets are sealed with the key in " << options.new_key_file
                << ", but " << replaced.error().detail << ": copy it there by hand\n";
      return 1;
    }
    std::cout << DefaultKeyFile(options.data) << " now holds the new key\n";
  } else {
    std::cout << "every node may now drop the previous key: --master-key-file "
              << options.new_key_file << ", without --previous-master-key-file\n";
  }
  return 0;
}

}  // namespace shipline::main
