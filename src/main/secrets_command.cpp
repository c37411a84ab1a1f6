// `shipline secrets rotate`: re-seals every stored secret with a new master
// key in one transaction (app/secrets_at_rest.hpp).

#include <iostream>

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
  // On SQLite the server must be stopped: it would go on sealing with the
  // old key. (On PostgreSQL the operator stops the nodes; see README.)
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
  auto current = LoadMasterKey(options.master_key_file, options.data, shared);
  if (!current) {
    std::cerr << "shipline: " << current.error().message << "\n";
    return 2;
  }
  app::SystemClock clock;
  auto written = app::RotateMasterKey(**store, **current, *next, clock.NowMillis());
  if (!written) {
    std::cerr << "shipline: " << written.error().message << " " << written.error().detail << "\n";
    return written.error().code == ErrorCode::kFailedPrecondition ? 2 : 1;
  }
  std::cout << "re-sealed " << *written << " secrets with master key " << next->key_id() << "\n";
  if (default_file) {
    // The data folder's own key file: the next start must find the new key.
    if (Status replaced = WriteKeyFile(DefaultKeyFile(options.data), *next); !replaced.ok()) {
      std::cerr << "shipline: the secrets are sealed with the key in " << options.new_key_file
                << ", but " << replaced.error().detail << ": copy it there by hand\n";
      return 1;
    }
    std::cout << DefaultKeyFile(options.data) << " now holds the new key\n";
  } else {
    std::cout << "start every node with --master-key-file " << options.new_key_file << "\n";
  }
  return 0;
}

}  // namespace shipline::main
