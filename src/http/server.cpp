#include "http/server.hpp"

#include <boost/asio.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "app/clock.hpp"
#include "app/log.hpp"
#include "app/named_thread.hpp"
#include "app/trace_context.hpp"
#include "http/fiber_runner.hpp"
#include "http/idle_connections.hpp"
#include "http/wire_request.hpp"

namespace shipline::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;
constexpr auto kAsTuple = asio::as_tuple(use_awaitable);

namespace {

Response PlainError(int status, std::string_view message) {
  Response response;
  response.status = status;
  std::string body = "{\"error\":";
  app::AppendJsonString(body, message);
  body += "}";
  response.body = std::move(body);
  return response;
}

// How long a connection must have waited for a request before a new client
// may take its place at the connection limit: a client that just got an
// answer, or is still sending its first header, gets a moment to go on.
constexpr auto kEvictableAfter = std::chrono::seconds(1);

// A transfer (a body coming in, an answer going out) counts as moving, not
// waiting, only while each step of this many bytes follows the previous one
// within kEvictableAfter: at the connection limit, a body slower than that
// (a client sending one byte a second) may be closed after every connection
// that waits for a request, and an answer slower than that (a client that
// does not read it, its socket buffers full) after those too.
constexpr size_t kTransferProgress = 1024;

// When accept fails for want of descriptors (or kernel memory), the waiting
// connection stays queued and an immediate retry would fail the same way:
// the acceptor closes the connection that has waited the longest and retries
// once that close has run, or with none to close, after a pause.
constexpr auto kAcceptRetryAfterEviction = std::chrono::milliseconds(1);
constexpr auto kAcceptPause = std::chrono::milliseconds(100);
// At most one log line per this interval while accepts keep failing so.
constexpr auto kAcceptReportInterval = std::chrono::seconds(10);

bool OutOfResources(const boost::system::error_code& ec) {
  namespace errc = boost::system::errc;
  return ec == errc::too_many_files_open || ec == errc::too_many_files_open_in_system ||
         ec == errc::no_buffer_space || ec == errc::not_enough_memory;
}

using RequestParser = bhttp::request_parser<bhttp::string_body>;

// One client connection. Shared, so that an eviction decided on another
// thread can still close it on its own strand after the lock is released.
struct Connection : IdleConnections::Entry, std::enable_shared_from_this<Connection> {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
};

// Lists a connection among the waiting ones (for `wait`) while its transfer
// moves less than kTransferProgress bytes per kEvictableAfter.
class SlowTransfer {
 public:
  SlowTransfer(IdleConnections& idle, Connection& connection, IdleConnections::Wait wait)
      : idle_(idle), connection_(connection), wait_(wait) {}

  // Before a step that may have to wait: the connection waits as of now
  // unless it already does.
  void MayWait() {
    if (waiting_) return;
    idle_.MarkIdle(connection_, std::chrono::steady_clock::now(), wait_);
    waiting_ = true;
    progress_ = 0;
  }

  // After a step that moved `n` bytes; false when the connection was evicted
  // meanwhile (it must stop).
  [[nodiscard]] bool Moved(size_t n) {
    progress_ += n;
    if (!waiting_ || progress_ < kTransferProgress) return true;
    return Done();
  }

  // The transfer ended (or moved enough); false when the connection was
  // evicted meanwhile.
  [[nodiscard]] bool Done() {
    if (!waiting_) return true;
    waiting_ = false;
    return idle_.MarkBusy(connection_);
  }

 private:
  IdleConnections& idle_;
  Connection& connection_;
  IdleConnections::Wait wait_;
  bool waiting_ = false;  // listed among the waiting connections
  size_t progress_ = 0;   // bytes moved since it was listed
};

}  // namespace

struct Server::Impl {
  ServerOptions options;
  Handler handler;
  asio::io_context io{static_cast<int>(options.io_threads)};
  asio::thread_pool handlers{options.handler_threads};
  FiberRunner fibers{io, handlers};
  // On a strand of its own: the accept loop and Shutdown's close take turns.
  tcp::acceptor acceptor{asio::make_strand(io)};
  asio::signal_set signals{io, SIGINT, SIGTERM};
  std::atomic<size_t> connections{0};
  std::atomic<size_t> handlers_running{0};  // requests in a handler, in a fiber or on the pool
  // Set once, by the first Shutdown: connections read it instead of asking
  // the acceptor, which only its strand may touch once the loop runs.
  std::atomic<bool> stopping{false};
  IdleConnections idle_connections;  // waiting connections (request, body, answer), oldest first
  app::RandomIdSource ids;

  Impl(ServerOptions o, Handler h) : options(std::move(o)), handler(std::move(h)) {}

  awaitable<void> Accept();
  awaitable<void> Serve(tcp::socket socket, std::string client);
  // Counts a connection of `client` (its address); false, counting nothing,
  // when the client already holds its share.
  bool AdmitClient(const std::string& client);
  void ReleaseClient(const std::string& client);
  // Closes the connection idle the longest to make room for a new one; false
  // when no connection has been idle long enough.
  bool EvictIdle();
  std::mutex clients_mutex;
  std::unordered_map<std::string, size_t> client_connections;  // open connections per address
  awaitable<bool> Write(Connection& connection, const Response& response,
                        const std::string& request_id, bool keep_alive, unsigned version,
                        bool head = false);
  template <class Body>
  awaitable<boost::system::error_code> WriteMessage(Connection& connection,
                                                    bhttp::response<Body>& message);
  awaitable<void> LingerThenClose(beast::tcp_stream& stream);
  awaitable<boost::system::error_code> ReadHeaderBytes(Connection& connection,
                                                       beast::flat_buffer& buffer, bool& folded);
  awaitable<boost::system::error_code> ReadBody(Connection& connection, beast::flat_buffer& buffer,
                                                RequestParser& parser);
  void Shutdown();
  void DrainThenStop(std::chrono::steady_clock::time_point deadline);
  asio::steady_timer drain_timer{io};
};

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() { impl_->handlers.join(); }

Result<std::string> Server::Listen() {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(impl_->options.host, ec);
  if (ec) return Error::Invalid("invalid listen address: " + impl_->options.host, "listen");
  tcp::endpoint endpoint(address, impl_->options.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error::Unavailable(
        "cannot listen on " + impl_->options.host + ":" + std::to_string(impl_->options.port),
        ec.message());
  }
  auto bound = acceptor.local_endpoint();
  std::string host = bound.address().to_string();
  if (bound.address().is_v6()) host = "[" + host + "]";
  return host + ":" + std::to_string(bound.port());
}

void Server::Run() {
  Impl& impl = *impl_;
  if (impl.options.stop_on_signals) {
    impl.signals.async_wait([&impl](const boost::system::error_code& ec, int) {
      if (!ec) impl.Shutdown();
    });
  } else {
    boost::system::error_code ignored;
    impl.signals.clear(ignored);
  }
  asio::co_spawn(impl.acceptor.get_executor(), impl.Accept(), asio::detached);
  std::vector<std::thread> threads;
  for (size_t i = 1; i < impl.options.io_threads; ++i) {
    threads.push_back(app::NamedThread("http-io", [&impl] { impl.io.run(); }));
  }
  impl.io.run();
  for (auto& thread : threads) thread.join();
  // A handler still parked at the drain deadline (a slow outside call) runs
  // to its end, as one on the pool does before ~Server joins it; its answer
  // goes nowhere if its connection is gone. Connections stopping meanwhile
  // answer at most one more request each.
  while (impl.fibers.Live() > 0) {
    impl.io.restart();
    impl.io.run_for(std::chrono::milliseconds(100));
  }
}

void Server::Stop() {
  asio::post(impl_->io, [impl = impl_.get()] { impl->Shutdown(); });
}

size_t Server::OpenConnections() const { return impl_->connections.load(); }

void Server::Impl::Shutdown() {
  if (stopping.exchange(true)) return;
  app::LogInfo("shutting down", app::LogFields().Add("connections", connections.load()));
  boost::system::error_code ignored;
  signals.cancel(ignored);
  asio::dispatch(acceptor.get_executor(), [this] {
    boost::system::error_code close_error;  // nothing to do about it
    acceptor.close(close_error);
    // Requests in flight get a grace period; idle keep-alive connections
    // would otherwise hold the loop open until their timeout.
    DrainThenStop(std::chrono::steady_clock::now() + std::chrono::seconds(5));
  });
}

void Server::Impl::DrainThenStop(std::chrono::steady_clock::time_point deadline) {
  if (connections.load() == 0) {
    io.stop();
    return;
  }
  if (std::chrono::steady_clock::now() >= deadline) {
    app::LogInfo("shutdown grace ended", app::LogFields()
                                             .Add("connections", connections.load())
                                             .Add("handlers_running", handlers_running.load()));
    io.stop();
    return;
  }
  drain_timer.expires_after(std::chrono::milliseconds(20));
  drain_timer.async_wait(
      [this, deadline](const boost::system::error_code&) { DrainThenStop(deadline); });
}

awaitable<void> Server::Impl::Accept() {
  asio::steady_timer pause(acceptor.get_executor());
  size_t failures = 0;                             // accepts failed for want of resources
  std::chrono::steady_clock::time_point reported;  // the last line about them
  for (;;) {
    // Each connection on a strand of its own, where an eviction can close it.
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(io), kAsTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      if (!OutOfResources(ec)) {
        app::LogWarn("accept failed", app::LogFields().Add("detail", ec.message()));
        continue;
      }
      ++failures;
      if (auto now = std::chrono::steady_clock::now();
          failures == 1 || now - reported >= kAcceptReportInterval) {
        reported = now;
        app::LogWarn("accept failing: out of descriptors",
                     app::LogFields()
                         .Add("failed_accepts", failures)
                         .Add("connections", connections.load())
                         .Add("detail", ec.message()));
      }
      pause.expires_after(EvictIdle() ? kAcceptRetryAfterEviction : kAcceptPause);
      co_await pause.async_wait(kAsTuple);
      continue;
    }
    boost::system::error_code ignored;
    auto peer = socket.remote_endpoint(ignored);
    std::string client = ignored ? std::string() : peer.address().to_string();
    // One client (one address) holding many connections must not take them
    // all: it gets its share. At the total, idle connections make room first,
    // so that connections opened and left waiting cannot lock everyone out.
    if (!AdmitClient(client)) {
      socket.close(ignored);
      continue;
    }
    if (connections.load() >= options.max_connections && !EvictIdle()) {
      ReleaseClient(client);
      socket.close(ignored);
      continue;
    }
    ++connections;
    // Answers go out whole at once: waiting to coalesce them (Nagle) would
    // only add a delayed-ACK round to every response.
    socket.set_option(tcp::no_delay(true), ignored);
    auto strand = socket.get_executor();
    asio::co_spawn(strand, Serve(std::move(socket), std::move(client)), asio::detached);
  }
}

awaitable<bool> Server::Impl::Write(Connection& connection, const Response& response,
                                    const std::string& request_id, bool keep_alive,
                                    unsigned version, bool head) {
  bhttp::response<bhttp::string_body> message{static_cast<bhttp::status>(response.status), version};
  message.set(bhttp::field::server, "shipline");
  message.set(bhttp::field::content_type, response.content_type);
  message.set("X-Request-Id", request_id);
  for (const auto& [name, value] : response.headers) message.set(name, value);
  message.keep_alive(keep_alive);
  message.body() = response.body;
  message.prepare_payload();
  connection.stream.expires_after(std::chrono::seconds(options.read_timeout_seconds));
  if (head) {
    // The answer GET would get, without its body (RFC 9110 section 9.3.2).
    bhttp::response<bhttp::empty_body> headers{std::move(message.base())};
    co_return !co_await WriteMessage(connection, headers);
  }
  co_return !co_await WriteMessage(connection, message);
}

// Writes `message` as the socket takes it. The first write is tried at once
// (the socket is in non-blocking mode): an answer that goes out whole there,
// as every answer to a client that reads does, never enters the waiting list.
// The rest counts as waiting for the client while it moves slower than
// kTransferProgress bytes per kEvictableAfter, and may meanwhile be evicted at
// the connection limit: it then answers operation_aborted.
template <class Body>
awaitable<boost::system::error_code> Server::Impl::WriteMessage(Connection& connection,
                                                                bhttp::response<Body>& message) {
  bhttp::response_serializer<Body> serializer{message};
  boost::system::error_code ec;
  bhttp::write_some(connection.stream.socket(), serializer, ec);
  if (ec && ec != asio::error::would_block && ec != asio::error::try_again) co_return ec;
  ec = {};
  SlowTransfer transfer(idle_connections, connection, IdleConnections::Wait::kWrite);
  while (!serializer.is_done()) {
    transfer.MayWait();
    auto [write_error, n] =
        co_await bhttp::async_write_some(connection.stream, serializer, kAsTuple);
    if (write_error) {
      ec = write_error;
      break;
    }
    if (!transfer.Moved(n)) co_return asio::error::operation_aborted;
  }
  if (!transfer.Done()) ec = asio::error::operation_aborted;
  co_return ec;
}

// After refusing a request whose body is still arriving, reads and discards
// what the client keeps sending (bounded in bytes and time) before closing, so
// that the client reads the refusal instead of a connection reset.
awaitable<void> Server::Impl::LingerThenClose(beast::tcp_stream& stream) {
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  std::vector<char> sink(64 << 10);
  size_t discarded = 0;
  constexpr size_t kMaxDiscard = 16 << 20;
  while (discarded < kMaxDiscard) {
    stream.expires_after(std::chrono::seconds(2));
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(sink), kAsTuple);
    if (ec) break;
    discarded += n;
  }
  stream.socket().close(ignored);
}

// Reads until `buffer` holds a whole header block (or more than the header
// limit: header_limit), so that its raw lines can be checked before the
// parser joins them. While it waits for bytes the connection is idle, and may
// be evicted: it then answers operation_aborted.
awaitable<boost::system::error_code> Server::Impl::ReadHeaderBytes(Connection& connection,
                                                                   beast::flat_buffer& buffer,
                                                                   bool& folded) {
  boost::system::error_code ec;
  bool waiting = false;  // listed among the idle connections
  for (;;) {
    auto data = buffer.cdata();
    std::string_view bytes(static_cast<const char*>(data.data()), data.size());
    if (HeaderComplete(bytes, folded)) break;
    if (bytes.size() > options.header_limit) {
      ec = bhttp::error::header_limit;
      break;
    }
    if (!waiting) {
      idle_connections.MarkIdle(connection, std::chrono::steady_clock::now());
      waiting = true;
    }
    auto [read_error, n] =
        co_await connection.stream.async_read_some(buffer.prepare(4096), kAsTuple);
    if (read_error) {
      ec = read_error;
      break;
    }
    buffer.commit(n);
  }
  if (waiting && !idle_connections.MarkBusy(connection)) ec = asio::error::operation_aborted;
  co_return ec;
}

// Reads the rest of a request whose header is in `buffer`. While its body
// arrives slower than kTransferProgress bytes per kEvictableAfter, the
// connection counts as waiting (for its body) and may be evicted at the
// connection limit after every connection that waits for a request: it then
// answers operation_aborted.
awaitable<boost::system::error_code> Server::Impl::ReadBody(Connection& connection,
                                                            beast::flat_buffer& buffer,
                                                            RequestParser& parser) {
  SlowTransfer transfer(idle_connections, connection, IdleConnections::Wait::kBody);
  boost::system::error_code ec;
  // Each read parses all it has, body included (as a whole-message read
  // does): a body that came with its header finishes in the first read and
  // never enters the waiting list.
  parser.eager(true);
  while (!parser.is_done()) {
    if (parser.is_header_done()) transfer.MayWait();
    auto [read_error, n] =
        co_await bhttp::async_read_some(connection.stream, buffer, parser, kAsTuple);
    if (read_error) {
      ec = read_error;
      break;
    }
    if (!transfer.Moved(n)) co_return asio::error::operation_aborted;
  }
  if (!transfer.Done()) ec = asio::error::operation_aborted;
  co_return ec;
}

bool Server::Impl::EvictIdle() {
  return idle_connections.EvictOldest(
      std::chrono::steady_clock::now(), kEvictableAfter, [](IdleConnections::Entry& entry) {
        // Alive: its Serve holds it until it has left the list, and the list
        // is locked while this runs.
        auto connection = static_cast<Connection&>(entry).shared_from_this();
        asio::post(connection->stream.get_executor(), [connection] { connection->stream.close(); });
      });
}

bool Server::Impl::AdmitClient(const std::string& client) {
  std::lock_guard lock(clients_mutex);
  size_t& open = client_connections[client];
  if (open >= options.max_connections_per_client) {
    if (open == 0) client_connections.erase(client);
    return false;
  }
  ++open;
  return true;
}

void Server::Impl::ReleaseClient(const std::string& client) {
  std::lock_guard lock(clients_mutex);
  auto found = client_connections.find(client);
  if (found != client_connections.end() && --found->second == 0) client_connections.erase(found);
}

awaitable<void> Server::Impl::Serve(tcp::socket socket, std::string client) {
  auto connection = std::make_shared<Connection>(std::move(socket));
  beast::tcp_stream& stream = connection->stream;
  {
    // So that an answer's first write is tried without waiting (WriteMessage).
    boost::system::error_code ignored;
    stream.socket().non_blocking(true, ignored);
  }
  beast::flat_buffer buffer;
  std::string target;  // of the request being read
  bool first = true;
  for (;;) {
    // A fresh parser per request, so that limits apply to each one.
    RequestParser parser;
    parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
    parser.body_limit(options.body_limit);
    stream.expires_after(
        std::chrono::seconds(first ? options.read_timeout_seconds : options.idle_timeout_seconds));
    bool folded = false;
    boost::system::error_code ec = co_await ReadHeaderBytes(*connection, buffer, folded);
    // Kept for a refusal's error shape (the parser may consume the header
    // before it fails), in one string per connection.
    {
      auto data = buffer.cdata();
      target.assign(RequestLineTarget({static_cast<const char*>(data.data()), data.size()}));
    }
    if (!ec && folded) ec = bhttp::error::bad_value;
    if (!ec) ec = co_await ReadBody(*connection, buffer, parser);
    if (!ec) {
      std::vector<std::string_view> codings;
      auto [te, te_end] = parser.get().equal_range(bhttp::field::transfer_encoding);
      for (; te != te_end; ++te) codings.push_back(te->value());
      if (!FramableTransferEncoding(codings)) ec = bhttp::error::bad_transfer_encoding;
    }
    first = false;
    std::string request_id = ids.NewToken(8);
    if (ec) {
      int status = 0;
      if (ec == bhttp::error::body_limit) {
        status = 413;
      } else if (ec == bhttp::error::header_limit) {
        status = 431;
      } else if (ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message &&
                 ec != beast::error::timeout && ec != asio::error::eof &&
                 ec != asio::error::connection_reset && ec != asio::error::operation_aborted &&
                 ec.category() == bhttp::make_error_code(bhttp::error::body_limit).category()) {
        status = 400;  // the client sent something that is not HTTP/1.1
      }
      if (status != 0) {
        std::string message = status == 413   ? "request body too large"
                              : status == 431 ? "request headers too large"
                                              : "malformed HTTP request";
        // In the shape of the contract the path belongs to, when the
        // request line names one.
        Response error = options.transport_error ? options.transport_error(target, status, message)
                                                 : PlainError(status, message);
        app::LogInfo("request rejected", app::LogFields()
                                             .Add("request_id", request_id)
                                             .Add("status", status)
                                             .Add("detail", ec.message()));
        co_await Write(*connection, error, request_id, false, 11);
        co_await LingerThenClose(stream);
      }
      break;
    }

    auto started = std::chrono::steady_clock::now();
    bhttp::request<bhttp::string_body> message = parser.release();
    Request request;
    request.method = std::string(message.method_string());
    for (const auto& field : message) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      request.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    if (auto given = request.Header("x-request-id"); given && UsableRequestId(*given)) {
      request_id = std::string(*given);
    }
    request.request_id = request_id;
    request.received_at = started;
    // The caller's trace continues in a span of our own; a missing or
    // invalid traceparent starts a new trace.
    auto caller_trace = app::ParseTraceparent(request.Header("traceparent").value_or(""));
    request.traceparent = app::FormatTraceparent(caller_trace ? app::ChildSpan(*caller_trace, ids)
                                                              : app::NewTrace(ids));
    request.body = std::move(message.body());

    // The health checks answer HEAD as GET, without the body.
    const bool head = request.method == "HEAD" &&
                      (message.target() == "/healthz" || message.target() == "/readyz");
    if (head) request.method = "GET";
    Response response;
    if (!ParseTarget(message.target(), request)) {
      response = PlainError(400, "malformed request target");
    } else if (request.path == "/healthz" && request.method == "GET") {
      response.body = R"({"status":"ok"})";  // answered on the I/O thread: never blocks
    } else {
      ++handlers_running;
      if (options.handlers_in_fibers) {
        response = co_await fibers.Run(handler, request);
      } else {
        response = co_await asio::co_spawn(
            handlers, [&]() -> awaitable<Response> { co_return handler(request); }, use_awaitable);
      }
      --handlers_running;
    }
    bool keep_alive = message.keep_alive() && !stopping.load();
    bool written =
        co_await Write(*connection, response, request_id, keep_alive, message.version(), head);
    double millis =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    if (options.access_log) {
      app::LogInfo("request", app::LogFields()
                                  .Add("request_id", request_id)
                                  .Add("method", head ? std::string("HEAD") : request.method)
                                  .Add("path", request.path)
                                  .Add("traceparent", request.traceparent)
                                  .Add("status", response.status)
                                  .Add("tenant", request.actor.tenant_id)
                                  .Add("duration_ms", millis));
    }
    if (!written || !keep_alive) break;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  idle_connections.Remove(*connection);
  --connections;
  ReleaseClient(client);
}

}  // namespace shipline::http
