// The RFC 5322 writer: whatever text the message's fields hold (names,
// addresses and subjects come from orders and storefront settings), the
// header section holds exactly the headers it writes, each on one line, and
// ends at the first blank line; no input adds a header or starts the body.

#include "adapters/mail/rfc5322.hpp"

#include "support/properties.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace shipline;
  // Fields separated by NUL: message id, from, to, to name, subject, text.
  std::vector<std::string> fields(1);
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == 0 && fields.size() < 6) {
      fields.emplace_back();
    } else {
      fields.back().push_back(static_cast<char>(data[i]));
    }
  }
  fields.resize(6);
  app::MailMessage message{fields[0],
                           fields[1],
                           fields[2],
                           fields[3],
                           fields[4],
                           fields[5],
                           static_cast<int64_t>(size) * 86'400'000};
  std::string bytes = adapters::RenderMessage(message);
  size_t end = bytes.find("\r\n\r\n");
  fuzz::Require(end != std::string::npos, "the message has a header section");
  std::string_view header(bytes.data(), end + 2);
  static const std::vector<std::string_view> kNames = {
      "Date",       "From",         "To",           "Subject",
      "Message-ID", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"};
  std::vector<std::string_view> seen;
  size_t start = 0;
  while (start < header.size()) {
    size_t eol = header.find("\r\n", start);
    fuzz::Require(eol != std::string_view::npos, "every header line ends in CRLF");
    std::string_view line = header.substr(start, eol - start);
    fuzz::Require(line.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos,
                  "no bare CR, LF or NUL in a header", line);
    fuzz::Require(line.size() <= 998, "a header line fits in 998 octets", line);
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      fuzz::Require(!seen.empty(), "a folded line continues a header");
    } else {
      size_t colon = line.find(':');
      fuzz::Require(colon != std::string_view::npos, "a header line has a name", line);
      std::string_view name = line.substr(0, colon);
      bool known = false;
      for (auto n : kNames) known = known || n == name;
      fuzz::Require(known, "only the headers the writer writes", line);
      for (auto s : seen) fuzz::Require(s != name, "each header once", line);
      seen.push_back(name);
    }
    start = eol + 2;
  }
  for (auto n : kNames) {
    bool found = false;
    for (auto s : seen) found = found || s == n;
    fuzz::Require(found, "every header is written", n);
  }
  std::string address = adapters::MailboxAddress(fields[1]);
  fuzz::Require(
      address.find_first_of(std::string_view("\r\n\0 <>,;\"()\\", 12)) == std::string::npos,
      "a mailbox address holds nothing that ends an SMTP command", address);
  return 0;
}
