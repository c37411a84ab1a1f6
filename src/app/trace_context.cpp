#include "app/trace_context.hpp"

namespace shipline::app {

namespace {

bool IsLowerHex(std::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool AllZero(std::string_view text) { return text.find_first_not_of('0') == std::string::npos; }

// A fresh id of `bytes` random bytes that is not all zero.
std::string NonZeroId(IdSource& ids, size_t bytes) {
  for (;;) {
    std::string id = ids.NewToken(bytes);
    if (!AllZero(id)) return id;
  }
}

}  // namespace

std::optional<TraceContext> ParseTraceparent(std::string_view header) {
  // version(2) '-' trace-id(32) '-' parent-id(16) '-' flags(2)
  constexpr size_t kLength = 55;
  if (header.size() < kLength) return std::nullopt;
  std::string_view version = header.substr(0, 2);
  if (!IsLowerHex(version) || version == "ff") return std::nullopt;
  if (header.size() > kLength && (version == "00" || header[kLength] != '-')) return std::nullopt;
  if (header[2] != '-' || header[35] != '-' || header[52] != '-') return std::nullopt;
  TraceContext context{std::string(header.substr(3, 32)), std::string(header.substr(36, 16)),
                       std::string(header.substr(53, 2))};
  if (!IsLowerHex(context.trace_id) || AllZero(context.trace_id)) return std::nullopt;
  if (!IsLowerHex(context.parent_id) || AllZero(context.parent_id)) return std::nullopt;
  if (!IsLowerHex(context.flags)) return std::nullopt;
  return context;
}

std::string FormatTraceparent(const TraceContext& context) {
  return "00-" + context.trace_id + "-" + context.parent_id + "-" + context.flags;
}

TraceContext NewTrace(IdSource& ids) {
  // One draw for both ids: this runs for every request that brings no trace.
  for (;;) {
    std::string id = ids.NewToken(24);
    if (id.size() != 48) return {NonZeroId(ids, 16), NonZeroId(ids, 8), "01"};
    TraceContext context{id.substr(0, 32), id.substr(32), "01"};
    if (!AllZero(context.trace_id) && !AllZero(context.parent_id)) return context;
  }
}

TraceContext ChildSpan(const TraceContext& parent, IdSource& ids) {
  return {parent.trace_id, NonZeroId(ids, 8), parent.flags};
}

std::string OutboundTraceparent(std::string_view stored, IdSource& ids) {
  auto parent = ParseTraceparent(stored);
  return FormatTraceparent(parent ? ChildSpan(*parent, ids) : NewTrace(ids));
}

}  // namespace shipline::app
