#pragma once

// W3C Trace Context (https://www.w3.org/TR/trace-context/): the `traceparent`
// header that ties a request to the calls that follow from it. A request
// arrives with one (or gets a new trace); shipline's work on it is one span
// with an id of its own, stored on the events it writes; every outbound call
// that follows (payment capture, provider calls, webhook deliveries, broker
// messages) sends the same trace id with a new span id as its parent id.

#include <optional>
#include <string>
#include <string_view>

#include "app/clock.hpp"

namespace shipline::app {

struct TraceContext {
  std::string trace_id;   // 32 lower-case hex digits, not all zero
  std::string parent_id;  // 16 lower-case hex digits, not all zero
  std::string flags;      // 2 lower-case hex digits (01: sampled)
};

// Parses a traceparent header value as the specification's version 00 reads
// it: "00-<trace id>-<parent id>-<flags>". A later version is read by its
// version 00 fields (its extra fields, after a '-', are ignored), version ff
// and anything malformed (upper-case hex, an all-zero id, a wrong length) is
// nullopt.
std::optional<TraceContext> ParseTraceparent(std::string_view header);

// The version 00 header value of `context`.
std::string FormatTraceparent(const TraceContext& context);

// A new trace, its first span sampled.
TraceContext NewTrace(IdSource& ids);

// The same trace with a new span id: what a span sends as its children's parent.
TraceContext ChildSpan(const TraceContext& parent, IdSource& ids);

// The traceparent to send on an outbound call made on behalf of `stored` (a
// request's or an event's traceparent): a child span of it, or of a new
// trace when `stored` is empty or invalid (an event written before traces
// were kept).
std::string OutboundTraceparent(std::string_view stored, IdSource& ids);

}  // namespace shipline::app
