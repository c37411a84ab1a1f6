#pragma once

// A STOMP 1.2 client over one TCP connection (ActiveMQ, RabbitMQ's STOMP
// plugin, Artemis). Calls are synchronous and every one of them is bounded by
// a deadline: connecting, writing a frame, waiting for CONNECTED or a RECEIPT.
// It is meant for worker threads, never for the HTTP I/O threads.
//
// Any failure (a socket error, a timeout, an ERROR frame from the broker, a
// malformed frame) closes the connection and returns kUnavailable with the
// cause in the detail; the caller connects again when it wants to retry. The
// passcode never appears in an error or a log line.
//
// Heart-beats: the client asks the broker to send one every
// `heart_beat_receive` and counts a silence of twice the agreed interval as a
// dead connection (noticed by any call that reads, and by KeepAlive). It
// offers to send its own every `heart_beat_send` (0, the default, offers none,
// so that a slow caller busy elsewhere never looks dead to the broker); when
// agreed, they are sent by any call that waits and by KeepAlive.
//
// Not thread-safe, except Interrupt().

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/broker/stomp_frame.hpp"
#include "domain/result.hpp"

namespace shipline::adapters::broker {

// Where the broker is: `stomp://[user[:password]@]host[:port]`, the port
// 61613 by default. User and password may be percent-encoded.
struct StompUrl {
  std::string host;
  uint16_t port = 61613;
  std::string login;
  std::string passcode;

  // kInvalidArgument for another scheme, a missing host, a bad port, or a path
  // other than "/".
  static Result<StompUrl> Parse(std::string_view url);

  // The URL without the password, for logs.
  std::string Redacted() const;
};

class StompClient {
 public:
  struct Options {
    std::chrono::milliseconds connect_timeout{5'000};      // TCP connect plus CONNECTED
    std::chrono::milliseconds reply_timeout{10'000};       // a write, or a wait for a RECEIPT
    std::chrono::milliseconds heart_beat_send{0};          // 0: offer none
    std::chrono::milliseconds heart_beat_receive{10'000};  // 0: ask for none
    size_t max_frame_bytes = 4 << 20;     // larger incoming frames fail the connection
    size_t max_pending_messages = 1'024;  // MESSAGE frames held while waiting for a receipt
    std::string virtual_host;             // the CONNECT host header; empty: the URL's host
    ContentLength send_content_length = ContentLength::kWhenNeeded;  // for SEND frames
  };

  StompClient();
  explicit StompClient(Options options);
  ~StompClient();
  StompClient(const StompClient&) = delete;
  StompClient& operator=(const StompClient&) = delete;

  // Opens a connection and completes the CONNECT handshake (STOMP 1.2 only),
  // closing any connection held before. Fails when the broker cannot be
  // reached, refuses the login, or speaks another version.
  Status Connect(const StompUrl& url);
  bool connected() const;
  // The broker's `server` header from CONNECTED, e.g. "ActiveMQ/5.17.2".
  const std::string& server() const;

  // Writes `frame` asking for a receipt (a `receipt` header is added) and
  // returns the receipt id to pass to AwaitReceipt. Several frames may be
  // written before their receipts are awaited, in any order.
  Result<std::string> SendWithReceipt(StompFrame frame);
  // Writes `frame` with no receipt (e.g. an ACK whose outcome does not matter).
  Status SendFrame(const StompFrame& frame);

  // Waits up to reply_timeout for the RECEIPT named `receipt_id`. Messages that
  // arrive meanwhile are kept for NextMessage. An ERROR frame or a timeout
  // fails (and closes the connection: its state is then unknown).
  Status AwaitReceipt(std::string_view receipt_id);

  // The next MESSAGE frame, waiting up to `wait`; nullopt when none came.
  Result<std::optional<StompFrame>> NextMessage(std::chrono::milliseconds wait);

  // Sends a heart-beat when one is due and reads whatever already arrived,
  // without blocking; fails when the broker has gone silent for too long or
  // sent an ERROR. Does nothing when not connected.
  Status KeepAlive();

  // DISCONNECT with a receipt, then close. Best effort: the connection is
  // closed in any case.
  void Disconnect();
  // Closes the connection at once.
  void Close();

  // Thread-safe: a call blocked in another thread fails within about 100 ms,
  // and every later call fails at once. For shutdown.
  void Interrupt();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace shipline::adapters::broker
