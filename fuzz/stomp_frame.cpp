// The STOMP frame decoder on any byte stream, cut at any point: it returns
// frames, asks for more, or refuses, and never buffers past its limit. Every
// frame it returns encodes and decodes back to itself (header escaping and
// content-length round trip), and escaping any header text round-trips.

#include "adapters/broker/stomp_frame.hpp"

#include "support/properties.hpp"

namespace {

using namespace shipline;
using adapters::broker::FrameDecoder;
using adapters::broker::StompFrame;

constexpr size_t kLimit = 64 << 10;

void CheckRoundTrip(const StompFrame& frame) {
  if (frame.command == "CONNECT" || frame.command == "CONNECTED") return;  // unescaped headers
  StompFrame plain = frame;
  std::erase_if(plain.headers, [](const auto& h) { return h.first == "content-length"; });
  auto bytes = adapters::broker::EncodeFrame(plain);
  if (!bytes) return;  // a command the encoder refuses (e.g. with a line break)
  FrameDecoder decoder(kLimit * 2);
  decoder.Append(*bytes);
  auto again = decoder.Next();
  fuzz::Require(again.ok() && again->has_value(), "an encoded frame decodes", *bytes);
  const StompFrame& back = **again;
  fuzz::Require(back.command == plain.command && back.body == plain.body,
                "command and body survive a round trip", *bytes);
  StompFrame back_plain = back;
  std::erase_if(back_plain.headers, [](const auto& h) { return h.first == "content-length"; });
  fuzz::Require(back_plain.headers == plain.headers, "headers survive a round trip", *bytes);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // The first byte sets where the stream is cut into deliveries.
  size_t step = 1 + data[0] % 64;
  std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);
  FrameDecoder decoder(kLimit);
  bool failed = false;
  for (size_t at = 0; at < stream.size() && !failed; at += step) {
    decoder.Append(stream.substr(at, step));
    for (;;) {
      auto next = decoder.Next();
      if (!next) {
        failed = true;
        break;
      }
      if (!next->has_value()) break;
      CheckRoundTrip(**next);
    }
    if (!failed) {
      fuzz::Require(decoder.Buffered() <= kLimit + step, "the decoder keeps within its limit");
    }
  }
  auto unescaped = adapters::broker::UnescapeHeader(stream);
  if (unescaped) {
    auto again = adapters::broker::UnescapeHeader(adapters::broker::EscapeHeader(*unescaped));
    fuzz::Require(again.ok() && *again == *unescaped, "unescape, escape, unescape is stable");
  }
  auto escaped = adapters::broker::EscapeHeader(stream);
  auto back = adapters::broker::UnescapeHeader(escaped);
  fuzz::Require(back.ok() && *back == stream, "escape then unescape gives the text back");
  return 0;
}
