#include "main/data_folder.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <filesystem>

#include "app/log.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace shipline::main {

Result<std::unique_ptr<app::Store>> OpenStore(const std::string& data) {
  std::error_code ec;
  std::filesystem::create_directories(data, ec);
  if (ec) return Error::Internal("cannot create data folder " + data + ": " + ec.message());
  auto store =
      store::sqlite::SqliteStore::Open((std::filesystem::path(data) / "shipline.db").string());
  if (!store) return std::move(store).error();
  return std::unique_ptr<app::Store>(std::move(*store));
}

void SetUpJsonLogging() {
  auto logger = spdlog::stderr_logger_mt("shipline");
  logger->set_pattern(app::kJsonLogPattern, spdlog::pattern_time_type::utc);
  spdlog::set_default_logger(logger);
  spdlog::flush_on(spdlog::level::info);
}

}  // namespace shipline::main
