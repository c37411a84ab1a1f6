#pragma once

// Structured logs: every line is one JSON object. The sink's pattern (set in
// main) writes the time and level; these helpers write the message and fields
// with proper escaping. Never log secrets (keys, passwords, payment secrets).

#include <cstdint>
#include <string>
#include <string_view>

namespace shipline::app {

class LogFields {
 public:
  LogFields& Add(std::string_view key, std::string_view value);
  LogFields& Add(std::string_view key, const char* value) {
    return Add(key, std::string_view(value));
  }
  LogFields& Add(std::string_view key, const std::string& value) {
    return Add(key, std::string_view(value));
  }
  LogFields& Add(std::string_view key, int64_t value);
  LogFields& Add(std::string_view key, int value) { return Add(key, static_cast<int64_t>(value)); }
  LogFields& Add(std::string_view key, uint64_t value) {
    return Add(key, static_cast<int64_t>(value));
  }
  LogFields& Add(std::string_view key, double value);
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

void LogInfo(std::string_view message, const LogFields& fields = {});
void LogWarn(std::string_view message, const LogFields& fields = {});
void LogError(std::string_view message, const LogFields& fields = {});

// Returns once every line logged before the call is written. Lines are
// written in batches by a background thread (main's SetUpJsonLogging), so a
// line a watcher waits for (the server's "listening") is followed by this.
void FlushLog();

// `url` with any user and password replaced by "***", for a log line: a
// tenant may put credentials in a URL (https://user:pass@host/...).
std::string UrlForLog(std::string_view url);

// Appends `text` to `out` as a JSON string literal, quotes included.
void AppendJsonString(std::string& out, std::string_view text);

// The spdlog pattern that wraps each message into a JSON line.
inline constexpr const char* kJsonLogPattern = R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})";

}  // namespace shipline::app
