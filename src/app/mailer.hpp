#pragma once

// The mail port: hands messages to a transport (SMTP, or .eml files).

#include <cstdint>
#include <functional>
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
  // True when sending a message again replaces it rather than delivering it
  // twice (a file of the same name): a caller may then send a batch before
  // recording it. Otherwise every message is recorded before the next goes.
  virtual bool RepeatsAreHarmless() const { return false; }
  // Delivers the message. kUnavailable when the transport fails in a way a
  // later attempt may not (connection, timeout, 4xx): the caller retries.
  // kInvalidArgument when the message can never be delivered as addressed (a
  // 5xx refusal, no recipient): the caller records the failure and moves on.
  // Thread-compatible; blocks up to a deadline.
  virtual Status Send(const MailMessage& message) = 0;

  // Delivers `messages` in order as one batch (a transport may share work
  // across it: the file mailer syncs its folder once), asking `proceed` before each
  // (false: stop there). Returns the status of each message attempted, in
  // order; it ends with the first failure that is not kInvalidArgument, and a
  // message reported Ok is delivered as Send's would be. This default sends
  // them one by one.
  virtual std::vector<Status> SendEach(const std::vector<MailMessage>& messages,
                                       const std::function<bool()>& proceed) {
    return SendInOrder(messages, proceed, [this](const MailMessage& m) { return Send(m); });
  }

 protected:
  // SendEach's loop around one message's `send`.
  static std::vector<Status> SendInOrder(const std::vector<MailMessage>& messages,
                                         const std::function<bool()>& proceed,
                                         const std::function<Status(const MailMessage&)>& send) {
    std::vector<Status> statuses;
    for (const auto& message : messages) {
      if (!proceed()) break;
      statuses.push_back(send(message));
      if (!statuses.back().ok() && statuses.back().error().code != ErrorCode::kInvalidArgument) {
        break;
      }
    }
    return statuses;
  }
};

}  // namespace shipline::app
