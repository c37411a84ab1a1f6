#include "adapters/broker/stomp_subscriber.hpp"

#include <algorithm>

#include "app/log.hpp"

namespace shipline::adapters::broker {

namespace {

constexpr const char* kSubscriptionId = "shipline-0";

}  // namespace

StompSubscriber::StompSubscriber(StompUrl url, std::string destination,
                                 StompClient::Options options, size_t prefetch)
    : url_(std::move(url)),
      destination_(std::move(destination)),
      client_(std::move(options)),
      prefetch_(std::max<size_t>(1, prefetch)) {}

Status StompSubscriber::EnsureSubscribed() {
  if (client_.connected()) return Ok();
  SHIPLINE_RETURN_IF_ERROR(client_.Connect(url_));
  ++connection_;
  StompFrame subscribe{"SUBSCRIBE", {}, {}};
  subscribe.Add("id", kSubscriptionId);
  subscribe.Add("destination", destination_);
  subscribe.Add("ack", "client-individual");
  subscribe.Add("activemq.prefetchSize", std::to_string(prefetch_));
  auto receipt = client_.SendWithReceipt(std::move(subscribe));
  if (!receipt) return std::move(receipt).error();
  SHIPLINE_RETURN_IF_ERROR(client_.AwaitReceipt(*receipt));
  app::LogInfo("broker subscribed", app::LogFields()
                                        .Add("broker", url_.Redacted())
                                        .Add("server", client_.server())
                                        .Add("destination", destination_));
  return Ok();
}

Result<std::optional<app::IncomingMessage>> StompSubscriber::Receive(
    std::chrono::milliseconds wait) {
  SHIPLINE_RETURN_IF_ERROR(EnsureSubscribed());
  auto frame = client_.NextMessage(wait);
  if (!frame) return std::move(frame).error();
  if (!*frame) return std::optional<app::IncomingMessage>();
  StompFrame& received = **frame;
  auto ack = received.Header("ack");
  if (!ack) {
    client_.Close();
    return Error::Unavailable("message broker unavailable", "MESSAGE without an ack header");
  }
  app::IncomingMessage message;
  message.ack_id = std::to_string(connection_) + "/" + std::string(*ack);
  message.destination = std::string(received.Header("destination").value_or(""));
  message.redelivered = received.Header("redelivered").value_or("") == "true";
  message.headers = std::move(received.headers);
  message.body = std::move(received.body);
  return std::optional<app::IncomingMessage>(std::move(message));
}

Status StompSubscriber::Acknowledge(const char* command, const app::IncomingMessage& message) {
  const std::string prefix = std::to_string(connection_) + "/";
  if (!client_.connected() || message.ack_id.rfind(prefix, 0) != 0) {
    return Error::Unavailable("message broker unavailable",
                              "the message came on a connection that is gone; the broker "
                              "delivers it again");
  }
  StompFrame frame{command, {}, {}};
  frame.Add("id", message.ack_id.substr(prefix.size()));
  auto receipt = client_.SendWithReceipt(std::move(frame));
  if (!receipt) return std::move(receipt).error();
  return client_.AwaitReceipt(*receipt);
}

Status StompSubscriber::Ack(const app::IncomingMessage& message) {
  return Acknowledge("ACK", message);
}

Status StompSubscriber::Nack(const app::IncomingMessage& message) {
  return Acknowledge("NACK", message);
}

void StompSubscriber::KeepAlive() {
  Status alive = client_.KeepAlive();
  if (!alive.ok()) {
    app::LogWarn("broker connection lost", app::LogFields()
                                               .Add("broker", url_.Redacted())
                                               .Add("role", "subscriber")
                                               .Add("detail", alive.error().detail));
  }
}

void StompSubscriber::Close() { client_.Disconnect(); }

}  // namespace shipline::adapters::broker
