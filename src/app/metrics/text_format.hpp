#pragma once

// Renders metric families in the Prometheus text exposition format, version
// 0.0.4: a HELP and a TYPE line per family, one line per sample, label values
// and help text escaped, histograms as cumulative _bucket lines (ending with
// le="+Inf"), _sum and _count.

#include <string>
#include <vector>

#include "app/metrics/registry.hpp"

namespace shipline::app::metrics {

inline constexpr const char* kTextContentType = "text/plain; version=0.0.4; charset=utf-8";

std::string RenderText(const std::vector<Family>& families);

}  // namespace shipline::app::metrics
