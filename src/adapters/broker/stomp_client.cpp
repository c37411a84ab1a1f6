#include "adapters/broker/stomp_client.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/url/parse.hpp>
#include <charconv>
#include <deque>
#include <set>

#include "adapters/broker/stomp_stream.hpp"

namespace shipline::adapters::broker {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;
using TimePoint = SteadyClock::time_point;

namespace {

// How long one turn of the event loop may run before Interrupt() is noticed.
constexpr std::chrono::milliseconds kSlice{100};
// Receipts that arrived for no one waiting (a caller gave up on them).
constexpr size_t kMaxEarlyReceipts = 4'096;
constexpr size_t kReadChunk = 64 << 10;
constexpr size_t kMaxErrorText = 300;

Error Unavailable(std::string detail) {
  return Error::Unavailable("message broker unavailable", std::move(detail));
}

// The value of a `heart-beat` header, "x,y" in milliseconds.
std::optional<std::pair<int64_t, int64_t>> ParseHeartBeat(std::string_view text) {
  size_t comma = text.find(',');
  if (comma == text.npos) return std::nullopt;
  int64_t x = 0;
  int64_t y = 0;
  std::string_view first = text.substr(0, comma);
  std::string_view second = text.substr(comma + 1);
  auto a = std::from_chars(first.data(), first.data() + first.size(), x);
  auto b = std::from_chars(second.data(), second.data() + second.size(), y);
  if (a.ec != std::errc() || a.ptr != first.data() + first.size() || b.ec != std::errc() ||
      b.ptr != second.data() + second.size() || x < 0 || y < 0) {
    return std::nullopt;
  }
  return std::make_pair(x, y);
}

// What an ERROR frame says, short enough for a log line.
std::string DescribeError(const StompFrame& frame) {
  std::string text = "broker sent ERROR";
  if (auto message = frame.Header("message")) {
    text += ": ";
    text += *message;
  }
  if (!frame.body.empty()) {
    std::string_view body(frame.body);
    text += " (";
    text += body.substr(0, std::min(kMaxErrorText, body.find('\n')));
    text += ")";
  }
  return text;
}

}  // namespace

Result<StompUrl> StompUrl::Parse(std::string_view text) {
  auto parsed = boost::urls::parse_uri(text);
  if (!parsed) return Error::Invalid("the broker URL is not a URL", "broker");
  const auto& url = *parsed;
  StompUrl out;
  if (url.scheme() == "stomp+ssl" || url.scheme() == "stomps") {
    out.tls = true;
    out.port = kStompTlsPort;
  } else if (url.scheme() != "stomp") {
    return Error::Invalid("the broker URL must start with stomp:// or stomp+ssl:// (TLS)",
                          "broker");
  }
  out.host = url.host_address();
  if (out.host.empty()) return Error::Invalid("the broker URL has no host", "broker");
  if (url.has_port()) {
    if (url.port().empty() || url.port_number() == 0) {
      return Error::Invalid("the broker URL has a bad port", "broker");
    }
    out.port = url.port_number();
  }
  if (url.has_userinfo()) {
    out.login = url.user();
    out.passcode = url.password();
  }
  if (!url.path().empty() && url.path() != "/") {
    return Error::Invalid("the broker URL cannot have a path", "broker");
  }
  if (url.has_query() || url.has_fragment()) {
    return Error::Invalid("the broker URL cannot have a query or fragment", "broker");
  }
  return out;
}

bool StompUrl::IsLoopbackHost() const {
  if (host == "localhost") return true;
  boost::system::error_code not_address;
  auto address = asio::ip::make_address(host, not_address);
  return !not_address && address.is_loopback();
}

std::string StompUrl::Redacted() const {
  std::string out = tls ? "stomp+ssl://" : "stomp://";
  if (!login.empty()) out += login + "@";
  out += host.find(':') != std::string::npos ? "[" + host + "]" : host;
  out += ":" + std::to_string(port);
  return out;
}

struct StompClient::Impl {
  explicit Impl(Options opts) : options(std::move(opts)), decoder(options.max_frame_bytes) {}

  // Runs the event loop until `done` is set or `deadline` passes. Returns
  // false on the deadline, after cancelling the pending operation and running
  // its handler (so nothing refers to the caller's locals any more); fails
  // when interrupted, after closing the connection.
  Result<bool> Drive(const bool& done, TimePoint deadline) {
    while (!done) {
      if (interrupted.load()) {
        CloseSocket();
        return Unavailable("interrupted (shutting down)");
      }
      TimePoint now = SteadyClock::now();
      if (now >= deadline) {
        boost::system::error_code ignored;
        stream.socket().cancel(ignored);
        resolver.cancel();
        io.restart();
        io.run();
        return false;
      }
      io.restart();
      io.run_for(std::min<SteadyClock::duration>(deadline - now, kSlice));
    }
    return true;
  }

  // Closes the socket, completes every pending handler and forgets the TLS
  // session.
  void CloseSocket() {
    stream.Close();
    resolver.cancel();
    io.restart();
    io.run();
    stream.EndTls();
    connected = false;
  }

  void Reset() {
    CloseSocket();
    decoder = FrameDecoder(options.max_frame_bytes);
    messages.clear();
    early_receipts.clear();
    send_every = std::chrono::milliseconds(0);
    expect_every = std::chrono::milliseconds(0);
  }

  // Any failure of the connection: close it and say why.
  Error Fail(std::string detail) {
    Reset();
    return Unavailable(std::move(detail));
  }

  // Whether the connection can be used; an interrupted client never can.
  Status CheckUsable() {
    if (interrupted.load()) {
      if (connected) Reset();
      return Unavailable("interrupted (shutting down)");
    }
    if (!connected) return Unavailable("not connected");
    return Ok();
  }

  Status Write(const std::string& bytes) {
    SHIPLINE_RETURN_IF_ERROR(CheckUsable());
    bool done = false;
    boost::system::error_code error;
    stream.AsyncWrite(bytes, [&](const boost::system::error_code& ec, size_t) {
      error = ec;
      done = true;
    });
    auto finished = Drive(done, SteadyClock::now() + options.reply_timeout);
    if (!finished) {
      Reset();
      return std::move(finished).error();
    }
    // A write cut short leaves a partial frame on the wire: the connection is
    // unusable either way.
    if (!*finished) return Fail("timed out writing to the broker");
    if (error) return Fail("cannot write to the broker: " + error.message());
    last_write = SteadyClock::now();
    return Ok();
  }

  // Reads once into the decoder. Returns false when `deadline` passed first.
  Result<bool> ReadSome(TimePoint deadline) {
    bool done = false;
    boost::system::error_code error;
    stream.AsyncReadSome(read_buffer.data(), read_buffer.size(),
                         [&](const boost::system::error_code& ec, size_t n) {
                           // Keep bytes even when a cancellation raced the
                           // read: they are part of the stream.
                           if (n > 0) {
                             decoder.Append(std::string_view(read_buffer.data(), n));
                             last_read = SteadyClock::now();
                           }
                           error = ec;
                           done = true;
                         });
    auto finished = Drive(done, deadline);
    if (!finished) {
      Reset();
      return std::move(finished).error();
    }
    if (*finished && error) {
      if (error == asio::error::eof) return Fail("the broker closed the connection");
      return Fail("cannot read from the broker: " + error.message());
    }
    return *finished;
  }

  Status HeartBeatIfDue() {
    if (send_every.count() == 0) return Ok();
    if (SteadyClock::now() - last_write < send_every) return Ok();
    return Write("\n");
  }

  // The next frame of any kind, waiting until `deadline`; nullopt when none
  // came by then. Sends heart-beats while it waits and fails when the broker's
  // own have stopped.
  Result<std::optional<StompFrame>> ReadFrame(TimePoint deadline) {
    while (true) {
      SHIPLINE_RETURN_IF_ERROR(CheckUsable());
      auto frame = decoder.Next();
      if (!frame) return Fail("malformed frame from the broker: " + frame.error().detail);
      if (*frame) return frame;
      SHIPLINE_RETURN_IF_ERROR(HeartBeatIfDue());
      TimePoint now = SteadyClock::now();
      TimePoint until = deadline;
      if (expect_every.count() > 0) {
        TimePoint silent_until = last_read + 2 * expect_every;
        if (now >= silent_until) return Fail("no heart-beat from the broker");
        until = std::min(until, silent_until);
      }
      if (send_every.count() > 0) until = std::min(until, last_write + send_every);
      if (now >= deadline) return std::optional<StompFrame>();
      auto read = ReadSome(until);
      if (!read) return std::move(read).error();
    }
  }

  // Handles a frame that is not the one a caller waits for.
  Status Keep(StompFrame frame) {
    if (frame.command == "ERROR") return Fail(DescribeError(frame));
    if (frame.command == "MESSAGE") {
      if (messages.size() >= options.max_pending_messages) {
        return Fail("too many messages from the broker while waiting for a receipt");
      }
      messages.push_back(std::move(frame));
    } else if (frame.command == "RECEIPT") {
      if (early_receipts.size() >= kMaxEarlyReceipts) early_receipts.clear();
      if (auto id = frame.Header("receipt-id")) early_receipts.emplace(*id);
    }
    return Ok();
  }

  Options options;
  asio::io_context io{1};
  StompStream stream{io};
  tcp::resolver resolver{io};
  std::array<char, kReadChunk> read_buffer{};
  FrameDecoder decoder;
  std::deque<StompFrame> messages;       // MESSAGE frames read while waiting for something else
  std::set<std::string> early_receipts;  // RECEIPT ids read while waiting for another one
  bool connected = false;
  std::string server;
  std::atomic<bool> interrupted{false};
  TimePoint last_read{};
  TimePoint last_write{};
  std::chrono::milliseconds send_every{0};    // agreed interval of our heart-beats
  std::chrono::milliseconds expect_every{0};  // agreed interval of the broker's
  uint64_t next_receipt = 0;
};

StompClient::StompClient() : StompClient(Options{}) {}
StompClient::StompClient(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}
StompClient::~StompClient() { impl_->Reset(); }

bool StompClient::connected() const { return impl_->connected; }
const std::string& StompClient::server() const { return impl_->server; }

Status StompClient::Connect(const StompUrl& url) {
  Impl& impl = *impl_;
  impl.Reset();
  if (impl.interrupted.load()) return Unavailable("interrupted (shutting down)");
  const TimePoint deadline = SteadyClock::now() + impl.options.connect_timeout;
  const std::string where = url.Redacted();

  bool done = false;
  boost::system::error_code error;
  tcp::resolver::results_type endpoints;
  impl.resolver.async_resolve(
      url.host, std::to_string(url.port),
      [&](const boost::system::error_code& ec, tcp::resolver::results_type results) {
        error = ec;
        endpoints = std::move(results);
        done = true;
      });
  auto resolved = impl.Drive(done, deadline);
  if (!resolved) return std::move(resolved).error();
  if (!*resolved) return impl.Fail("timed out resolving " + where);
  if (error) return impl.Fail("cannot resolve " + where + ": " + error.message());

  done = false;
  asio::async_connect(impl.stream.socket(), endpoints,
                      [&](const boost::system::error_code& ec, const tcp::endpoint&) {
                        error = ec;
                        done = true;
                      });
  auto opened = impl.Drive(done, deadline);
  if (!opened) return std::move(opened).error();
  if (!*opened) return impl.Fail("timed out connecting to " + where);
  if (error) return impl.Fail("cannot connect to " + where + ": " + error.message());
  boost::system::error_code ignored;
  impl.stream.socket().set_option(tcp::no_delay(true), ignored);
  if (url.has_login() && !url.tls && !impl.options.allow_plaintext_login) {
    // The name may have resolved anywhere: what counts is the address dialled.
    auto peer = impl.stream.socket().remote_endpoint(ignored);
    if (ignored || !peer.address().is_loopback()) {
      return impl.Fail("refusing to send the broker login in clear to " + where +
                       " (not a loopback address): use stomp+ssl://, or allow it with "
                       "--broker-allow-plaintext-login");
    }
  }
  if (url.tls) {
    if (Status started = impl.stream.StartTls(url.host, impl.options.ca_file); !started.ok()) {
      std::string detail =
          started.error().detail.empty() ? started.error().message : started.error().detail;
      return impl.Fail(std::move(detail));
    }
    done = false;
    impl.stream.AsyncHandshake([&](const boost::system::error_code& ec) {
      error = ec;
      done = true;
    });
    auto shaken = impl.Drive(done, deadline);
    if (!shaken) return std::move(shaken).error();
    if (!*shaken) return impl.Fail("timed out in the TLS handshake with " + where);
    if (error) {
      std::string trusted = impl.options.ca_file.empty() ? "the system's trust store"
                                                         : "the CA file " + impl.options.ca_file;
      return impl.Fail("TLS handshake with " + where + " failed: " +
                       impl.stream.DescribeTlsError(error) + " (trusting " + trusted + ")");
    }
  }
  impl.connected = true;
  impl.last_read = impl.last_write = SteadyClock::now();

  StompFrame connect{"CONNECT", {}, {}};
  connect.Add("accept-version", "1.2");
  connect.Add("host", impl.options.virtual_host.empty() ? url.host : impl.options.virtual_host);
  if (!url.login.empty()) connect.Add("login", url.login);
  if (!url.passcode.empty()) connect.Add("passcode", url.passcode);
  connect.Add("heart-beat", std::to_string(impl.options.heart_beat_send.count()) + "," +
                                std::to_string(impl.options.heart_beat_receive.count()));
  auto bytes = EncodeFrame(connect);
  // Only a line break in the login or passcode makes CONNECT unencodable.
  if (!bytes) return impl.Fail("the broker login or passcode holds a line break");
  SHIPLINE_RETURN_IF_ERROR(impl.Write(*bytes));

  auto reply = impl.ReadFrame(deadline);
  if (!reply) return std::move(reply).error();
  if (!*reply) return impl.Fail("no CONNECTED from " + where + " in time");
  const StompFrame& frame = **reply;
  if (frame.command == "ERROR") return impl.Fail(DescribeError(frame));
  if (frame.command != "CONNECTED") {
    return impl.Fail("expected CONNECTED from " + where + ", got " + frame.command);
  }
  if (frame.Header("version").value_or("") != "1.2") {
    return impl.Fail("the broker at " + where + " does not speak STOMP 1.2");
  }
  impl.server = std::string(frame.Header("server").value_or(""));
  // STOMP 1.2 "Heart-beating": each side sends at the larger of what it
  // offers and what the other side wants, and neither when either says 0.
  if (auto beats = ParseHeartBeat(frame.Header("heart-beat").value_or("0,0"))) {
    auto [server_send, server_want] = *beats;
    int64_t our_send = impl.options.heart_beat_send.count();
    int64_t our_want = impl.options.heart_beat_receive.count();
    if (our_send > 0 && server_want > 0) {
      impl.send_every = std::chrono::milliseconds(std::max(our_send, server_want));
    }
    if (our_want > 0 && server_send > 0) {
      impl.expect_every = std::chrono::milliseconds(std::max(our_want, server_send));
    }
  }
  return Ok();
}

Result<std::string> StompClient::SendWithReceipt(StompFrame frame) {
  std::string id = "r-" + std::to_string(++impl_->next_receipt);
  frame.headers.insert(frame.headers.begin(), {"receipt", id});
  auto bytes = EncodeFrame(
      frame, frame.command == "SEND" ? impl_->options.send_content_length : ContentLength::kAlways);
  if (!bytes) return std::move(bytes).error();
  SHIPLINE_RETURN_IF_ERROR(impl_->Write(*bytes));
  return id;
}

Status StompClient::SendFrame(const StompFrame& frame) {
  auto bytes = EncodeFrame(
      frame, frame.command == "SEND" ? impl_->options.send_content_length : ContentLength::kAlways);
  if (!bytes) return std::move(bytes).error();
  return impl_->Write(*bytes);
}

Status StompClient::AwaitReceipt(std::string_view receipt_id) {
  Impl& impl = *impl_;
  if (auto it = impl.early_receipts.find(std::string(receipt_id));
      it != impl.early_receipts.end()) {
    impl.early_receipts.erase(it);
    return Ok();
  }
  const TimePoint deadline = SteadyClock::now() + impl.options.reply_timeout;
  while (true) {
    auto frame = impl.ReadFrame(deadline);
    if (!frame) return std::move(frame).error();
    if (!*frame) return impl.Fail("no receipt from the broker in time");
    if ((*frame)->command == "RECEIPT" && (*frame)->Header("receipt-id") == receipt_id) {
      return Ok();
    }
    SHIPLINE_RETURN_IF_ERROR(impl.Keep(std::move(**frame)));
  }
}

Result<std::optional<StompFrame>> StompClient::NextMessage(std::chrono::milliseconds wait) {
  Impl& impl = *impl_;
  if (!impl.messages.empty()) {
    StompFrame frame = std::move(impl.messages.front());
    impl.messages.pop_front();
    return std::optional<StompFrame>(std::move(frame));
  }
  const TimePoint deadline = SteadyClock::now() + wait;
  while (true) {
    auto frame = impl.ReadFrame(deadline);
    if (!frame || !*frame) return frame;
    if ((*frame)->command == "MESSAGE") return frame;
    SHIPLINE_RETURN_IF_ERROR(impl.Keep(std::move(**frame)));
  }
}

Status StompClient::KeepAlive() {
  Impl& impl = *impl_;
  if (!impl.connected) return Ok();
  // A deadline already reached: ReadFrame takes what is decoded or arrives
  // at once, checks the broker's heart-beats and returns.
  const TimePoint deadline = SteadyClock::now() + std::chrono::milliseconds(1);
  while (true) {
    auto frame = impl.ReadFrame(deadline);
    if (!frame) return std::move(frame).error();
    if (!*frame) return Ok();
    SHIPLINE_RETURN_IF_ERROR(impl.Keep(std::move(**frame)));
  }
}

void StompClient::Disconnect() {
  if (impl_->connected && !impl_->interrupted.load()) {
    auto receipt = SendWithReceipt(StompFrame{"DISCONNECT", {}, {}});
    if (receipt) (void)AwaitReceipt(*receipt);
  }
  impl_->Reset();
}

void StompClient::Close() { impl_->Reset(); }

void StompClient::Interrupt() { impl_->interrupted.store(true); }

}  // namespace shipline::adapters::broker
