#include "adapters/broker/stomp_stream.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
// Asio's SSL definitions, compiled here once (BOOST_ASIO_SEPARATE_COMPILATION:
// asio/asio_src.cpp holds the rest): this is their only user.
#include <boost/asio/ssl/impl/src.hpp>

namespace shipline::adapters::broker {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;

namespace {

// The first reason OpenSSL queued, or `fallback`; clears the queue.
std::string OpenSslReason(const std::string& fallback) {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return fallback;
  char text[256];
  ERR_error_string_n(code, text, sizeof(text));
  return text;
}

// A client context that verifies the peer against `ca_file`, or the system's
// store when it is empty. Fails with the reason when the CAs cannot be loaded.
Result<std::unique_ptr<ssl::context>> MakeContext(const std::string& ca_file) {
  auto context = std::make_unique<ssl::context>(ssl::context::tls_client);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  context->set_verify_mode(ssl::verify_peer);
  boost::system::error_code error;
  if (ca_file.empty()) {
    context->set_default_verify_paths(error);
    if (error) {
      return Error::Unavailable(
          "message broker unavailable",
          "cannot load the system's trust store: " + OpenSslReason(error.message()));
    }
  } else {
    context->load_verify_file(ca_file, error);
    if (error) {
      return Error::Invalid(
          "cannot load CA certificates from " + ca_file + ": " + OpenSslReason(error.message()),
          "broker-ca-file");
    }
  }
  return context;
}

}  // namespace

Status CheckCaFile(const std::string& ca_file) {
  auto context = MakeContext(ca_file);
  if (!context) return std::move(context).error();
  return Ok();
}

struct StompStream::Tls {
  std::unique_ptr<ssl::context> context;
  std::unique_ptr<ssl::stream<tcp::socket&>> stream;
};

StompStream::StompStream(asio::io_context& io) : plain_(io) {}
StompStream::~StompStream() = default;

tcp::socket& StompStream::socket() { return plain_; }
bool StompStream::tls() const { return tls_ != nullptr; }

Status StompStream::StartTls(const std::string& host, const std::string& ca_file) {
  auto context = MakeContext(ca_file);
  if (!context) return std::move(context).error();
  auto tls = std::make_unique<Tls>();
  tls->context = std::move(*context);
  tls->stream = std::make_unique<ssl::stream<tcp::socket&>>(plain_, *tls->context);
  SSL* handle = tls->stream->native_handle();
  // The certificate must name the host the URL names: an IP address as an
  // iPAddress entry, a name as a DNS entry (wildcards as RFC 6125 allows).
  boost::system::error_code not_address;
  asio::ip::make_address(host, not_address);
  X509_VERIFY_PARAM* param = SSL_get0_param(handle);
  bool named = not_address ? X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size()) == 1
                           : X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) == 1;
  // Server Name Indication is for names only (RFC 6066 section 3). This is
  // SSL_set_tlsext_host_name, whose macro casts in the C style.
  if (named && not_address) {
    named = SSL_ctrl(handle, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                     const_cast<char*>(host.c_str())) == 1;
  }
  if (!named) {
    return Error::Unavailable("message broker unavailable", "cannot set up TLS for " + host + ": " +
                                                                OpenSslReason("bad host name"));
  }
  tls_ = std::move(tls);
  return Ok();
}

void StompStream::AsyncHandshake(DoneHandler handler) {
  tls_->stream->async_handshake(ssl::stream_base::client, std::move(handler));
}

void StompStream::AsyncWrite(std::string_view bytes, IoHandler handler) {
  auto buffer = asio::buffer(bytes.data(), bytes.size());
  if (tls_) {
    asio::async_write(*tls_->stream, buffer, std::move(handler));
  } else {
    asio::async_write(plain_, buffer, std::move(handler));
  }
}

void StompStream::AsyncReadSome(char* buffer, size_t size, IoHandler handler) {
  if (tls_) {
    tls_->stream->async_read_some(asio::buffer(buffer, size), std::move(handler));
  } else {
    plain_.async_read_some(asio::buffer(buffer, size), std::move(handler));
  }
}

std::string StompStream::DescribeTlsError(const boost::system::error_code& error) const {
  std::string text = error.message();
  if (error == ssl::error::stream_truncated) {
    text = "the broker closed the connection during the TLS handshake (is it a TLS port?)";
  }
  if (tls_) {
    long verdict = SSL_get_verify_result(tls_->stream->native_handle());
    if (verdict != X509_V_OK) {
      text += ": ";
      text += X509_verify_cert_error_string(verdict);
    }
  }
  ERR_clear_error();
  return text;
}

void StompStream::Close() {
  boost::system::error_code ignored;
  plain_.close(ignored);
}

void StompStream::EndTls() { tls_.reset(); }

}  // namespace shipline::adapters::broker
