// The STOMP client against a scripted peer on loopback: handshakes, receipts,
// errors, timeouts, heart-beats and interruption.

#include "adapters/broker/stomp_client.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "support/scripted_broker.hpp"

namespace shipline::adapters::broker {
namespace {

using test::Nul;
using test::ReceiptIdOf;
using test::ScriptedBroker;

using namespace std::chrono_literals;

StompClient::Options FastOptions() {
  StompClient::Options options;
  options.connect_timeout = 2s;
  options.reply_timeout = 300ms;
  options.heart_beat_receive = 0ms;
  return options;
}

StompFrame Send(const std::string& body) {
  StompFrame frame{"SEND", {}, body};
  frame.Add("destination", "/topic/VirtualTopic.ep.orders").Add("persistent", "true");
  return frame;
}

TEST(StompClient, ConnectsSendsAndGetsTheReceipt) {
  std::string sent;
  ScriptedBroker broker([&](ScriptedBroker& peer) {
    peer.Connected();
    sent = peer.Read();
    peer.Write("RECEIPT\nreceipt-id:" + ReceiptIdOf(sent) + "\n\n" + Nul());
    peer.AwaitClose();
  });
  StompClient client(FastOptions());
  ASSERT_TRUE(client.Connect(broker.Url()).ok());
  EXPECT_TRUE(client.connected());
  EXPECT_EQ(client.server(), "Scripted/1");
  auto receipt = client.SendWithReceipt(Send("{\"a\":1}"));
  ASSERT_TRUE(receipt.ok());
  Status confirmed = client.AwaitReceipt(*receipt);
  EXPECT_TRUE(confirmed.ok()) << confirmed.error().detail;
  client.Close();
  EXPECT_EQ(sent.rfind("SEND\n", 0), 0u);
  EXPECT_NE(sent.find("persistent:true\n"), std::string::npos);
  EXPECT_NE(sent.find("\n\n{\"a\":1}"), std::string::npos);
}

TEST(StompClient, NoReceiptInTimeIsAFailureAndClosesTheConnection) {
  ScriptedBroker broker([&](ScriptedBroker& peer) {
    peer.Connected();
    peer.Read();
    peer.AwaitClose();
  });
  StompClient client(FastOptions());
  ASSERT_TRUE(client.Connect(broker.Url()).ok());
  auto receipt = client.SendWithReceipt(Send("x"));
  ASSERT_TRUE(receipt.ok());
  Status confirmed = client.AwaitReceipt(*receipt);
  ASSERT_FALSE(confirmed.ok());
  EXPECT_EQ(confirmed.error().code, ErrorCode::kUnavailable);
  EXPECT_FALSE(client.connected());
}

TEST(StompClient, AnErrorFrameIsAFailureWithTheBrokersReason) {
  ScriptedBroker broker([&](ScriptedBroker& peer) {
    peer.Connected();
    peer.Read();
    peer.Write("ERROR\nmessage:destination refused\n\ndetails\n" + Nul());
    peer.AwaitClose();
  });
  StompClient client(FastOptions());
  ASSERT_TRUE(client.Connect(broker.Url()).ok());
  auto receipt = client.SendWithReceipt(Send("x"));
  ASSERT_TRUE(receipt.ok());
  Status confirmed = client.AwaitReceipt(*receipt);
  ASSERT_FALSE(confirmed.ok());
  EXPECT_NE(confirmed.error().detail.find("destination refused"), std::string::npos);
  EXPECT_FALSE(client.connected());
}

TEST(StompClient, ReceiptsMayBeAwaitedInAnyOrderAndMessagesAreKept) {
  ScriptedBroker broker([&](ScriptedBroker& peer) {
    peer.Connected();
    std::string first = peer.Read();
    std::string second = peer.Read();
    peer.Write("MESSAGE\nack:a-1\nevent-id:7\n\nhello" + Nul() + "\n");
    peer.Write("RECEIPT\nreceipt-id:" + ReceiptIdOf(first) + "\n\n" + Nul());
    peer.Write("RECEIPT\nreceipt-id:" + ReceiptIdOf(second) + "\n\n" + Nul());
    peer.AwaitClose();
  });
  StompClient client(FastOptions());
  ASSERT_TRUE(client.Connect(broker.Url()).ok());
  auto first = client.SendWithReceipt(Send("1"));
  auto second = client.SendWithReceipt(Send("2"));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(*first, *second);
  EXPECT_TRUE(client.AwaitReceipt(*second).ok());
  EXPECT_TRUE(client.AwaitReceipt(*first).ok());
  auto message = client.NextMessage(0ms);
  ASSERT_TRUE(message.ok());
  ASSERT_TRUE(message->has_value());
  EXPECT_EQ((*message)->Header("event-id"), "7");
  EXPECT_EQ((*message)->body, "hello");
}

TEST(StompClient, NextMessageReturnsNothingWhenTheQueueIsQuiet) {
  ScriptedBroker broker([&](ScriptedBroker& peer) {
    peer.Connected();
    peer.AwaitClose();
  });
  StompClient client(FastOptions());
  ASSERT_TRUE(client.Connect(broker.Url()).ok());
  auto message = client.NextMessage(50ms);
  ASSERT_TRUE(message.ok());
  EXPECT_FALSE(message->has_value());
  EXPECT_TRUE(client.connected());
}

TEST(StompClient, ASilentBrokerIsDeadOnceItsHeartBeatsStop) {
  ScriptedBroker broker([&](ScriptedBroker& peer) {
    peer.Connected("50,0");  // promises a heart-beat every 50 ms, sends none
    peer.AwaitClose();
  });
  StompClient::Options options = FastOptions();
  options.heart_beat_receive = 50ms;
  StompClient client(options);
  ASSERT_TRUE(client.Connect(broker.Url()).ok());
  auto message = client.NextMessage(5s);
  ASSERT_FALSE(message.ok());
  EXPECT_NE(message.error().detail.find("heart-beat"), std::string::npos);
  EXPECT_FALSE(client.connected());
}

TEST(StompClient, SendsHeartBeatsWhenAgreed) {
  bool got_heart_beat = false;
  ScriptedBroker broker([&](ScriptedBroker& peer) {
    peer.Connected("0,50");  // wants one from the client every 50 ms
    got_heart_beat = peer.ReadByte() == '\n';
    peer.AwaitClose();
  });
  StompClient::Options options = FastOptions();
  options.heart_beat_send = 50ms;
  StompClient client(options);
  ASSERT_TRUE(client.Connect(broker.Url()).ok());
  auto message = client.NextMessage(300ms);
  ASSERT_TRUE(message.ok()) << message.error().detail;
  EXPECT_FALSE(message->has_value());
  client.Close();
  broker.Join();
  EXPECT_TRUE(got_heart_beat);
}

TEST(StompClient, TheBrokerMustSpeakStomp12) {
  ScriptedBroker broker([&](ScriptedBroker& peer) {
    peer.Read();
    peer.Write("CONNECTED\nversion:1.1\n\n" + Nul());
    peer.AwaitClose();
  });
  StompClient client(FastOptions());
  Status connected = client.Connect(broker.Url());
  ASSERT_FALSE(connected.ok());
  EXPECT_NE(connected.error().detail.find("1.2"), std::string::npos);
}

TEST(StompClient, ARefusedLoginIsAFailureWithoutThePasscode) {
  ScriptedBroker broker([&](ScriptedBroker& peer) {
    peer.Read();
    peer.Write("ERROR\nmessage:User name [user] or password is invalid.\n\n" + Nul());
    peer.AwaitClose();
  });
  StompClient client(FastOptions());
  Status connected = client.Connect(broker.Url());
  ASSERT_FALSE(connected.ok());
  EXPECT_NE(connected.error().detail.find("password is invalid"), std::string::npos);
  EXPECT_EQ(connected.error().detail.find("secret"), std::string::npos);
}

TEST(StompClient, ANobodyListeningPortIsUnavailable) {
  // A port bound and closed without listening refuses connections.
  int probe = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  ASSERT_EQ(bind(probe, reinterpret_cast<sockaddr*>(&address), length), 0);
  ASSERT_EQ(getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length), 0);
  close(probe);
  StompUrl url;
  url.host = "127.0.0.1";
  url.port = ntohs(address.sin_port);
  StompClient client(FastOptions());
  Status connected = client.Connect(url);
  ASSERT_FALSE(connected.ok());
  EXPECT_EQ(connected.error().code, ErrorCode::kUnavailable);
  EXPECT_FALSE(client.connected());
}

TEST(StompClient, ATlsUrlOnAPlainPortFailsTheHandshakeAndSaysSo) {
  ScriptedBroker broker([](ScriptedBroker& peer) {
    peer.Read();  // the ClientHello, up to its first NUL byte
    peer.Write("ERROR\nmessage:not TLS here\n\n");
    peer.Write(std::string(1, '\0'));
  });
  StompUrl url = broker.Url();
  url.tls = true;
  StompClient client(FastOptions());
  Status connected = client.Connect(url);
  ASSERT_FALSE(connected.ok());
  EXPECT_EQ(connected.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(connected.error().detail.find("TLS handshake with stomp+ssl://user@127.0.0.1:"),
            std::string::npos)
      << connected.error().detail;
  EXPECT_EQ(connected.error().detail.find("secret"), std::string::npos);
  EXPECT_FALSE(client.connected());
}

TEST(StompClient, InterruptEndsABlockedWait) {
  StompClient* target = nullptr;
  ScriptedBroker broker([&](ScriptedBroker& peer) {
    peer.Connected();
    peer.Read();  // the SUBSCRIBE: the client now waits for messages
    target->Interrupt();
    peer.AwaitClose();
  });
  StompClient client(FastOptions());
  target = &client;
  ASSERT_TRUE(client.Connect(broker.Url()).ok());
  StompFrame subscribe{"SUBSCRIBE", {{"id", "0"}, {"destination", "/queue/q"}}, {}};
  // The interruption may land while this write is still in progress.
  (void)client.SendFrame(subscribe);
  auto message = client.NextMessage(60s);
  ASSERT_FALSE(message.ok());
  EXPECT_NE(message.error().detail.find("interrupted"), std::string::npos);
  EXPECT_FALSE(client.Connect(broker.Url()).ok());  // and stays interrupted
}

}  // namespace
}  // namespace shipline::adapters::broker
