#pragma once

// The real mail transport: hands each message to an SMTP server with libcurl.

#include <string>

#include "app/mailer.hpp"

namespace shipline::adapters {

// Sends each message, rendered by RenderMessage, to the server named by an
// SMTP URL: `smtp://host:port` (upgraded with STARTTLS when the server offers
// it), `smtps://host:port` (TLS from the start), either with optional
// `user:password@` credentials. The envelope sender and recipient are the bare
// addresses of the message's From and To (see MailboxAddress).
//
// Send blocks for at most 10 s to connect and 30 s in all. It fails with
// kUnavailable ("mail could not be sent", curl's explanation in the detail)
// when the connection, the TLS handshake, the login or any SMTP command fails
// or times out; the caller retries later. It fails with kInvalidArgument when
// the message has no usable recipient address. The password never appears in
// an error.
//
// Each Send, and each SendEach batch, uses its own curl handle:
// thread-compatible, and concurrent sends are safe too.
class SmtpMailer final : public app::Mailer {
 public:
  explicit SmtpMailer(std::string url);

  std::string Transport() const override { return "smtp"; }
  Status Send(const app::MailMessage& message) override;
  // Sends the batch over one connection (reopened if the server closes it).
  std::vector<Status> SendEach(const std::vector<app::MailMessage>& messages,
                               const std::function<bool()>& proceed) override;

 private:
  // Sends one message on a curl easy handle (kept as void*: CURL is void).
  Status SendOn(void* handle, const app::MailMessage& message);

  std::string url_;
};

}  // namespace shipline::adapters
