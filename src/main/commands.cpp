// The one-shot commands: keys create and migrate.

#include "main/commands.hpp"

#include <iostream>

#include "app/api_keys.hpp"
#include "app/log.hpp"
#include "main/data_folder.hpp"

namespace shipline::main {

int CreateKey(const std::string& data, const DatabaseConfig& database, const std::string& tenant,
              const std::string& name) {
  SetUpJsonLogging();
  auto store = OpenStore(data, database);
  if (!store) {
    std::cerr << "shipline: cannot open the store: " << store.error().detail << "\n";
    return 1;
  }
  app::SystemClock clock;
  app::RandomIdSource ids;
  app::ApiKeys keys(**store, clock, ids);
  auto key = keys.Create(tenant, name);
  if (!key) {
    std::cerr << "shipline: " << key.error().message << " " << key.error().detail << "\n";
    return key.error().code == ErrorCode::kInvalidArgument ? 2 : 1;
  }
  std::cout << *key << std::endl;
  return 0;
}

int MigrateCommand(const std::string& data, const DatabaseConfig& database) {
  SetUpJsonLogging();
  auto store = OpenStore(data, database);
  if (!store) {
    std::cerr << "shipline: migration failed: " << store.error().detail << "\n";
    return 1;
  }
  app::LogInfo("migrations applied", app::LogFields().Add("data", data));
  return 0;
}

}  // namespace shipline::main
