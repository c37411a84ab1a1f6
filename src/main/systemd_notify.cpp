#include "main/systemd_notify.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "app/named_thread.hpp"

namespace shipline::main {

namespace {

// A socket closed on scope exit.
struct Socket {
  explicit Socket(int value) : fd(value) {}
  ~Socket() {
    if (fd >= 0) ::close(fd);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd;
};

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

}  // namespace

SystemdNotifier::SystemdNotifier() {
  std::string path = Env("NOTIFY_SOCKET");
  // Only filesystem and abstract (@name) AF_UNIX sockets; systemd uses these.
  if (!path.empty() && (path.front() == '/' || path.front() == '@') &&
      path.size() < sizeof(sockaddr_un{}.sun_path)) {
    if (path.front() == '@') path.front() = '\0';
    socket_path_ = path;
  }
  std::string pid = Env("WATCHDOG_PID");
  bool for_us = pid.empty() || pid == std::to_string(::getpid());
  std::string usec = Env("WATCHDOG_USEC");
  if (active() && for_us && !usec.empty()) {
    char* end = nullptr;
    unsigned long long value = std::strtoull(usec.c_str(), &end, 10);
    if (end != nullptr && *end == '\0' && value > 0) {
      watchdog_timeout_ = std::chrono::microseconds(value);
    }
  }
}

bool SystemdNotifier::Notify(std::string_view state) const {
  if (!active()) return false;
  Socket sock(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (sock.fd < 0) return false;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, socket_path_.data(), socket_path_.size());
  auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + socket_path_.size());
  ssize_t sent = ::sendto(sock.fd, state.data(), state.size(), MSG_NOSIGNAL,
                          reinterpret_cast<const sockaddr*>(&address), length);
  return sent == static_cast<ssize_t>(state.size());
}

Watchdog::Watchdog(const SystemdNotifier& notifier, std::function<bool()> alive)
    : notifier_(notifier), alive_(std::move(alive)) {
  auto timeout = notifier_.watchdog_timeout();
  if (timeout.count() > 0)
    thread_ = app::NamedThread("watchdog", [this, timeout] { Run(timeout / 2); });
}

Watchdog::~Watchdog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Watchdog::Run(std::chrono::microseconds interval) {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    if (alive_()) notifier_.Notify("WATCHDOG=1");
    lock.lock();
    wake_.wait_for(lock, interval, [this] { return stopping_; });
  }
}

bool ServerAnswers(const std::string& address, std::chrono::milliseconds timeout) {
  auto colon = address.rfind(':');
  if (colon == std::string::npos) return false;
  std::string host = address.substr(0, colon);
  int port = std::atoi(address.c_str() + colon + 1);
  bool v6 = host.starts_with('[');
  if (v6) host = host.substr(1, host.size() - 2);
  if (host == "0.0.0.0") host = "127.0.0.1";
  if (host == "::") host = "::1";
  sockaddr_storage storage{};
  socklen_t length = 0;
  if (v6) {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&storage);
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(static_cast<uint16_t>(port));
    if (::inet_pton(AF_INET6, host.c_str(), &in6->sin6_addr) != 1) return false;
    length = sizeof(sockaddr_in6);
  } else {
    auto* in4 = reinterpret_cast<sockaddr_in*>(&storage);
    in4->sin_family = AF_INET;
    in4->sin_port = htons(static_cast<uint16_t>(port));
    if (::inet_pton(AF_INET, host.c_str(), &in4->sin_addr) != 1) return false;
    length = sizeof(sockaddr_in);
  }
  Socket sock(::socket(storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (sock.fd < 0) return false;
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  ::setsockopt(sock.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  ::setsockopt(sock.fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  if (::connect(sock.fd, reinterpret_cast<const sockaddr*>(&storage), length) != 0) return false;
  const std::string request =
      "GET /readyz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
      "User-Agent: shipline-watchdog\r\n\r\n";
  if (::send(sock.fd, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    return false;
  }
  char head[32] = {};
  size_t got = 0;
  while (got < 12) {
    ssize_t n = ::recv(sock.fd, head + got, sizeof(head) - 1 - got, 0);
    if (n <= 0) return false;
    got += static_cast<size_t>(n);
  }
  return std::strncmp(head, "HTTP/1.", 7) == 0;
}

}  // namespace shipline::main
