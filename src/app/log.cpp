#include "app/log.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>

namespace shipline::app {

void AppendJsonString(std::string& out, std::string_view text) {
  out.push_back('"');
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
          out += escaped;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

LogFields& LogFields::Add(std::string_view key, std::string_view value) {
  text_.push_back(',');
  AppendJsonString(text_, key);
  text_.push_back(':');
  AppendJsonString(text_, value);
  return *this;
}

LogFields& LogFields::Add(std::string_view key, int64_t value) {
  text_.push_back(',');
  AppendJsonString(text_, key);
  text_ += ":" + std::to_string(value);
  return *this;
}

LogFields& LogFields::Add(std::string_view key, double value) {
  char number[32];
  std::snprintf(number, sizeof number, "%.3f", value);
  text_.push_back(',');
  AppendJsonString(text_, key);
  text_ += ":";
  text_ += number;
  return *this;
}

namespace {

void Log(spdlog::level::level_enum level, std::string_view message, const LogFields& fields) {
  std::string line = "\"msg\":";
  AppendJsonString(line, message);
  line += fields.text();
  spdlog::log(level, "{}", line);
}

}  // namespace

void LogInfo(std::string_view message, const LogFields& fields) {
  Log(spdlog::level::info, message, fields);
}
void LogWarn(std::string_view message, const LogFields& fields) {
  Log(spdlog::level::warn, message, fields);
}
void LogError(std::string_view message, const LogFields& fields) {
  Log(spdlog::level::err, message, fields);
}

void FlushLog() { spdlog::default_logger_raw()->flush(); }

std::string UrlForLog(std::string_view url) {
  size_t scheme = url.find("://");
  size_t host = scheme == std::string_view::npos ? 0 : scheme + 3;
  size_t end = url.find_first_of("/?#", host);
  std::string_view authority = url.substr(host, end == std::string_view::npos ? end : end - host);
  size_t at = authority.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, host)) + "***" + std::string(url.substr(host + at));
}

}  // namespace shipline::app
