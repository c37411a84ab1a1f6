#include "adapters/broker/stomp_publisher.hpp"

#include <algorithm>
#include <string>

#include "app/log.hpp"

namespace shipline::adapters::broker {

namespace {

StompFrame SendFrame(const app::OutgoingMessage& message, const std::string& transaction) {
  StompFrame frame{"SEND", {}, message.body};
  frame.Add("destination", message.destination);
  frame.Add("persistent", "true");
  frame.Add("content-type", message.content_type);
  if (!transaction.empty()) frame.Add("transaction", transaction);
  for (const auto& [name, value] : message.headers) frame.Add(name, value);
  return frame;
}

}  // namespace

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
  for (size_t start = 0; start < messages.size(); start += window_) {
    auto window = messages.subspan(start, std::min(window_, messages.size() - start));
    outcome.status = PublishWindow(window);
    if (!outcome.status.ok()) return outcome;
    outcome.confirmed += window.size();
  }
  return outcome;
}

Status StompPublisher::PublishWindow(std::span<const app::OutgoingMessage> window) {
  if (window.size() == 1) {
    auto receipt = client_.SendWithReceipt(SendFrame(window.front(), {}));
    if (!receipt) return std::move(receipt).error();
    return client_.AwaitReceipt(*receipt);
  }
  const std::string transaction = "shipline-tx-" + std::to_string(++transactions_);
  SHIPLINE_RETURN_IF_ERROR(
      client_.SendFrame(StompFrame{"BEGIN", {{"transaction", transaction}}, {}}));
  for (const app::OutgoingMessage& message : window) {
    SHIPLINE_RETURN_IF_ERROR(client_.SendFrame(SendFrame(message, transaction)));
  }
  auto receipt = client_.SendWithReceipt(StompFrame{"COMMIT", {{"transaction", transaction}}, {}});
  if (!receipt) return std::move(receipt).error();
  return client_.AwaitReceipt(*receipt);
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
