#include "support/properties.hpp"

#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "domain/utf8.hpp"

namespace shipline::fuzz {

void Require(bool holds, std::string_view what, std::string_view detail) {
  if (holds) return;
  std::fprintf(stderr, "fuzz property failed: %.*s\n", static_cast<int>(what.size()), what.data());
  if (!detail.empty()) {
    std::fprintf(stderr, "  detail: %.*s\n", static_cast<int>(detail.size()), detail.data());
  }
  std::abort();
}

namespace {

// Decodes the UTF-8 character at `at` (the text is known to be valid UTF-8).
char32_t NextChar(std::string_view text, size_t& at) {
  auto byte = static_cast<unsigned char>(text[at]);
  int length = byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4;
  char32_t c = length == 1   ? byte
               : length == 2 ? (byte & 0x1F)
               : length == 3 ? (byte & 0x0F)
                             : (byte & 0x07);
  for (int i = 1; i < length; ++i) c = (c << 6) | (static_cast<unsigned char>(text[at + i]) & 0x3F);
  at += length;
  return c;
}

bool XmlChar(char32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

bool NameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == ':';
}

// A small reader of the XML subset described in the header.
class XmlReader {
 public:
  explicit XmlReader(std::string_view text) : text_(text) {}

  bool Document() {
    if (text_.starts_with("<?xml")) {
      size_t end = text_.find("?>");
      if (end == std::string_view::npos) return false;
      at_ = end + 2;
    }
    SkipSpace();
    if (!Element(0)) return false;
    SkipSpace();
    return at_ == text_.size();
  }

 private:
  void SkipSpace() {
    while (at_ < text_.size() &&
           (text_[at_] == ' ' || text_[at_] == '\n' || text_[at_] == '\r' || text_[at_] == '\t')) {
      ++at_;
    }
  }

  bool Name(std::string& name) {
    size_t start = at_;
    while (at_ < text_.size() && NameChar(text_[at_])) ++at_;
    name.assign(text_.substr(start, at_ - start));
    return !name.empty();
  }

  bool Reference() {
    size_t end = text_.find(';', at_);
    if (end == std::string_view::npos || end - at_ > 12) return false;
    std::string_view ref = text_.substr(at_ + 1, end - at_ - 1);
    at_ = end + 1;
    if (ref == "amp" || ref == "lt" || ref == "gt" || ref == "quot" || ref == "apos") return true;
    if (ref.size() < 2 || ref[0] != '#') return false;
    bool hex = ref[1] == 'x';
    std::string digits(ref.substr(hex ? 2 : 1));
    if (digits.empty()) return false;
    char* rest = nullptr;
    unsigned long value = std::strtoul(digits.c_str(), &rest, hex ? 16 : 10);
    return *rest == '\0' && XmlChar(static_cast<char32_t>(value));
  }

  bool Element(int depth) {
    if (depth > 64 || at_ >= text_.size() || text_[at_] != '<') return false;
    ++at_;
    std::string name;
    if (!Name(name)) return false;
    if (text_.substr(at_, 2) == "/>") {
      at_ += 2;
      return true;
    }
    if (at_ >= text_.size() || text_[at_] != '>') return false;
    ++at_;
    for (;;) {
      if (at_ >= text_.size()) return false;
      char c = text_[at_];
      if (c == '<') {
        if (text_.substr(at_, 2) == "</") {
          at_ += 2;
          std::string closing;
          if (!Name(closing) || closing != name) return false;
          if (at_ >= text_.size() || text_[at_] != '>') return false;
          ++at_;
          return true;
        }
        if (!Element(depth + 1)) return false;
      } else if (c == '&') {
        if (!Reference()) return false;
      } else if (c == '>') {
        // Allowed by XML except in "]]>", which plain text never needs.
        if (at_ >= 2 && text_.substr(at_ - 2, 3) == "]]>") return false;
        ++at_;
      } else if (!XmlChar(NextChar(text_, at_))) {
        return false;
      }
    }
  }

  std::string_view text_;
  size_t at_ = 0;
};

bool LooksLike(std::string_view content_type, std::string_view kind) {
  return content_type.find(kind) != std::string_view::npos;
}

}  // namespace

bool WellFormedXml(std::string_view document) {
  if (!domain::IsValidUtf8(document)) return false;
  return XmlReader(document).Document();
}

void CheckResponse(const http::Response& response) {
  Require(response.status >= 100 && response.status < 500, "answer status is 1xx..4xx",
          std::to_string(response.status) + " " + response.body);
  Require(domain::IsValidUtf8(response.body), "answer body is UTF-8", response.body);
  if (!response.body.empty() && LooksLike(response.content_type, "json")) {
    boost::system::error_code ec;
    boost::json::parse(response.body, ec);
    Require(!ec, "JSON answer parses", response.body);
  }
  if (LooksLike(response.content_type, "xml")) {
    Require(WellFormedXml(response.body), "XML answer is well-formed", response.body);
  }
  for (const auto& [name, value] : response.headers) {
    Require(name.find_first_of(std::string_view("\r\n\0:", 4)) == std::string::npos &&
                value.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos,
            "answer header has no line break", name + ": " + value);
  }
}

}  // namespace shipline::fuzz
