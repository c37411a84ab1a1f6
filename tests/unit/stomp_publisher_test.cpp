// The STOMP publisher against a scripted peer: what goes on the wire, and
// which messages count as confirmed.

#include "adapters/broker/stomp_publisher.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/scripted_broker.hpp"

namespace shipline::adapters::broker {
namespace {

using namespace std::chrono_literals;
using test::Nul;
using test::ReceiptIdOf;
using test::ScriptedBroker;

StompClient::Options FastOptions() {
  StompClient::Options options;
  options.connect_timeout = 2s;
  options.reply_timeout = 300ms;
  options.heart_beat_receive = 0ms;
  return options;
}

std::vector<app::OutgoingMessage> Messages(int count) {
  std::vector<app::OutgoingMessage> messages;
  for (int i = 1; i <= count; ++i) {
    app::OutgoingMessage message;
    message.destination = "/topic/VirtualTopic.ep.orders";
    message.headers = {{"event-id", std::to_string(i)}, {"persistent", "false"}};
    message.body = "{\"n\":" + std::to_string(i) + "}";
    messages.push_back(std::move(message));
  }
  return messages;
}

std::string HeaderOf(const std::string& frame, const std::string& name) {
  auto at = frame.find("\n" + name + ":");
  if (at == std::string::npos) return "<missing>";
  at += name.size() + 2;
  return frame.substr(at, frame.find('\n', at) - at);
}

TEST(StompPublisher, ALoneMessageIsAPersistentSendWithAReceipt) {
  std::vector<std::string> frames;
  ScriptedBroker broker([&](ScriptedBroker& peer) {
    peer.Connected();
    frames.push_back(peer.Read());
    peer.Write("RECEIPT\nreceipt-id:" + ReceiptIdOf(frames.back()) + "\n\n" + Nul());
    frames.push_back(peer.Read());  // DISCONNECT
    peer.Write("RECEIPT\nreceipt-id:" + ReceiptIdOf(frames.back()) + "\n\n" + Nul());
    peer.AwaitClose();
  });
  StompPublisher publisher(broker.Url(), FastOptions());
  auto messages = Messages(1);
  app::PublishOutcome outcome = publisher.Publish(messages);
  ASSERT_TRUE(outcome.status.ok()) << outcome.status.error().detail;
  EXPECT_EQ(outcome.confirmed, 1u);
  publisher.Close();
  broker.Join();

  ASSERT_EQ(frames.size(), 2u);
  const std::string& send = frames[0];
  EXPECT_EQ(send.rfind("SEND\n", 0), 0u) << send;
  EXPECT_EQ(HeaderOf(send, "destination"), "/topic/VirtualTopic.ep.orders");
  // The adapter's persistent:true comes first, so the message cannot undo it.
  EXPECT_EQ(HeaderOf(send, "persistent"), "true");
  EXPECT_EQ(HeaderOf(send, "content-type"), "application/json");
  EXPECT_EQ(HeaderOf(send, "event-id"), "1");
  EXPECT_EQ(HeaderOf(send, "transaction"), "<missing>");
  EXPECT_EQ(frames[1].rfind("DISCONNECT\n", 0), 0u);
}

TEST(StompPublisher, AWindowIsOneTransactionConfirmedByTheCommitReceipt) {
  std::vector<std::string> frames;
  ScriptedBroker broker([&](ScriptedBroker& peer) {
    peer.Connected();
    for (int i = 0; i < 5; ++i) frames.push_back(peer.Read());  // BEGIN, 3 SEND, COMMIT
    peer.Write("RECEIPT\nreceipt-id:" + ReceiptIdOf(frames.back()) + "\n\n" + Nul());
    peer.AwaitClose();
  });
  StompPublisher publisher(broker.Url(), FastOptions());
  auto messages = Messages(3);
  app::PublishOutcome outcome = publisher.Publish(messages);
  ASSERT_TRUE(outcome.status.ok()) << outcome.status.error().detail;
  EXPECT_EQ(outcome.confirmed, 3u);
  publisher.Interrupt();  // close without a DISCONNECT
  publisher.Close();
  broker.Join();

  ASSERT_EQ(frames.size(), 5u);
  EXPECT_EQ(frames[0].rfind("BEGIN\n", 0), 0u) << frames[0];
  const std::string transaction = HeaderOf(frames[0], "transaction");
  for (int i = 1; i <= 3; ++i) {
    EXPECT_EQ(frames[i].rfind("SEND\n", 0), 0u) << frames[i];
    EXPECT_EQ(HeaderOf(frames[i], "transaction"), transaction);
    EXPECT_EQ(HeaderOf(frames[i], "event-id"), std::to_string(i));
  }
  EXPECT_EQ(frames[4].rfind("COMMIT\n", 0), 0u) << frames[4];
  EXPECT_EQ(HeaderOf(frames[4], "transaction"), transaction);
  EXPECT_FALSE(ReceiptIdOf(frames[4]).empty());
}

TEST(StompPublisher, OnlyWindowsWhoseCommitWasConfirmedCount) {
  ScriptedBroker broker([&](ScriptedBroker& peer) {
    peer.Connected();
    std::string commit;
    for (int i = 0; i < 4; ++i) commit = peer.Read();  // the first window of two
    peer.Write("RECEIPT\nreceipt-id:" + ReceiptIdOf(commit) + "\n\n" + Nul());
    for (int i = 0; i < 4; ++i) peer.Read();  // the second: no receipt
    peer.AwaitClose();
  });
  StompPublisher publisher(broker.Url(), FastOptions(), /*window=*/2);
  auto messages = Messages(4);
  app::PublishOutcome outcome = publisher.Publish(messages);
  ASSERT_FALSE(outcome.status.ok());
  EXPECT_EQ(outcome.status.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(outcome.confirmed, 2u);
}

TEST(StompPublisher, AnErrorFromTheBrokerConfirmsNothing) {
  ScriptedBroker broker([&](ScriptedBroker& peer) {
    peer.Connected();
    for (int i = 0; i < 4; ++i) peer.Read();
    peer.Write("ERROR\nmessage:not allowed to write\n\n" + Nul());
    peer.AwaitClose();
  });
  StompPublisher publisher(broker.Url(), FastOptions());
  auto messages = Messages(2);
  app::PublishOutcome outcome = publisher.Publish(messages);
  ASSERT_FALSE(outcome.status.ok());
  EXPECT_NE(outcome.status.error().detail.find("not allowed to write"), std::string::npos);
  EXPECT_EQ(outcome.confirmed, 0u);
}

}  // namespace
}  // namespace shipline::adapters::broker
