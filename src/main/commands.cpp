// The one-shot command migrate (the keys commands are in keys_command.cpp).

#include "main/commands.hpp"

#include <iostream>

#include "app/log.hpp"
#include "main/data_folder.hpp"

namespace shipline::main {

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
