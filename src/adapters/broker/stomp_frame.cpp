#include "adapters/broker/stomp_frame.hpp"

#include <charconv>

namespace shipline::adapters::broker {

namespace {

constexpr std::string_view kContentLength = "content-length";

// CONNECT and CONNECTED keep their headers unescaped (STOMP 1.2, "Value
// Encoding"), so that a 1.0 server can still read a 1.2 client's CONNECT.
bool HeadersAreRaw(std::string_view command) {
  return command == "CONNECT" || command == "CONNECTED";
}

bool HasLineBreak(std::string_view text) { return text.find_first_of("\r\n") != text.npos; }

Error Malformed(std::string detail) {
  return Error{ErrorCode::kInvalidArgument, "malformed STOMP frame", std::move(detail), {}};
}

}  // namespace

std::optional<std::string_view> StompFrame::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

std::string EscapeHeader(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\n':
        out += "\\n";
        break;
      case ':':
        out += "\\c";
        break;
      default:
        out += c;
    }
  }
  return out;
}

Result<std::string> UnescapeHeader(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out += text[i];
      continue;
    }
    if (i + 1 == text.size()) return Malformed("header ends in a lone backslash");
    switch (text[++i]) {
      case '\\':
        out += '\\';
        break;
      case 'r':
        out += '\r';
        break;
      case 'n':
        out += '\n';
        break;
      case 'c':
        out += ':';
        break;
      default:
        return Malformed(std::string("undefined escape \\") + text[i] + " in a header");
    }
  }
  return out;
}

Result<std::string> EncodeFrame(const StompFrame& frame, ContentLength content_length) {
  if (frame.command.empty() || HasLineBreak(frame.command)) {
    return Error::Invalid("a STOMP command must be one non-empty line");
  }
  const bool raw = HeadersAreRaw(frame.command);
  std::string out = frame.command;
  out += '\n';
  for (const auto& [name, value] : frame.headers) {
    if (name == kContentLength) continue;
    if (raw) {
      if (HasLineBreak(name) || HasLineBreak(value) || name.find(':') != name.npos) {
        return Error::Invalid("a " + frame.command + " header cannot hold a line break",
                              std::string(name));
      }
      out += name;
      out += ':';
      out += value;
    } else {
      out += EscapeHeader(name);
      out += ':';
      out += EscapeHeader(value);
    }
    out += '\n';
  }
  if (content_length == ContentLength::kAlways || frame.body.find('\0') != std::string::npos) {
    out += kContentLength;
    out += ':';
    out += std::to_string(frame.body.size());
    out += '\n';
  }
  out += '\n';
  out += frame.body;
  out += '\0';
  return out;
}

void FrameDecoder::Append(std::string_view bytes) {
  // Drop what was already returned before growing, so the buffer holds at
  // most one partial frame plus the new bytes.
  if (consumed_ > 0) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
  buffer_.append(bytes);
}

Result<std::optional<StompFrame>> FrameDecoder::Next() {
  // Heart-beats: bare LF or CR LF between frames.
  while (consumed_ < buffer_.size()) {
    if (buffer_[consumed_] == '\n') {
      ++consumed_;
    } else if (buffer_[consumed_] == '\r') {
      if (consumed_ + 1 == buffer_.size())
        return std::optional<StompFrame>();  // the LF is still to come
      if (buffer_[consumed_ + 1] != '\n') return Malformed("CR without LF between frames");
      consumed_ += 2;
    } else {
      break;
    }
  }
  if (consumed_ == buffer_.size()) return std::optional<StompFrame>();

  // The head: lines up to the first empty one.
  std::vector<std::string_view> lines;
  size_t pos = consumed_;
  size_t body_start = 0;
  const std::string_view data(buffer_);
  while (true) {
    size_t eol = data.find('\n', pos);
    if (eol == data.npos) {
      if (data.size() - consumed_ > max_frame_bytes_) return Malformed("frame head too large");
      return std::optional<StompFrame>();
    }
    std::string_view line = data.substr(pos, eol - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = eol + 1;
    if (line.empty()) {
      body_start = pos;
      break;
    }
    lines.push_back(line);
  }
  if (body_start - consumed_ > max_frame_bytes_) return Malformed("frame head too large");

  StompFrame frame;
  frame.command = std::string(lines.front());
  const bool raw = HeadersAreRaw(frame.command);
  for (size_t i = 1; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    size_t colon = line.find(':');
    if (colon == line.npos) return Malformed("header line without a colon");
    std::string_view name = line.substr(0, colon);
    std::string_view value = line.substr(colon + 1);
    if (raw) {
      frame.Add(std::string(name), std::string(value));
      continue;
    }
    auto unescaped_name = UnescapeHeader(name);
    if (!unescaped_name) return std::move(unescaped_name).error();
    auto unescaped_value = UnescapeHeader(value);
    if (!unescaped_value) return std::move(unescaped_value).error();
    frame.Add(std::move(*unescaped_name), std::move(*unescaped_value));
  }

  // The body: content-length octets when given, else up to the first NUL.
  size_t body_end = 0;
  if (auto length = frame.Header(kContentLength)) {
    size_t size = 0;
    auto [end, ec] = std::from_chars(length->data(), length->data() + length->size(), size);
    if (ec != std::errc() || end != length->data() + length->size() || length->empty()) {
      return Malformed("content-length is not a number");
    }
    if (size > max_frame_bytes_ || body_start - consumed_ + size > max_frame_bytes_) {
      return Malformed("frame body too large");
    }
    if (data.size() < body_start + size + 1) return std::optional<StompFrame>();
    if (data[body_start + size] != '\0') return Malformed("body not followed by NUL");
    body_end = body_start + size;
  } else {
    body_end = data.find('\0', body_start);
    if (body_end == data.npos) {
      if (data.size() - consumed_ > max_frame_bytes_) return Malformed("frame body too large");
      return std::optional<StompFrame>();
    }
    if (body_end - consumed_ > max_frame_bytes_) return Malformed("frame body too large");
  }
  frame.body = std::string(data.substr(body_start, body_end - body_start));
  consumed_ = body_end + 1;
  return std::optional<StompFrame>(std::move(frame));
}

}  // namespace shipline::adapters::broker
