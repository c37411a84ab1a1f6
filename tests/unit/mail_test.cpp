#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "adapters/mail/file_mailer.hpp"
#include "adapters/mail/rfc5322.hpp"
#include "adapters/mail/smtp_mailer.hpp"

namespace shipline::adapters {
namespace {

app::MailMessage Message() {
  app::MailMessage message;
  message.message_id = "evt-42@shipline";
  message.from = "shop@example.com";
  message.to = "ann@example.org";
  message.to_name = "Ann Smith";
  message.subject = "Your order 1001 has shipped";
  message.text = "Hello Ann,\nyour parcel is on its way.\n.\n.hidden line\n";
  message.date = 1700000000000;  // Tue, 14 Nov 2023 22:13:20 UTC
  return message;
}

std::string HeaderSection(const std::string& rendered) {
  return rendered.substr(0, rendered.find("\r\n\r\n") + 2);
}

std::string Body(const std::string& rendered) {
  return rendered.substr(rendered.find("\r\n\r\n") + 4);
}

std::string Base64Decode(const std::string& text) {
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (char ch : text) {
    size_t value = alphabet.find(ch);
    if (value == std::string::npos) continue;  // padding
    bits = (bits << 6) | static_cast<uint32_t>(value);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> count) & 0xFF));
    }
  }
  return out;
}

// Decodes every "=?UTF-8?B?...?=" word of a header value (folding removed).
std::string DecodeEncodedWords(const std::string& value) {
  std::string out;
  size_t at = 0;
  while ((at = value.find("=?UTF-8?B?", at)) != std::string::npos) {
    size_t end = value.find("?=", at + 10);
    out += Base64Decode(value.substr(at + 10, end - at - 10));
    at = end + 2;
  }
  return out;
}

// The unfolded value of the first header with this name.
std::string HeaderValue(const std::string& rendered, const std::string& name) {
  std::string headers = HeaderSection(rendered);
  size_t at = headers.find(name + ": ");
  if (at == std::string::npos) return {};
  at += name.size() + 2;
  std::string value;
  for (;;) {
    size_t end = headers.find("\r\n", at);
    value += headers.substr(at, end - at);
    if (end + 2 < headers.size() && headers[end + 2] == ' ') {
      at = end + 2;
    } else {
      return value;
    }
  }
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

TEST(Rfc5322, RendersHeadersInOrderWithCrlf) {
  std::string rendered = RenderMessage(Message());

  EXPECT_EQ(HeaderSection(rendered),
            "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"
            "From: shop@example.com\r\n"
            "To: \"Ann Smith\" <ann@example.org>\r\n"
            "Subject: Your order 1001 has shipped\r\n"
            "Message-ID: <evt-42@shipline>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=UTF-8\r\n"
            "Content-Transfer-Encoding: 8bit\r\n");
}

TEST(Rfc5322, BodyUsesCrlfAndLeavesLeadingDotsAlone) {
  std::string rendered = RenderMessage(Message());

  EXPECT_EQ(Body(rendered), "Hello Ann,\r\nyour parcel is on its way.\r\n.\r\n.hidden line\r\n");
  for (size_t i = 0; i < rendered.size(); ++i) {
    if (rendered[i] == '\n') {
      EXPECT_EQ(rendered[i - 1], '\r') << "bare LF at " << i;
    }
  }
}

TEST(Rfc5322, FormatsDatesInUtc) {
  EXPECT_EQ(FormatRfc5322Date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(FormatRfc5322Date(951782400999), "Tue, 29 Feb 2000 00:00:00 +0000");
  EXPECT_EQ(FormatRfc5322Date(-1000), "Wed, 31 Dec 1969 23:59:59 +0000");
}

TEST(Rfc5322, LineBreaksInHeaderValuesCannotAddHeaders) {
  app::MailMessage message = Message();
  message.subject = "Shipped\r\nBcc: victim@example.net";
  message.to_name = "Ann\nX-Injected: 1";
  message.to = "ann@example.org\r\nCc: other@example.net";
  message.from = "shop@example.com\n\r\nbody";
  message.message_id = "id\r\nX-Evil: 1";

  std::string rendered = RenderMessage(message);
  std::string headers = HeaderSection(rendered);

  EXPECT_EQ(headers.find("\r\nBcc:"), std::string::npos) << headers;
  EXPECT_EQ(headers.find("\r\nCc:"), std::string::npos) << headers;
  EXPECT_EQ(headers.find("\r\nX-"), std::string::npos) << headers;
  EXPECT_EQ(headers.find("\r\nbody"), std::string::npos) << headers;
  EXPECT_EQ(headers.find("\r\n\r\n"), std::string::npos);
  // Exactly the eight headers, each one line.
  size_t lines = 0;
  for (size_t at = 0; (at = headers.find("\r\n", at)) != std::string::npos; at += 2) ++lines;
  EXPECT_EQ(lines, 8u) << headers;
  EXPECT_EQ(HeaderValue(rendered, "Subject"), "ShippedBcc: victim@example.net");
}

TEST(Rfc5322, EncodesANonAsciiSubject) {
  app::MailMessage message = Message();
  message.subject = "Versandbestätigung für Bestellung 1001";

  std::string subject = HeaderValue(RenderMessage(message), "Subject");

  EXPECT_EQ(subject.rfind("=?UTF-8?B?", 0), 0u) << subject;
  EXPECT_EQ(DecodeEncodedWords(subject), message.subject);
}

TEST(Rfc5322, SplitsALongSubjectIntoShortWordsBetweenCharacters) {
  app::MailMessage message = Message();
  message.subject.clear();
  for (int i = 0; i < 40; ++i) message.subject += "Größe ";

  std::string rendered = RenderMessage(message);
  std::string headers = HeaderSection(rendered);

  for (size_t start = 0, end; (end = headers.find("\r\n", start)) != std::string::npos;
       start = end + 2) {
    EXPECT_LE(end - start, 78u) << headers.substr(start, end - start);
  }
  std::string subject = HeaderValue(rendered, "Subject");
  EXPECT_EQ(DecodeEncodedWords(subject), message.subject);
  // Every word decodes to whole UTF-8 characters on its own.
  for (size_t at = 0; (at = subject.find("=?UTF-8?B?", at)) != std::string::npos;) {
    size_t end = subject.find("?=", at + 10);
    std::string word = Base64Decode(subject.substr(at + 10, end - at - 10));
    EXPECT_NE(static_cast<unsigned char>(word.front()) & 0xC0, 0x80u);
    at = end + 2;
  }
}

TEST(Rfc5322, QuotesAndEncodesDisplayNames) {
  app::MailMessage message = Message();
  message.to_name = R"(Ann "The Boss" \ Smith)";
  EXPECT_EQ(HeaderValue(RenderMessage(message), "To"),
            R"("Ann \"The Boss\" \\ Smith" <ann@example.org>)");

  message.to_name = "Zoë Müller";
  std::string to = HeaderValue(RenderMessage(message), "To");
  EXPECT_EQ(to.rfind("=?UTF-8?B?", 0), 0u) << to;
  EXPECT_NE(to.find(" <ann@example.org>"), std::string::npos);
  EXPECT_EQ(DecodeEncodedWords(to), "Zoë Müller");
}

TEST(Rfc5322, ReadsANamedSender) {
  app::MailMessage message = Message();
  message.from = "Corner Shop <shop@example.com>";
  EXPECT_EQ(HeaderValue(RenderMessage(message), "From"), "\"Corner Shop\" <shop@example.com>");
  EXPECT_EQ(MailboxAddress(message.from), "shop@example.com");
  EXPECT_EQ(MailboxAddress("a@b.c>\r\nRCPT TO:<x@y.z"), "a@b.cRCPTTO:x@y.z");
}

TEST(Rfc5322, LongBodyLinesSwitchToQuotedPrintable) {
  app::MailMessage message = Message();
  message.text = std::string(1200, 'a') + "=\nsecond line \n";

  std::string rendered = RenderMessage(message);

  EXPECT_EQ(HeaderValue(rendered, "Content-Transfer-Encoding"), "quoted-printable");
  std::string body = Body(rendered);
  for (size_t start = 0, end; (end = body.find("\r\n", start)) != std::string::npos;
       start = end + 2) {
    EXPECT_LE(end - start, 76u);
  }
  // Undo the soft breaks and the escapes we used.
  std::string decoded;
  for (size_t i = 0; i < body.size(); ++i) {
    if (body.compare(i, 3, "=\r\n") == 0) {
      i += 2;
    } else if (body.compare(i, 3, "=3D") == 0) {
      decoded += '=';
      i += 2;
    } else if (body.compare(i, 3, "=20") == 0) {
      decoded += ' ';
      i += 2;
    } else {
      decoded += body[i];
    }
  }
  EXPECT_EQ(decoded, std::string(1200, 'a') + "=\r\nsecond line \r\n");
}

class FileMailerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/shipline-mail-test-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    root_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::vector<std::filesystem::path> Files(const std::filesystem::path& dir) const {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
      files.push_back(entry.path());
    return files;
  }

  std::filesystem::path root_;
};

TEST_F(FileMailerTest, WritesTheRenderedMessageAsEml) {
  std::filesystem::path dir = root_ / "outbox" / "mail";  // created on demand
  FileMailer mailer(dir);
  EXPECT_EQ(mailer.Transport(), "file");

  Status sent = mailer.Send(Message());

  ASSERT_TRUE(sent.ok()) << sent.error().detail;
  std::filesystem::path expected = dir / "evt-42_shipline.eml";
  EXPECT_EQ(mailer.PathFor("evt-42@shipline"), expected);
  EXPECT_EQ(ReadFile(expected), RenderMessage(Message()));
  EXPECT_EQ(Files(dir), std::vector<std::filesystem::path>{expected});  // no temporary left
}

TEST_F(FileMailerTest, ABatchWritesEveryFileAndGoesOnPastARefusedMessage) {
  FileMailer mailer(root_);
  std::vector<app::MailMessage> batch(3, Message());
  batch[0].message_id = "first@shipline";
  batch[1].message_id = "";  // can never be written
  batch[2].message_id = "third@shipline";
  int asked = 0;

  std::vector<Status> statuses = mailer.SendEach(batch, [&] { return ++asked <= 3; });

  ASSERT_EQ(statuses.size(), 3u);
  EXPECT_TRUE(statuses[0].ok());
  EXPECT_EQ(statuses[1].error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(statuses[2].ok());
  EXPECT_EQ(Files(root_).size(), 2u);
  EXPECT_EQ(ReadFile(root_ / "third_shipline.eml"), RenderMessage(batch[2]));

  // Told to stop, it sends nothing more.
  EXPECT_TRUE(mailer.SendEach(batch, [] { return false; }).empty());
}

TEST_F(FileMailerTest, StartingRemovesTemporariesAKilledWriterLeftButNotFreshOnes) {
  std::ofstream(root_ / ".mail-old123") << "half a message";
  std::ofstream(root_ / ".mail-new456") << "being written";
  std::filesystem::last_write_time(
      root_ / ".mail-old123",
      std::filesystem::file_time_type::clock::now() - std::chrono::minutes(5));

  FileMailer mailer(root_);

  EXPECT_EQ(Files(root_), std::vector<std::filesystem::path>{root_ / ".mail-new456"});
}

TEST_F(FileMailerTest, SendingTheSameIdAgainReplacesTheFile) {
  FileMailer mailer(root_);
  app::MailMessage message = Message();
  ASSERT_TRUE(mailer.Send(message).ok());
  message.text = "second version\n";

  ASSERT_TRUE(mailer.Send(message).ok());

  EXPECT_EQ(Files(root_).size(), 1u);
  EXPECT_EQ(Body(ReadFile(root_ / "evt-42_shipline.eml")), "second version\r\n");
}

TEST_F(FileMailerTest, MessageIdCannotLeaveTheFolder) {
  FileMailer mailer(root_);
  app::MailMessage message = Message();
  message.message_id = "../../etc/passwd";

  ASSERT_TRUE(mailer.Send(message).ok());

  EXPECT_EQ(Files(root_), std::vector<std::filesystem::path>{root_ / ".._.._etc_passwd.eml"});
}

TEST_F(FileMailerTest, UnwritableFolderIsUnavailable) {
  std::filesystem::path blocker = root_ / "not-a-folder";
  std::ofstream(blocker) << "x";
  FileMailer mailer(blocker / "mail");

  Status sent = mailer.Send(Message());

  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(sent.error().message, "mail could not be written");
  EXPECT_FALSE(sent.error().detail.empty());
}

// A minimal SMTP server for one session on a thread: it accepts every command
// (or refuses RCPT when asked to) and records the envelope and the DATA lines.
class OneShotSmtpServer {
 public:
  explicit OneShotSmtpServer(bool refuse_recipient) : refuse_recipient_(refuse_recipient) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listen_fd_, 4) != 0) {
      std::abort();
    }
    socklen_t length = sizeof address;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~OneShotSmtpServer() {
    ::shutdown(listen_fd_, SHUT_RDWR);
    Wait();
    ::close(listen_fd_);
  }

  std::string Url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  void Wait() {
    if (thread_.joinable()) thread_.join();
  }

  std::string mail_from;
  std::vector<std::string> rcpt_to;
  std::string data;  // as received, still dot-stuffed, without the final "."

 private:
  bool ReadLine(int fd, std::string& line) {
    for (;;) {
      size_t end = pending_.find("\r\n");
      if (end != std::string::npos) {
        line = pending_.substr(0, end);
        pending_.erase(0, end + 2);
        return true;
      }
      char buffer[4096];
      ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n <= 0) return false;
      pending_.append(buffer, static_cast<size_t>(n));
    }
  }

  static void Reply(int fd, const std::string& text) {
    ::send(fd, text.data(), text.size(), MSG_NOSIGNAL);
  }

  void Serve() {
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) return;
    timeval limit{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    Reply(fd, "220 test ESMTP\r\n");
    std::string line;
    while (ReadLine(fd, line)) {
      if (line.rfind("EHLO", 0) == 0) {
        Reply(fd, "250-test\r\n250 8BITMIME\r\n");
      } else if (line.rfind("MAIL FROM:", 0) == 0) {
        mail_from = line.substr(10);
        Reply(fd, "250 OK\r\n");
      } else if (line.rfind("RCPT TO:", 0) == 0) {
        rcpt_to.push_back(line.substr(8));
        Reply(fd, refuse_recipient_ ? "550 no such user\r\n" : "250 OK\r\n");
      } else if (line == "DATA") {
        Reply(fd, "354 go ahead\r\n");
        while (ReadLine(fd, line) && line != ".") data += line + "\r\n";
        Reply(fd, "250 queued\r\n");
      } else if (line == "QUIT") {
        Reply(fd, "221 bye\r\n");
        break;
      } else {
        Reply(fd, "250 OK\r\n");
      }
    }
    ::close(fd);
  }

  bool refuse_recipient_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::thread thread_;
  std::string pending_;
};

TEST(SmtpMailer, SendsTheEnvelopeAndTheRenderedMessage) {
  OneShotSmtpServer server(/*refuse_recipient=*/false);
  SmtpMailer mailer(server.Url());
  EXPECT_EQ(mailer.Transport(), "smtp");
  app::MailMessage message = Message();
  message.from = "Corner Shop <shop@example.com>";

  Status sent = mailer.Send(message);
  server.Wait();

  ASSERT_TRUE(sent.ok()) << sent.error().detail;
  EXPECT_EQ(server.mail_from.substr(0, 18), "<shop@example.com>");
  EXPECT_EQ(server.rcpt_to, std::vector<std::string>{"<ann@example.org>"});
  // On the wire a leading dot is doubled; the message itself is unchanged.
  std::string expected = RenderMessage(message);
  std::string unstuffed;
  std::istringstream lines(server.data);
  for (std::string line; std::getline(lines, line);) {
    unstuffed += line.rfind("..", 0) == 0 ? line.substr(1) : line;
    unstuffed += "\n";
  }
  EXPECT_NE(server.data.find("\r\n..hidden line\r\n"), std::string::npos) << server.data;
  EXPECT_EQ(unstuffed, expected);
}

TEST(SmtpMailer, RefusedRecipientIsAPermanentFailure) {
  OneShotSmtpServer server(/*refuse_recipient=*/true);
  SmtpMailer mailer(server.Url());

  Status sent = mailer.Send(Message());

  ASSERT_FALSE(sent.ok());
  // A 5xx refusal cannot succeed on retry: the caller records it and moves on.
  EXPECT_EQ(sent.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(sent.error().detail.empty());
}

TEST(SmtpMailer, RefusedConnectionIsUnavailable) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);  // nobody listens on this port now
  SmtpMailer mailer("smtp://127.0.0.1:" + std::to_string(ntohs(address.sin_port)));

  Status sent = mailer.Send(Message());

  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, ErrorCode::kUnavailable);
}

TEST(SmtpMailer, MissingRecipientIsInvalid) {
  SmtpMailer mailer("smtp://127.0.0.1:1");
  app::MailMessage message = Message();
  message.to = " <>\r\n";

  Status sent = mailer.Send(message);

  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace shipline::adapters

namespace shipline {
namespace {

// Found by fuzz/rfc5322.cpp: a long plain display name beside a long address
// made a To line of more than 998 octets.
TEST(Rfc5322, EveryHeaderLineFitsIn998Octets) {
  app::MailMessage message;
  message.message_id = "event-1@shop.example";
  message.from = "shop@example.com";
  message.to = std::string(200, 'c') + "@example.com";
  message.to_name = std::string(880, 'x');
  message.subject = "Shipped";
  message.text = "Hello";
  std::string rendered = adapters::RenderMessage(message);
  std::string headers = rendered.substr(0, rendered.find("\r\n\r\n") + 2);
  for (size_t at = 0, end; (end = headers.find("\r\n", at)) != std::string::npos; at = end + 2) {
    EXPECT_LE(end - at, 998u) << headers.substr(at, 80);
  }
  EXPECT_NE(headers.find("@example.com>"), std::string::npos);

  // A name that quoting doubles is encoded instead.
  message.to_name = std::string(600, '"');
  rendered = adapters::RenderMessage(message);
  headers = rendered.substr(0, rendered.find("\r\n\r\n") + 2);
  for (size_t at = 0, end; (end = headers.find("\r\n", at)) != std::string::npos; at = end + 2) {
    EXPECT_LE(end - at, 998u);
  }
}

TEST(Rfc5322, AMessageIdIsPrintableAsciiOnOneLine) {
  app::MailMessage message;
  message.message_id = "\xff=\x80" + std::string(2000, 'x') + "@shop.example";
  message.from = "shop@example.com";
  message.to = "ann@example.org";
  std::string rendered = adapters::RenderMessage(message);
  size_t start = rendered.find("Message-ID: <");
  ASSERT_NE(start, std::string::npos);
  size_t end = rendered.find("\r\n", start);
  EXPECT_LE(end - start, 998u);
  for (size_t i = start; i < end; ++i) EXPECT_LT(static_cast<unsigned char>(rendered[i]), 0x80);
}

TEST(Rfc5322, AnAddressLongerThanRfc5321AllowsIsNobodys) {
  EXPECT_EQ(adapters::MailboxAddress(std::string(250, 'a') + "@example.com"), "");
  EXPECT_EQ(adapters::MailboxAddress("Ann <ann@example.org>"), "ann@example.org");
}

}  // namespace
}  // namespace shipline
