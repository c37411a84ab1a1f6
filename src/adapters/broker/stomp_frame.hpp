#pragma once

// STOMP 1.2 frames: their encoding on the wire and an incremental decoder.
//
// A frame is a command line, header lines `name:value`, an empty line, the
// body and a NUL octet; lines end in LF or CR LF. Header names and values
// escape four octets (backslash, CR, LF and colon as \\ \r \n \c), except in
// CONNECT and CONNECTED frames, which STOMP 1.2 leaves unescaped for
// compatibility with 1.0. Bare line ends between frames are heart-beats.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/result.hpp"

namespace shipline::adapters::broker {

struct StompFrame {
  std::string command;  // e.g. "SEND", "MESSAGE", "RECEIPT", "ERROR"
  std::vector<std::pair<std::string, std::string>> headers;  // in wire order, unescaped
  std::string body;

  // The value of the first header named `name` (STOMP 1.2: a repeated header's
  // first occurrence wins), or nullopt.
  std::optional<std::string_view> Header(std::string_view name) const;
  StompFrame& Add(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

// Escapes a header name or value for any frame but CONNECT and CONNECTED.
std::string EscapeHeader(std::string_view text);

// Reverses EscapeHeader. kInvalidArgument for a backslash followed by anything
// but \ r n c, or at the end (STOMP 1.2 calls both a fatal protocol error).
Result<std::string> UnescapeHeader(std::string_view text);

enum class ContentLength {
  kAlways,      // always send content-length (what STOMP 1.2 recommends)
  kWhenNeeded,  // only when the body holds a NUL octet: brokers such as
                // ActiveMQ turn a SEND without content-length into a JMS text
                // message, and one with it into a bytes message
};

// The frame as octets. A content-length header already in `frame` is dropped
// and computed from the body. kInvalidArgument when the command is empty or
// holds a line break, or when a CONNECT or CONNECTED header (which cannot be
// escaped) holds a line break or a colon in its name.
Result<std::string> EncodeFrame(const StompFrame& frame,
                                ContentLength content_length = ContentLength::kAlways);

// Splits a byte stream into frames. Feed it what the socket delivers with
// Append, then take frames with Next until it returns nullopt.
class FrameDecoder {
 public:
  // Frames larger than `max_frame_bytes` (head and body) are refused.
  explicit FrameDecoder(size_t max_frame_bytes) : max_frame_bytes_(max_frame_bytes) {}

  void Append(std::string_view bytes);

  // The next complete frame, skipping heart-beats; nullopt when more bytes are
  // needed. kInvalidArgument when the stream is malformed (no colon in a
  // header line, a bad escape, a body not ended by NUL, a frame too large);
  // the stream is then unusable and the connection should be closed.
  Result<std::optional<StompFrame>> Next();

  // Octets received and not yet returned as a frame.
  size_t Buffered() const { return buffer_.size() - consumed_; }

 private:
  std::string buffer_;
  size_t consumed_ = 0;  // octets of buffer_ already returned as frames
  size_t max_frame_bytes_;
};

}  // namespace shipline::adapters::broker
