#include "store/postgres/pg_listener.hpp"

#include <poll.h>

#include <chrono>

#include "app/log.hpp"
#include "app/named_thread.hpp"
#include "store/postgres/pg_db.hpp"

namespace shipline::store::postgres {

namespace {
// How often the loop looks at stopping_ while nothing arrives.
constexpr int kPollMillis = 200;
constexpr auto kReconnectDelay = std::chrono::seconds(1);
}  // namespace

EventListener::EventListener(std::string url, ConnectOptions options, std::function<void()> wake)
    : url_(std::move(url)), options_(options), wake_(std::move(wake)) {
  thread_ = app::NamedThread("pg-listener", [this] { Loop(); });
}

EventListener::~EventListener() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void EventListener::Loop() {
  while (!stopping_) {
    auto connection = Connection::Open(url_, options_);
    Status listening = connection ? (*connection)->Exec(std::string("LISTEN ") + kEventsChannel)
                                  : Status(connection.error());
    if (listening.ok()) {
      wake_();  // whatever committed while nobody listened
      if (Listen(**connection)) return;
    }
    app::LogWarn("event listener lost its connection (consumers still poll)",
                 app::LogFields().Add("detail", listening.ok() ? std::string("connection closed")
                                                               : listening.error().detail));
    auto deadline = std::chrono::steady_clock::now() + kReconnectDelay;
    while (!stopping_ && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

bool EventListener::Listen(Connection& connection) {
  PGconn* conn = connection.handle();
  while (!stopping_) {
    pollfd fd{PQsocket(conn), POLLIN, 0};
    if (fd.fd < 0) return false;
    int ready = poll(&fd, 1, kPollMillis);
    if (ready < 0 && errno != EINTR) return false;
    if (ready <= 0) continue;
    if (PQconsumeInput(conn) == 0) return false;
    bool notified = false;
    while (PGnotify* notify = PQnotifies(conn)) {
      notified = true;
      PQfreemem(notify);
    }
    if (notified) wake_();
  }
  return true;
}

}  // namespace shipline::store::postgres
