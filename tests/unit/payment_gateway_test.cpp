#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "adapters/payments/http_payment_gateway.hpp"
#include "adapters/payments/manual_payment_gateway.hpp"

namespace shipline::adapters {
namespace {

using namespace std::chrono_literals;

constexpr const char* kSecret = "sk_test_secret_42";

// A listening socket on 127.0.0.1 with a kernel-chosen port.
int ListenOnLoopback(uint16_t& port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) std::abort();
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) std::abort();
  if (::listen(fd, 4) != 0) std::abort();
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  port = ntohs(address.sin_port);
  return fd;
}

// A loopback port that nobody listens on: bound once, then released.
uint16_t ClosedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) std::abort();
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

struct RecordedRequest {
  std::string request_line;
  std::string headers;  // everything between the request line and the blank line
  std::string body;
};

// Serves exactly one HTTP request on a thread: records it, then answers with a
// canned response (or, when the response is empty, answers nothing and waits
// for the client to give up). Call Wait() before reading request().
class OneShotHttpServer {
 public:
  explicit OneShotHttpServer(std::string response) : response_(std::move(response)) {
    listen_fd_ = ListenOnLoopback(port_);
    thread_ = std::thread([this] { Serve(); });
  }
  ~OneShotHttpServer() {
    ::shutdown(listen_fd_, SHUT_RDWR);
    Wait();
    ::close(listen_fd_);
  }

  std::string BaseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void Wait() {
    if (thread_.joinable()) thread_.join();
  }
  const RecordedRequest& request() const { return request_; }

 private:
  void Serve() {
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) return;
    timeval limit{10, 0};  // a safety net so a broken client cannot hang the suite
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    std::string data;
    char buffer[4096];
    size_t header_end = std::string::npos;
    size_t wanted = 0;
    for (;;) {
      if (header_end == std::string::npos) {
        header_end = data.find("\r\n\r\n");
        if (header_end != std::string::npos) {
          size_t at = data.find("Content-Length: ");
          if (at != std::string::npos && at < header_end) {
            wanted = std::strtoul(data.c_str() + at + 16, nullptr, 10);
          }
        }
      }
      if (header_end != std::string::npos && data.size() >= header_end + 4 + wanted) break;
      ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n <= 0) break;
      data.append(buffer, static_cast<size_t>(n));
    }
    if (header_end != std::string::npos) {
      size_t line_end = data.find("\r\n");
      request_.request_line = data.substr(0, line_end);
      request_.headers = data.substr(line_end + 2, header_end - line_end);
      request_.body = data.substr(header_end + 4);
    }
    if (response_.empty()) {
      while (::read(fd, buffer, sizeof buffer) > 0) {
      }
    } else {
      ::send(fd, response_.data(), response_.size(), MSG_NOSIGNAL);
    }
    ::close(fd);
  }

  std::string response_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::thread thread_;
  RecordedRequest request_;
};

std::string HttpResponse(const std::string& status_line, const std::string& body) {
  return "HTTP/1.1 " + status_line +
         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n\r\n" + body;
}

app::CaptureRequest Request() {
  app::CaptureRequest request;
  request.payment_reference = "pi_123";
  request.amount = 2599;
  request.currency = "EUR";
  request.idempotency_key = "shipline-capture-1-7";
  request.request_id = "req-1";
  return request;
}

TEST(ManualPaymentGateway, CapturesLocallyWithoutIo) {
  ManualPaymentGateway gateway;
  EXPECT_TRUE(gateway.CapturesLocally());
  auto receipt = gateway.Capture(Request());
  ASSERT_TRUE(receipt.ok());
  EXPECT_EQ(receipt->reference, "manual-shipline-capture-1-7");
}

TEST(HttpPaymentGateway, PostsFormCaptureAndReturnsTheProviderId) {
  OneShotHttpServer server(HttpResponse("200 OK", R"({"id":"ch_1","object":"payment_intent"})"));
  HttpPaymentGateway gateway(server.BaseUrl() + "/", kSecret);
  EXPECT_FALSE(gateway.CapturesLocally());

  auto receipt = gateway.Capture(Request());
  server.Wait();

  ASSERT_TRUE(receipt.ok()) << receipt.error().detail;
  EXPECT_EQ(receipt->reference, "ch_1");
  const RecordedRequest& seen = server.request();
  EXPECT_EQ(seen.request_line, "POST /v1/payment_intents/pi_123/capture HTTP/1.1");
  EXPECT_EQ(seen.body, "amount_to_capture=2599");
  EXPECT_NE(seen.headers.find("Authorization: Bearer sk_test_secret_42\r\n"), std::string::npos)
      << seen.headers;
  EXPECT_NE(seen.headers.find("Idempotency-Key: shipline-capture-1-7\r\n"), std::string::npos);
  EXPECT_NE(seen.headers.find("Content-Type: application/x-www-form-urlencoded\r\n"),
            std::string::npos);
}

TEST(HttpPaymentGateway, EncodesTheReferenceAsOnePathSegment) {
  OneShotHttpServer server(HttpResponse("200 OK", R"({"id":"ch_2"})"));
  HttpPaymentGateway gateway(server.BaseUrl(), kSecret);
  app::CaptureRequest request = Request();
  request.payment_reference = "pi/../x y?z";

  auto receipt = gateway.Capture(request);
  server.Wait();

  ASSERT_TRUE(receipt.ok()) << receipt.error().detail;
  EXPECT_EQ(server.request().request_line,
            "POST /v1/payment_intents/pi%2F..%2Fx%20y%3Fz/capture HTTP/1.1");
}

TEST(HttpPaymentGateway, FallsBackToTheIdempotencyKeyWithoutAnId) {
  OneShotHttpServer server(HttpResponse("200 OK", "captured"));
  HttpPaymentGateway gateway(server.BaseUrl(), kSecret);

  auto receipt = gateway.Capture(Request());

  ASSERT_TRUE(receipt.ok()) << receipt.error().detail;
  EXPECT_EQ(receipt->reference, "shipline-capture-1-7");
}

TEST(HttpPaymentGateway, RefusalIsUnavailableWithStatusAndAnswer) {
  // The answer echoes the secret; the error must not.
  std::string answer = R"({"error":{"code":"card_declined","key":"sk_test_secret_42"}})";
  OneShotHttpServer server(HttpResponse("402 Payment Required", answer));
  HttpPaymentGateway gateway(server.BaseUrl(), kSecret);

  auto receipt = gateway.Capture(Request());

  ASSERT_FALSE(receipt.ok());
  EXPECT_EQ(receipt.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(receipt.error().message, "payment capture failed");
  EXPECT_NE(receipt.error().detail.find("402"), std::string::npos) << receipt.error().detail;
  EXPECT_NE(receipt.error().detail.find("card_declined"), std::string::npos);
  EXPECT_EQ(receipt.error().detail.find(kSecret), std::string::npos) << receipt.error().detail;
}

TEST(HttpPaymentGateway, KeepsOnlyTheStartOfALongAnswer) {
  std::string answer(5000, 'x');
  OneShotHttpServer server(HttpResponse("500 Internal Server Error", answer));
  HttpPaymentGateway gateway(server.BaseUrl(), kSecret);

  auto receipt = gateway.Capture(Request());

  ASSERT_FALSE(receipt.ok());
  EXPECT_EQ(receipt.error().detail, "HTTP 500: " + std::string(200, 'x'));
}

TEST(HttpPaymentGateway, DoesNotFollowRedirects) {
  OneShotHttpServer server("HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:" +
                           std::to_string(ClosedPort()) +
                           "/elsewhere\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  HttpPaymentGateway gateway(server.BaseUrl(), kSecret);

  auto receipt = gateway.Capture(Request());

  ASSERT_FALSE(receipt.ok());
  EXPECT_EQ(receipt.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(receipt.error().detail.find("HTTP 307"), std::string::npos) << receipt.error().detail;
}

TEST(HttpPaymentGateway, RefusedConnectionIsUnavailable) {
  HttpPaymentGateway gateway("http://127.0.0.1:" + std::to_string(ClosedPort()), kSecret);

  auto receipt = gateway.Capture(Request());

  ASSERT_FALSE(receipt.ok());
  EXPECT_EQ(receipt.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(receipt.error().message, "payment capture failed");
  EXPECT_NE(receipt.error().detail.find("curl"), std::string::npos) << receipt.error().detail;
  EXPECT_EQ(receipt.error().detail.find(kSecret), std::string::npos);
}

TEST(HttpPaymentGateway, SilentProviderTimesOutAsUnavailable) {
  OneShotHttpServer server("");  // reads the request, never answers
  HttpPaymentGateway gateway(server.BaseUrl(), kSecret, 200ms);

  auto receipt = gateway.Capture(Request());

  ASSERT_FALSE(receipt.ok());
  EXPECT_EQ(receipt.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace shipline::adapters
