#pragma once

// A STOMP 1.2 client over one TCP connection, or one TLS connection for a
// `stomp+ssl://` URL (ActiveMQ, RabbitMQ's STOMP plugin, Artemis). Calls are
// synchronous and every one of them is bounded by a deadline: connecting (TCP,
// TLS handshake, CONNECTED), writing a frame, waiting for a RECEIPT. It is
// meant for worker threads, never for the HTTP I/O threads.
//
// Over TLS the broker's certificate is verified (chain and host name, see
// stomp_stream.hpp); a refused certificate fails Connect with the reason.
// Over plain TCP a login and passcode are sent only to a loopback address,
// unless Options::allow_plaintext_login says the network is trusted.
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

// The default ports: ActiveMQ's STOMP connector, and STOMP over TLS as
// RabbitMQ's plugin numbers it (ActiveMQ has no fixed one: name the port).
inline constexpr uint16_t kStompPort = 61613;
inline constexpr uint16_t kStompTlsPort = 61614;

// Where the broker is: `stomp://[user[:password]@]host[:port]`, or
// `stomp+ssl://...` (ActiveMQ's name; `stomps://` is taken as the same) for
// STOMP over TLS. User and password may be percent-encoded.
struct StompUrl {
  std::string host;
  uint16_t port = kStompPort;
  std::string login;
  std::string passcode;
  bool tls = false;

  // kInvalidArgument for another scheme, a missing host, a bad port, or a path
  // other than "/".
  static Result<StompUrl> Parse(std::string_view url);

  bool has_login() const { return !login.empty() || !passcode.empty(); }
  // True for "localhost" and loopback addresses (127.0.0.0/8, ::1).
  bool IsLoopbackHost() const;

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
    // TLS: the PEM file of the CAs that may sign the broker's certificate;
    // empty: the system's trust store. Read again on every Connect.
    std::string ca_file;
    // Send the login and passcode over plain TCP to a host that is not
    // loopback (a network the operator trusts).
    bool allow_plaintext_login = false;
  };

  StompClient();
  explicit StompClient(Options options);
  ~StompClient();
  StompClient(const StompClient&) = delete;
  StompClient& operator=(const StompClient&) = delete;

  // Opens a connection (and the TLS session for a `stomp+ssl://` URL) and
  // completes the CONNECT handshake (STOMP 1.2 only), closing any connection
  // held before. Fails when the broker cannot be reached, its certificate is
  // refused, a login would go in clear to a host that is not loopback, the
  // broker refuses the login, or it speaks another version.
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
