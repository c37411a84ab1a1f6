#pragma once

// The mail port: hands one message to a transport (SMTP, or .eml files).

#include <cstdint>
#include <string>
#include <vector>

#include "domain/result.hpp"

namespace shipline::app {

struct MailMessage {
  std::string message_id;  // without angle brackets; stable per event, so resends are recognisable
  std::string from;
  std::string to;
  std::string to_name;
  std::string subject;
  std::string text;  // plain text body, lines separated by "\n"
  int64_t date = 0;  // epoch milliseconds
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  // "smtp" or "file", recorded with each sent message.
  virtual std::string Transport() const = 0;
  // Delivers the message. kUnavailable when the transport fails in a way a
  // later attempt may not (connection, timeout, 4xx): the caller retries.
  // kInvalidArgument when the message can never be delivered as addressed (a
  // 5xx refusal, no recipient): the caller records the failure and moves on.
  // Thread-compatible; blocks up to a deadline.
  virtual Status Send(const MailMessage& message) = 0;
};

}  // namespace shipline::app
