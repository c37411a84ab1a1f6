#include "main/data_folder.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

#include "app/buffered_log_sink.hpp"
#include "app/log.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace shipline::main {

Result<std::unique_ptr<app::Store>> OpenStore(const std::string& data,
                                              const DatabaseConfig& database) {
  if (!database.url.empty()) {
    if (!store::postgres::IsPostgresUrl(database.url)) {
      return Error::Invalid("--database must be a postgres:// URL", "database");
    }
    store::postgres::PgStore::Options options;
    options.readers = database.readers;
    options.writers = database.writers;
    options.max_batch = database.batch;
    auto store = store::postgres::PgStore::Open(database.url, options);
    if (!store) return std::move(store).error();
    app::LogInfo("store: postgres", app::LogFields()
                                        .Add("database", store::postgres::RedactUrl(database.url))
                                        .Add("readers", static_cast<int64_t>(options.readers))
                                        .Add("writers", static_cast<int64_t>(options.writers))
                                        .Add("batch", static_cast<int64_t>(options.max_batch)));
    return std::unique_ptr<app::Store>(std::move(*store));
  }
  std::error_code ec;
  std::filesystem::create_directories(data, ec);
  if (ec) return Error::Internal("cannot create data folder " + data + ": " + ec.message());
  auto store =
      store::sqlite::SqliteStore::Open((std::filesystem::path(data) / "shipline.db").string());
  if (!store) return std::move(store).error();
  return std::unique_ptr<app::Store>(std::move(*store));
}

bool IsSharedDatabase(const DatabaseConfig& database) { return !database.url.empty(); }

std::unique_ptr<store::postgres::EventListener> WakeOnRemoteEvents(const DatabaseConfig& database,
                                                                   app::EventSignal& signal) {
  if (!IsSharedDatabase(database)) return nullptr;
  return std::make_unique<store::postgres::EventListener>(
      database.url, store::postgres::ConnectOptions{}, [&signal] { signal.Notify(); });
}

FolderLock::~FolderLock() { close(fd_); }

Result<std::unique_ptr<FolderLock>> LockForServing(const std::string& data) {
  std::string path = (std::filesystem::path(data) / "shipline.lock").string();
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Error::Internal("cannot open " + path + ": " + std::strerror(errno));
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    close(fd);
    return Error::Unavailable("another shipline serve is using the data folder " + data,
                              "lock held: " + path);
  }
  return std::make_unique<FolderLock>(fd);
}

void SetUpJsonLogging() {
  // Every line, the access log's included, goes through one buffer that a
  // background thread writes to standard error in batches: in order, without
  // a write per line on the thread that logs it. A warning or error is
  // written before its call returns, with every line logged before it.
  auto sink = std::make_shared<app::BufferedLogSink>(app::WriteToFd(STDERR_FILENO),
                                                     app::LogBuffer::Options{});
  auto logger = std::make_shared<spdlog::logger>("shipline", std::move(sink));
  logger->set_pattern(app::kJsonLogPattern, spdlog::pattern_time_type::utc);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(std::move(logger));
}

}  // namespace shipline::main
