#include "adapters/broker/stomp_publisher.hpp"

#include <algorithm>
#include <vector>

#include "app/log.hpp"

namespace shipline::adapters::broker {

StompPublisher::StompPublisher(StompUrl url, StompClient::Options options, size_t window)
    : url_(std::move(url)), client_(std::move(options)), window_(std::max<size_t>(1, window)) {}

app::PublishOutcome StompPublisher::Publish(std::span<const app::OutgoingMessage> messages) {
  app::PublishOutcome outcome;
  if (messages.empty()) return outcome;
  if (!client_.connected()) {
    outcome.status = client_.Connect(url_);
    if (!outcome.status.ok()) return outcome;
    app::LogInfo("broker connected", app::LogFields()
                                         .Add("broker", url_.Redacted())
                                         .Add("server", client_.server())
                                         .Add("role", "publisher"));
  }
  std::vector<std::string> receipts;
  for (size_t start = 0; start < messages.size(); start += window_) {
    const size_t end = std::min(messages.size(), start + window_);
    receipts.clear();
    for (size_t i = start; i < end; ++i) {
      const app::OutgoingMessage& message = messages[i];
      StompFrame frame{"SEND", {}, message.body};
      frame.Add("destination", message.destination);
      frame.Add("persistent", "true");
      frame.Add("content-type", message.content_type);
      for (const auto& [name, value] : message.headers) frame.Add(name, value);
      auto receipt = client_.SendWithReceipt(std::move(frame));
      if (!receipt) {
        outcome.status = std::move(receipt).error();
        return outcome;
      }
      receipts.push_back(std::move(*receipt));
    }
    for (const std::string& receipt : receipts) {
      outcome.status = client_.AwaitReceipt(receipt);
      if (!outcome.status.ok()) return outcome;
      ++outcome.confirmed;
    }
  }
  return outcome;
}

void StompPublisher::KeepAlive() {
  Status alive = client_.KeepAlive();
  if (!alive.ok()) {
    app::LogWarn("broker connection lost", app::LogFields()
                                               .Add("broker", url_.Redacted())
                                               .Add("role", "publisher")
                                               .Add("detail", alive.error().detail));
  }
}

void StompPublisher::Close() { client_.Disconnect(); }

}  // namespace shipline::adapters::broker
