#pragma once

// The real mail transport: hands each message to an SMTP server with libcurl.

#include <mutex>
#include <string>

#include "app/mailer.hpp"

namespace shipline::adapters {

// Sends each message, rendered by RenderMessage, to the server named by an
// SMTP URL: `smtp://host:port` (upgraded with STARTTLS when the server offers
// it), `smtps://host:port` (TLS from the start), either with optional
// `user:password@` credentials. With credentials, TLS is required: over
// `smtp://` a server that offers no STARTTLS gets no AUTH (nor anything
// else), and the send fails with kUnavailable saying so. The envelope sender and recipient are the
// bare addresses of the message's From and To (see MailboxAddress).
//
// Send blocks for at most 10 s to connect and 30 s in all. It fails with
// kUnavailable ("mail could not be sent", curl's explanation in the detail)
// when the connection, the TLS handshake, the login or any SMTP command fails
// or times out; the caller retries later. It fails with kInvalidArgument when
// the message has no usable recipient address. The password never appears in
// an error.
//
// Consecutive sends share one connection (curl reconnects when the server
// has closed it); concurrent sends are safe, each on a handle of its own.
class SmtpMailer final : public app::Mailer {
 public:
  explicit SmtpMailer(std::string url);

  std::string Transport() const override { return "smtp"; }
  Status Send(const app::MailMessage& message) override;
  ~SmtpMailer() override;

 private:
  // Sends one message on a curl easy handle (kept as void*: CURL is void).
  Status SendOn(void* handle, const app::MailMessage& message);

  std::string url_;
  bool requires_tls_;  // the URL carries credentials
  // The handle of the last send, kept with its open connection so that the
  // next send goes over it (a new SMTP transaction); a send while it is in
  // use opens a handle of its own.
  std::mutex mutex_;
  void* idle_ = nullptr;
};

}  // namespace shipline::adapters
