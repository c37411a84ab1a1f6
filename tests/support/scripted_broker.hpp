#pragma once

// A scripted STOMP peer for unit tests: accepts one client on a loopback port
// and plays a script against it with plain blocking sockets.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <string>
#include <thread>

#include "adapters/broker/stomp_client.hpp"

namespace shipline::test {

using adapters::broker::StompUrl;

// One connection's worth of a broker: accepts a single client on a loopback
// port and runs `script` on it. Every read gives up after 5 s so that a
// broken test fails instead of hanging.
class ScriptedBroker {
 public:
  explicit ScriptedBroker(std::function<void(ScriptedBroker&)> script) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    auto* generic = reinterpret_cast<sockaddr*>(&address);
    EXPECT_EQ(bind(listener_, generic, length), 0);
    EXPECT_EQ(listen(listener_, 1), 0);
    EXPECT_EQ(getsockname(listener_, generic, &length), 0);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this, script = std::move(script)] {
      client_ = accept(listener_, nullptr, nullptr);
      if (client_ < 0) return;
      timeval timeout{5, 0};
      setsockopt(client_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
      script(*this);
    });
  }
  ~ScriptedBroker() {
    shutdown(listener_, SHUT_RDWR);
    Join();
    if (client_ >= 0) close(client_);
    close(listener_);
  }

  // Waits until the script has run to its end.
  void Join() {
    if (thread_.joinable()) thread_.join();
  }

  StompUrl Url() const {
    StompUrl url;
    url.host = "127.0.0.1";
    url.port = port_;
    url.login = "user";
    url.passcode = "secret";
    return url;
  }

  // The next frame from the client, heart-beats skipped; "" when it closed.
  std::string Read() {
    std::string frame;
    char c = 0;
    while (recv(client_, &c, 1, 0) == 1) {
      if (frame.empty() && (c == '\n' || c == '\r')) continue;
      if (c == '\0') return frame;
      frame += c;
    }
    return "";
  }
  void Write(const std::string& bytes) {
    ASSERT_EQ(send(client_, bytes.data(), bytes.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(bytes.size()));
  }
  // One octet from the client, or -1 when it closed.
  int ReadByte() {
    char c = 0;
    return recv(client_, &c, 1, 0) == 1 ? c : -1;
  }
  // Waits until the client closes the connection.
  void AwaitClose() {
    char c = 0;
    while (recv(client_, &c, 1, 0) == 1) {
    }
  }
  void Connected(const std::string& heart_beat = "0,0") {
    std::string connect = Read();
    EXPECT_EQ(connect.rfind("CONNECT\n", 0), 0u) << connect;
    EXPECT_NE(connect.find("accept-version:1.2\n"), std::string::npos);
    EXPECT_NE(connect.find("login:user\n"), std::string::npos);
    EXPECT_NE(connect.find("passcode:secret\n"), std::string::npos);
    Write("CONNECTED\nversion:1.2\nserver:Scripted/1\nheart-beat:" + heart_beat + "\n\n" +
          std::string(1, '\0'));
  }

 private:
  int listener_ = -1;
  int client_ = -1;
  uint16_t port_ = 0;
  std::thread thread_;
};

// The value of the receipt header of a raw frame, or "".
inline std::string ReceiptIdOf(const std::string& frame) {
  auto at = frame.find("receipt:");
  if (at == std::string::npos) return "";
  auto end = frame.find('\n', at);
  return frame.substr(at + 8, end - at - 8);
}

inline std::string Nul() { return std::string(1, '\0'); }

}  // namespace shipline::test
