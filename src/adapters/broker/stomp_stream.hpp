#pragma once

// The byte stream under a STOMP connection: a TCP socket, with TLS on top of
// it for `stomp+ssl://` brokers. This is the one translation unit that sees
// Asio's SSL headers (they are heavy to compile); StompClient drives it with
// plain callbacks on its own io_context.
//
// TLS verifies the broker's certificate chain against the system's trust
// store, or against the CA file given instead, and checks that the
// certificate names the host the URL names (a DNS name or an IP address).
// There is no way to turn verification off.
//
// Not thread-safe; every handler runs on the io_context's thread.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "domain/result.hpp"

namespace shipline::adapters::broker {

// Whether `ca_file` holds at least one PEM certificate OpenSSL can load.
// kInvalidArgument naming the file and the reason otherwise.
Status CheckCaFile(const std::string& ca_file);

class StompStream {
 public:
  using IoHandler = std::function<void(const boost::system::error_code&, size_t)>;
  using DoneHandler = std::function<void(const boost::system::error_code&)>;

  explicit StompStream(boost::asio::io_context& io);
  ~StompStream();
  StompStream(const StompStream&) = delete;
  StompStream& operator=(const StompStream&) = delete;

  // The TCP socket, for connecting, options, cancelling and closing.
  boost::asio::ip::tcp::socket& socket();

  // Puts TLS over the connected socket; the next call is AsyncHandshake.
  // `host` is the name (or address) the certificate must carry and is sent
  // as SNI when it is a name; `ca_file` empty trusts the system's store.
  // kUnavailable when the trust store or CA file cannot be loaded.
  Status StartTls(const std::string& host, const std::string& ca_file);
  bool tls() const;
  void AsyncHandshake(DoneHandler handler);

  // Writes all of `bytes` (which must live until the handler runs).
  void AsyncWrite(std::string_view bytes, IoHandler handler);
  void AsyncReadSome(char* buffer, size_t size, IoHandler handler);

  // Why a TLS operation failed with `error`, for a log line: OpenSSL's reason
  // and, for a certificate the chain check refused, what was wrong with it.
  std::string DescribeTlsError(const boost::system::error_code& error) const;

  // Closes the socket; pending handlers complete with an error when the
  // io_context runs. The TLS session stays until EndTls.
  void Close();
  // Forgets the TLS session, once no handler is pending: the stream is plain
  // TCP again, ready for the next connection.
  void EndTls();

 private:
  struct Tls;
  boost::asio::ip::tcp::socket plain_;
  std::unique_ptr<Tls> tls_;
};

}  // namespace shipline::adapters::broker
