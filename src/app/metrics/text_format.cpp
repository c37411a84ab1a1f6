#include "app/metrics/text_format.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>

namespace shipline::app::metrics {

namespace {

// HELP text escapes backslash and line feed; label values also the quote.
void AppendEscaped(std::string& out, std::string_view text, bool quote) {
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out.push_back(c);
    }
  }
}

void AppendNumber(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else if (value == std::floor(value) && std::fabs(value) < 1e15) {
    out += std::to_string(static_cast<int64_t>(value));
  } else {
    // The shortest text that reads back as the same double.
    char buffer[32];
    auto end = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general).ptr;
    out.append(buffer, end);
  }
}

// `name{labels,extra="value"} value`
void AppendSample(std::string& out, std::string_view name, const Labels& labels,
                  const char* extra_name, std::string_view extra_value, double value) {
  out += name;
  if (!labels.empty() || extra_name != nullptr) {
    out.push_back('{');
    bool first = true;
    auto label = [&](std::string_view key, std::string_view text) {
      if (!first) out.push_back(',');
      first = false;
      out += key;
      out += "=\"";
      AppendEscaped(out, text, true);
      out.push_back('"');
    };
    for (const auto& [key, text] : labels) label(key, text);
    if (extra_name != nullptr) label(extra_name, extra_value);
    out.push_back('}');
  }
  out.push_back(' ');
  AppendNumber(out, value);
  out.push_back('\n');
}

const char* TypeName(Type type) {
  switch (type) {
    case Type::kCounter:
      return "counter";
    case Type::kHistogram:
      return "histogram";
    case Type::kGauge:
      break;
  }
  return "gauge";
}

}  // namespace

std::string RenderText(const std::vector<Family>& families) {
  std::string out;
  for (const auto& family : families) {
    out += "# HELP " + family.name + " ";
    AppendEscaped(out, family.help, false);
    out += "\n# TYPE " + family.name + " " + TypeName(family.type) + "\n";
    for (const auto& sample : family.samples) {
      if (!sample.histogram) {
        AppendSample(out, family.name, sample.labels, nullptr, {}, sample.value);
        continue;
      }
      const auto& histogram = *sample.histogram;
      const std::string bucket = family.name + "_bucket";
      for (size_t i = 0; i < histogram.bounds.size(); ++i) {
        std::string bound;
        AppendNumber(bound, histogram.bounds[i]);
        AppendSample(out, bucket, sample.labels, "le", bound,
                     static_cast<double>(histogram.cumulative[i]));
      }
      const double count = static_cast<double>(histogram.cumulative.back());
      AppendSample(out, bucket, sample.labels, "le", "+Inf", count);
      AppendSample(out, family.name + "_sum", sample.labels, nullptr, {}, histogram.sum);
      AppendSample(out, family.name + "_count", sample.labels, nullptr, {}, count);
    }
  }
  return out;
}

}  // namespace shipline::app::metrics
