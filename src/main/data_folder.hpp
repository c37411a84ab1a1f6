#pragma once

// The data folder: DIR/shipline.db and DIR/mail/. Shared by every command.

#include <memory>
#include <string>

#include "app/store.hpp"

namespace shipline::main {

// Creates the folder if needed and opens (migrating) DIR/shipline.db.
Result<std::unique_ptr<app::Store>> OpenStore(const std::string& data);

// Routes spdlog to standard error as one JSON object per line.
void SetUpJsonLogging();

}  // namespace shipline::main
