#pragma once

// A spdlog sink that formats each line on the logging thread and queues it in
// a LogBuffer, whose background thread writes the lines in batches. flush()
// (spdlog's flush_on level, app::FlushLog) waits until every line logged
// before it is written. Thread safety: as every spdlog sink (base_sink's
// mutex), so lines enter the buffer in the order they were logged.

#include <spdlog/details/log_msg.h>
#include <spdlog/sinks/base_sink.h>

#include <mutex>
#include <string_view>
#include <utility>

#include "app/log_buffer.hpp"

namespace shipline::app {

class BufferedLogSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  BufferedLogSink(LogBuffer::Writer writer, LogBuffer::Options options)
      : buffer_(std::move(writer), options) {}

  LogBuffer& buffer() { return buffer_; }

 protected:
  void sink_it_(const spdlog::details::log_msg& message) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(message, formatted);
    buffer_.Append(std::string_view(formatted.data(), formatted.size()));
  }
  void flush_() override { buffer_.Flush(); }

 private:
  LogBuffer buffer_;
};

}  // namespace shipline::app
