#include "adapters/mail/rfc5322.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <vector>

namespace shipline::adapters {
namespace {

constexpr std::string_view kCrlf = "\r\n";
// RFC 5322 section 2.1.1: a line holds at most 998 octets before its CRLF.
constexpr size_t kMaxLineOctets = 998;
constexpr size_t kMaxAddressOctets = 254;
// Raw bytes per encoded-word: 42 bytes give 56 base64 characters, so
// "Subject: " plus one word stays within the recommended 78 columns.
constexpr size_t kEncodedWordBytes = 42;
// Quoted-printable lines hold at most 76 characters (RFC 2045 section 6.7).
constexpr size_t kQpLineChars = 76;

constexpr std::array<const char*, 7> kWeekdays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

// Header values are single lines: drop CR, LF and every other control
// character (a tab becomes a space).
std::string CleanHeaderValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char ch : value) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '\t') {
      out.push_back(' ');
    } else if (!IsControl(c)) {
      out.push_back(ch);
    }
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Splits "Name <addr>" into its display name and address part; a value
// without angle brackets is all address.
void SplitMailbox(std::string_view mailbox, std::string_view& name, std::string_view& address) {
  size_t open = mailbox.rfind('<');
  size_t close = open == std::string_view::npos ? open : mailbox.find('>', open);
  if (open == std::string_view::npos || close == std::string_view::npos) {
    name = {};
    address = Trim(mailbox);
    return;
  }
  name = Trim(mailbox.substr(0, open));
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
    name = name.substr(1, name.size() - 2);
  }
  address = Trim(mailbox.substr(open + 1, close - open - 1));
}

std::string Base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16 |
                 static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8 |
                 static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 2]));
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(kAlphabet[(n >> 6) & 63]);
    out.push_back(kAlphabet[n & 63]);
  }
  size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2) n |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(rest == 2 ? kAlphabet[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

// True when the text can stand in a header as it is: printable ASCII only,
// nothing a reader could take for an encoded-word, and short enough for one
// line.
bool IsPlainHeaderText(std::string_view text) {
  if (text.find("=?") != std::string_view::npos) return false;
  if (text.size() > kMaxLineOctets - 100) return false;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80 || IsControl(c)) return false;
  }
  return true;
}

// RFC 2047 encoded-words, each at most kEncodedWordBytes of input and cut only
// between UTF-8 characters, folded onto continuation lines.
std::string EncodedWords(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    size_t take = std::min(text.size(), kEncodedWordBytes);
    // Step back over continuation bytes (10xxxxxx) so no character is split.
    while (take < text.size() && take > 1 &&
           (static_cast<unsigned char>(text[take]) & 0xC0) == 0x80) {
      --take;
    }
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?";
    out += Base64(text.substr(0, take));
    out += "?=";
    text.remove_prefix(take);
  }
  return out;
}

// Unstructured header text (Subject): as is when plain, else encoded.
std::string HeaderText(std::string_view raw) {
  std::string text = CleanHeaderValue(raw);
  if (IsPlainHeaderText(text)) return text;
  return EncodedWords(text);
}

// A display name as a phrase: a quoted-string when plain ASCII, else
// encoded-words (which may not appear inside quotes).
std::string DisplayName(std::string_view raw) {
  std::string name = CleanHeaderValue(raw);
  if (!IsPlainHeaderText(name)) return EncodedWords(name);
  std::string out = "\"";
  for (char ch : name) {
    if (ch == '"' || ch == '\\') out.push_back('\\');
    out.push_back(ch);
  }
  out.push_back('"');
  // Quoting can double a name's length: past a line's room, encode instead.
  if (out.size() > kMaxLineOctets - 100) return EncodedWords(name);
  return out;
}

std::string Mailbox(std::string_view name, std::string_view address) {
  std::string clean_name = CleanHeaderValue(name);
  std::string clean_address = MailboxAddress(address);
  if (Trim(clean_name).empty()) return clean_address;
  std::string phrase = DisplayName(Trim(clean_name));
  // The address goes on a continuation line of its own when the phrase's
  // last line leaves it no room (found by fuzz/rfc5322.cpp: a long plain name
  // and a long address made a 1,100-octet line).
  size_t line_start = phrase.rfind('\n');
  size_t last_line = line_start == std::string::npos ? phrase.size() : phrase.size() - line_start;
  const char* gap = last_line + clean_address.size() > kMaxLineOctets - 100 ? "\r\n " : " ";
  return phrase + gap + "<" + clean_address + ">";
}

// The body's lines without their line endings; "\r\n", "\n" and a lone "\r"
// all end a line. A final line ending does not open an empty last line.
std::vector<std::string_view> BodyLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r' && text[i] != '\n') continue;
    lines.push_back(text.substr(start, i - start));
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    start = i + 1;
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

bool NeedsQuotedPrintable(const std::vector<std::string_view>& lines) {
  for (std::string_view line : lines) {
    if (line.size() > kMaxLineOctets) return true;
    if (line.find('\0') != std::string_view::npos) return true;
  }
  return false;
}

void AppendQuotedPrintableLine(std::string_view line, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  size_t column = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    auto c = static_cast<unsigned char>(line[i]);
    bool last = i + 1 == line.size();
    // Whitespace at the end of a line would be stripped in transit: encode it.
    bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last);
    size_t width = literal ? 1 : 3;
    // Keep room for the soft break "=" unless this is the last character.
    size_t limit = last ? kQpLineChars : kQpLineChars - 1;
    if (column + width > limit) {
      out += "=\r\n";
      column = 0;
    }
    if (literal) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('=');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
    column += width;
  }
  out += kCrlf;
}

void AppendHeader(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += ": ";
  out += value;
  out += kCrlf;
}

}  // namespace

std::string FormatRfc5322Date(int64_t epoch_millis) {
  using namespace std::chrono;
  sys_time<milliseconds> time{milliseconds{epoch_millis}};
  sys_days day = floor<days>(time);
  year_month_day ymd{day};
  weekday wd{day};
  hh_mm_ss<seconds> clock{floor<seconds>(time - day)};
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s, %02u %s %04d %02d:%02d:%02d +0000",
                kWeekdays[wd.c_encoding()], static_cast<unsigned>(ymd.day()),
                kMonths[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  return buffer;
}

std::string MailboxAddress(std::string_view mailbox) {
  std::string_view name;
  std::string_view address;
  SplitMailbox(mailbox, name, address);
  std::string out;
  out.reserve(address.size());
  for (char ch : address) {
    auto c = static_cast<unsigned char>(ch);
    if (IsControl(c) || c == ' ') continue;
    switch (ch) {
      case '<':
      case '>':
      case ',':
      case ';':
      case '"':
      case '(':
      case ')':
      case '\\':
        continue;
      default:
        out.push_back(ch);
    }
  }
  // RFC 5321 section 4.5.3.1.3: a path holds at most 256 octets, so an
  // address of more than 254 is nobody's (and would not fit a header line).
  if (out.size() > kMaxAddressOctets) return {};
  return out;
}

std::string RenderMessage(const app::MailMessage& message) {
  std::string_view from_name;
  std::string_view from_address;
  SplitMailbox(message.from, from_name, from_address);
  std::string_view to_name;
  std::string_view to_address;
  SplitMailbox(message.to, to_name, to_address);
  if (!message.to_name.empty()) to_name = message.to_name;

  // A msg-id is printable ASCII (RFC 5322 section 3.6.4) and, like every
  // header, fits one line (found by fuzz/rfc5322.cpp: a long id did not).
  std::string message_id;
  for (char ch : CleanHeaderValue(message.message_id)) {
    auto c = static_cast<unsigned char>(ch);
    if (c > ' ' && c < 0x7F && ch != '<' && ch != '>') message_id.push_back(ch);
  }
  if (message_id.size() > kMaxLineOctets - 100) message_id.resize(kMaxLineOctets - 100);

  std::vector<std::string_view> lines = BodyLines(message.text);
  bool quoted_printable = NeedsQuotedPrintable(lines);

  std::string out;
  out.reserve(512 + message.text.size() + message.text.size() / 8);
  AppendHeader(out, "Date", FormatRfc5322Date(message.date));
  AppendHeader(out, "From", Mailbox(from_name, from_address));
  AppendHeader(out, "To", Mailbox(to_name, to_address));
  AppendHeader(out, "Subject", HeaderText(message.subject));
  AppendHeader(out, "Message-ID", "<" + message_id + ">");
  AppendHeader(out, "MIME-Version", "1.0");
  AppendHeader(out, "Content-Type", "text/plain; charset=UTF-8");
  AppendHeader(out, "Content-Transfer-Encoding", quoted_printable ? "quoted-printable" : "8bit");
  out += kCrlf;
  for (std::string_view line : lines) {
    if (quoted_printable) {
      AppendQuotedPrintableLine(line, out);
    } else {
      out += line;
      out += kCrlf;
    }
  }
  return out;
}

}  // namespace shipline::adapters
