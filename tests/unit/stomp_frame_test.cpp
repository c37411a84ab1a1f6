// STOMP 1.2 frames: encoding, decoding and header escaping.

#include "adapters/broker/stomp_frame.hpp"

#include <gtest/gtest.h>

#include <string>

#include "adapters/broker/stomp_client.hpp"

namespace shipline::adapters::broker {
namespace {

using namespace std::string_literals;

StompFrame Decode(const std::string& bytes) {
  FrameDecoder decoder(1 << 20);
  decoder.Append(bytes);
  auto frame = decoder.Next();
  EXPECT_TRUE(frame.ok()) << (frame.ok() ? "" : frame.error().detail);
  EXPECT_TRUE(frame.ok() && frame->has_value());
  return frame.ok() && frame->has_value() ? **frame : StompFrame{};
}

TEST(StompEscape, EscapesTheFourSpecialOctets) {
  EXPECT_EQ(EscapeHeader("a:b\\c\nd\re"), "a\\cb\\\\c\\nd\\re");
  EXPECT_EQ(EscapeHeader("plain value"), "plain value");
}

TEST(StompEscape, UnescapeReversesEscape) {
  const std::string text = "x:\\y\r\nz::";
  auto back = UnescapeHeader(EscapeHeader(text));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, text);
}

TEST(StompEscape, UndefinedEscapeIsAnError) {
  EXPECT_FALSE(UnescapeHeader("a\\tb").ok());
  EXPECT_FALSE(UnescapeHeader("trailing\\").ok());
}

TEST(StompEncode, SendFrameWithEscapedHeadersAndContentLength) {
  StompFrame frame{"SEND", {}, "{\"a\":1}"};
  frame.Add("destination", "/topic/VirtualTopic.ep.orders").Add("note", "a:b");
  auto bytes = EncodeFrame(frame);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes,
            "SEND\ndestination:/topic/VirtualTopic.ep.orders\nnote:a\\cb\ncontent-length:7\n\n"
            "{\"a\":1}\0"s);
}

TEST(StompEncode, ContentLengthWhenNeededOnlyForBodiesWithNul) {
  StompFrame text{"SEND", {}, "hello"};
  auto without = EncodeFrame(text, ContentLength::kWhenNeeded);
  ASSERT_TRUE(without.ok());
  EXPECT_EQ(without->find("content-length"), std::string::npos);

  StompFrame binary{"SEND", {}, "a\0b"s};
  auto with = EncodeFrame(binary, ContentLength::kWhenNeeded);
  ASSERT_TRUE(with.ok());
  EXPECT_NE(with->find("content-length:3\n"), std::string::npos);
  EXPECT_EQ(Decode(*with).body, "a\0b"s);
}

TEST(StompEncode, CallerContentLengthIsReplacedByTheRealOne) {
  StompFrame frame{"SEND", {{"content-length", "999"}}, "abc"};
  auto bytes = EncodeFrame(frame);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(bytes->find("999"), std::string::npos);
  EXPECT_NE(bytes->find("content-length:3\n"), std::string::npos);
}

TEST(StompEncode, ConnectHeadersAreNotEscaped) {
  StompFrame frame{"CONNECT", {}, {}};
  frame.Add("login", "us:er").Add("passcode", "p\\w");
  auto bytes = EncodeFrame(frame);
  ASSERT_TRUE(bytes.ok());
  EXPECT_NE(bytes->find("login:us:er\n"), std::string::npos);
  EXPECT_NE(bytes->find("passcode:p\\w\n"), std::string::npos);
}

TEST(StompEncode, ConnectHeaderWithLineBreakIsRefused) {
  StompFrame frame{"CONNECT", {}, {}};
  frame.Add("passcode", "secret\ninjected:1");
  EXPECT_FALSE(EncodeFrame(frame).ok());
}

TEST(StompEncode, CommandMustBeOneLine) {
  EXPECT_FALSE(EncodeFrame(StompFrame{"", {}, {}}).ok());
  EXPECT_FALSE(EncodeFrame(StompFrame{"SEND\nX", {}, {}}).ok());
}

TEST(StompDecode, RoundTripsHeadersWithSpecialOctets) {
  StompFrame frame{"MESSAGE", {}, "body"};
  frame.Add("ack", "ID:host-1:2").Add("odd\nname", "back\\slash\r");
  auto bytes = EncodeFrame(frame);
  ASSERT_TRUE(bytes.ok());
  StompFrame back = Decode(*bytes);
  EXPECT_EQ(back.command, "MESSAGE");
  EXPECT_EQ(back.Header("ack"), "ID:host-1:2");
  EXPECT_EQ(back.Header("odd\nname"), "back\\slash\r");
  EXPECT_EQ(back.body, "body");
}

TEST(StompDecode, ReadsWhatActiveMqSends) {
  // A MESSAGE as ActiveMQ 5.17 wrote it, escaped ack id, no content-length,
  // then a heart-beat.
  StompFrame frame = Decode(
      "MESSAGE\nexpires:0\ndestination:/queue/Consumer.email.VirtualTopic.ep.orders\n"
      "ack:ID\\cvm-1-4\\c1\nsubscription:0\ncontent-type:application/json\nevent-id:7\n\n"
      "{\"a\":1}\0\n"s);
  EXPECT_EQ(frame.command, "MESSAGE");
  EXPECT_EQ(frame.Header("ack"), "ID:vm-1-4:1");
  EXPECT_EQ(frame.Header("event-id"), "7");
  EXPECT_EQ(frame.body, "{\"a\":1}");
}

TEST(StompDecode, ConnectedHeadersAreTakenAsTheyAre) {
  StompFrame frame = Decode("CONNECTED\nversion:1.2\nsession:ID\\c1\nheart-beat:2000,0\n\n\0"s);
  EXPECT_EQ(frame.Header("session"), "ID\\c1");
  EXPECT_EQ(frame.Header("heart-beat"), "2000,0");
}

TEST(StompDecode, FirstOfRepeatedHeadersWins) {
  StompFrame frame = Decode("MESSAGE\nfoo:first\nfoo:second\n\n\0"s);
  EXPECT_EQ(frame.Header("foo"), "first");
  EXPECT_EQ(frame.headers.size(), 2u);
}

TEST(StompDecode, AcceptsCrLfLineEnds) {
  StompFrame frame = Decode("RECEIPT\r\nreceipt-id:r-1\r\n\r\n\0"s);
  EXPECT_EQ(frame.command, "RECEIPT");
  EXPECT_EQ(frame.Header("receipt-id"), "r-1");
}

TEST(StompDecode, ColonInValueBelongsToTheValue) {
  // Lenient peers do not escape colons in values; the first colon splits.
  StompFrame frame = Decode("MESSAGE\nmessage-id:ID:a:b\n\n\0"s);
  EXPECT_EQ(frame.Header("message-id"), "ID:a:b");
}

TEST(StompDecode, ContentLengthBodyMayHoldNul) {
  StompFrame frame = Decode("MESSAGE\ncontent-length:5\n\nab\0cd\0"s);
  EXPECT_EQ(frame.body, "ab\0cd"s);
}

TEST(StompDecode, SkipsHeartBeatsAndSplitsConsecutiveFrames) {
  FrameDecoder decoder(1 << 20);
  decoder.Append("\n\r\n\nRECEIPT\nreceipt-id:1\n\n\0\nRECEIPT\nreceipt-id:2\n\n\0\n\n"s);
  auto first = decoder.Next();
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->Header("receipt-id"), "1");
  auto second = decoder.Next();
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_EQ((*second)->Header("receipt-id"), "2");
  auto none = decoder.Next();
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  EXPECT_EQ(decoder.Buffered(), 0u);
}

TEST(StompDecode, WaitsForAFrameDeliveredOneOctetAtATime) {
  StompFrame sent{"MESSAGE", {{"ack", "1"}, {"event-id", "42"}}, "{\"x\":\"y\"}"};
  auto bytes = EncodeFrame(sent);
  ASSERT_TRUE(bytes.ok());
  FrameDecoder decoder(1 << 20);
  for (size_t i = 0; i + 1 < bytes->size(); ++i) {
    decoder.Append(bytes->substr(i, 1));
    auto partial = decoder.Next();
    ASSERT_TRUE(partial.ok()) << "at octet " << i;
    ASSERT_FALSE(partial->has_value()) << "at octet " << i;
  }
  decoder.Append(bytes->substr(bytes->size() - 1));
  auto whole = decoder.Next();
  ASSERT_TRUE(whole.ok() && whole->has_value());
  EXPECT_EQ((*whole)->Header("event-id"), "42");
  EXPECT_EQ((*whole)->body, "{\"x\":\"y\"}");
}

TEST(StompDecode, MalformedFramesAreErrors) {
  for (const std::string& bad : {
           "MESSAGE\nno colon here\n\n\0"s,
           "MESSAGE\nbad:esc\\ape\n\n\0"s,
           "MESSAGE\ncontent-length:x\n\nab\0"s,
           "MESSAGE\ncontent-length:2\n\nabc\0"s,  // the octet after the body is not NUL
           "MESSAGE\ncontent-length:-1\n\n\0"s,
       }) {
    FrameDecoder decoder(1 << 20);
    decoder.Append(bad);
    EXPECT_FALSE(decoder.Next().ok()) << bad;
  }
}

TEST(StompDecode, RefusesFramesOverTheLimit) {
  FrameDecoder body_limit(64);
  body_limit.Append("MESSAGE\ncontent-length:1000\n\n");
  EXPECT_FALSE(body_limit.Next().ok());

  FrameDecoder unterminated(64);
  unterminated.Append("MESSAGE\n\n" + std::string(100, 'x'));
  EXPECT_FALSE(unterminated.Next().ok());

  FrameDecoder head_limit(64);
  head_limit.Append("MESSAGE\nh:" + std::string(100, 'x'));
  EXPECT_FALSE(head_limit.Next().ok());
}

TEST(StompUrl, ParsesHostPortAndCredentials) {
  auto url = StompUrl::Parse("stomp://us%40er:p%3Ass@broker.example:61614");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->host, "broker.example");
  EXPECT_EQ(url->port, 61614);
  EXPECT_EQ(url->login, "us@er");
  EXPECT_EQ(url->passcode, "p:ss");
  EXPECT_EQ(url->Redacted(), "stomp://us@er@broker.example:61614");
  EXPECT_EQ(url->Redacted().find("p:ss"), std::string::npos);
}

TEST(StompUrl, DefaultsThePortAndTakesIpv6) {
  auto plain = StompUrl::Parse("stomp://127.0.0.1");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->port, 61613);
  EXPECT_TRUE(plain->login.empty());
  auto v6 = StompUrl::Parse("stomp://[::1]:61613/");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->Redacted(), "stomp://[::1]:61613");
}

TEST(StompUrl, TlsSchemesDefaultToTheTlsPort) {
  auto ssl = StompUrl::Parse("stomp+ssl://user:pw@broker.example");
  ASSERT_TRUE(ssl.ok());
  EXPECT_TRUE(ssl->tls);
  EXPECT_EQ(ssl->port, kStompTlsPort);
  EXPECT_EQ(ssl->Redacted(), "stomp+ssl://user@broker.example:61614");
  auto alias = StompUrl::Parse("stomps://broker.example:61612");
  ASSERT_TRUE(alias.ok());
  EXPECT_TRUE(alias->tls);
  EXPECT_EQ(alias->port, 61612);
  auto plain = StompUrl::Parse("stomp://broker.example");
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->tls);
  EXPECT_EQ(plain->Redacted(), "stomp://broker.example:61613");
}

TEST(StompUrl, KnowsLoopbackHosts) {
  for (const char* url :
       {"stomp://localhost", "stomp://127.0.0.1", "stomp://127.3.0.1", "stomp://[::1]"}) {
    EXPECT_TRUE(StompUrl::Parse(url)->IsLoopbackHost()) << url;
  }
  for (const char* url : {"stomp://10.0.0.1", "stomp://broker.example", "stomp://[2001:db8::1]",
                          "stomp://localhost.example"}) {
    EXPECT_FALSE(StompUrl::Parse(url)->IsLoopbackHost()) << url;
  }
}

TEST(StompUrl, RefusesOtherSchemesAndShapes) {
  EXPECT_FALSE(StompUrl::Parse("tcp://127.0.0.1:61616").ok());
  EXPECT_FALSE(StompUrl::Parse("stomp://").ok());
  EXPECT_FALSE(StompUrl::Parse("stomp://host:notaport").ok());
  EXPECT_FALSE(StompUrl::Parse("stomp://host:0").ok());
  EXPECT_FALSE(StompUrl::Parse("stomp://host:61613/queue").ok());
  EXPECT_FALSE(StompUrl::Parse("not a url").ok());
}

}  // namespace
}  // namespace shipline::adapters::broker
