#include "app/metrics/registry.hpp"

#include <algorithm>

namespace shipline::app::metrics {

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {}

void Histogram::Observe(double value) {
  // Few buckets: a linear scan beats a binary search's branches.
  size_t i = 0;
  while (i < bounds_.size() && value > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Read() const {
  Snapshot snapshot;
  snapshot.bounds = bounds_;
  snapshot.cumulative.reserve(bounds_.size() + 1);
  uint64_t total = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    total += buckets_[i].load(std::memory_order_relaxed);
    snapshot.cumulative.push_back(total);
  }
  snapshot.sum = sum_.load(std::memory_order_relaxed);
  return snapshot;
}

std::vector<double> LatencyBuckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

void GaugeWriter::Gauge(std::string_view name, std::string_view help, Labels labels, double value) {
  auto family = std::find_if(families_.begin(), families_.end(),
                             [&](const Family& f) { return f.name == name; });
  if (family == families_.end()) {
    family = families_.insert(families_.end(),
                              Family{std::string(name), std::string(help), Type::kGauge, {}});
  }
  family->samples.push_back(Sample{std::move(labels), value, std::nullopt});
}

Registry::Series& Registry::Find(std::string_view name, std::string_view help, Type type,
                                 Labels& labels) {
  auto entry = std::find_if(entries_.begin(), entries_.end(),
                            [&](const auto& e) { return e->name == name; });
  if (entry == entries_.end()) {
    entries_.push_back(
        std::make_unique<Entry>(Entry{std::string(name), std::string(help), type, {}}));
    entry = entries_.end() - 1;
  }
  auto& series = (*entry)->series;
  auto found = std::find_if(series.begin(), series.end(),
                            [&](const Series& s) { return s.labels == labels; });
  if (found != series.end()) return *found;
  series.push_back(Series{std::move(labels), nullptr, nullptr});
  return series.back();
}

Counter& Registry::GetCounter(std::string_view name, std::string_view help, Labels labels) {
  std::lock_guard lock(mutex_);
  Series& series = Find(name, help, Type::kCounter, labels);
  if (!series.counter) series.counter = std::make_unique<Counter>();
  return *series.counter;
}

Histogram& Registry::GetHistogram(std::string_view name, std::string_view help,
                                  std::vector<double> bounds, Labels labels) {
  std::lock_guard lock(mutex_);
  Series& series = Find(name, help, Type::kHistogram, labels);
  if (!series.histogram) series.histogram = std::make_unique<Histogram>(std::move(bounds));
  return *series.histogram;
}

void Registry::AddCollector(std::function<void(GaugeWriter&)> collect) {
  std::lock_guard lock(mutex_);
  collectors_.push_back(std::move(collect));
}

std::vector<Family> Registry::Collect() const {
  std::vector<Family> families;
  std::vector<std::function<void(GaugeWriter&)>> collectors;
  {
    std::lock_guard lock(mutex_);
    for (const auto& entry : entries_) {
      Family& family = families.emplace_back(Family{entry->name, entry->help, entry->type, {}});
      for (const auto& series : entry->series) {
        Sample& sample = family.samples.emplace_back();
        sample.labels = series.labels;
        if (series.counter) sample.value = static_cast<double>(series.counter->Value());
        if (series.histogram) sample.histogram = series.histogram->Read();
      }
    }
    collectors = collectors_;
  }
  // Outside the lock: a collector may read the store.
  GaugeWriter writer;
  for (const auto& collect : collectors) collect(writer);
  for (auto& family : writer.families()) families.push_back(std::move(family));
  return families;
}

}  // namespace shipline::app::metrics
