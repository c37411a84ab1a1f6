#pragma once

// A small metrics registry for the Prometheus text format: counters and
// histograms that the code updates with lock-free atomics, and gauges that are
// computed when the page is scraped (consumer lag, open connections, process
// memory).
//
// Registration takes a mutex and may allocate; it happens when a component is
// built (a use case, a worker, a route), which keeps the returned Counter or
// Histogram and updates it without a lock or an allocation. Registering the
// same name and labels twice returns the same series. Series live as long as
// the registry, which must outlive every component holding one. Counters never
// reset. The composition root owns one Registry and passes it to the
// components that report; a component given none reports nothing.
// Thread-safe.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shipline::app::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void Add(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

// Adds to a counter a component may not have been given.
inline void Add(Counter* counter, uint64_t n = 1) {
  if (counter != nullptr) counter->Add(n);
}

// Observations counted into fixed buckets by their upper bounds.
class Histogram {
 public:
  // `bounds` ascending; an implicit +Inf bucket follows the last.
  explicit Histogram(std::vector<double> bounds);

  void Observe(double value);

  struct Snapshot {
    std::vector<double> bounds;
    std::vector<uint64_t> cumulative;  // one per bound, then +Inf (== count)
    double sum = 0;
  };
  Snapshot Read() const;

 private:
  const std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // not cumulative; last is +Inf
  std::atomic<double> sum_{0};
};

// Bucket bounds for request and commit latencies, in seconds: 0.5 ms to 10 s.
std::vector<double> LatencyBuckets();

// One family as the renderer sees it.
enum class Type { kCounter, kGauge, kHistogram };

struct Sample {
  Labels labels;
  double value = 0;                              // counters and gauges
  std::optional<Histogram::Snapshot> histogram;  // histograms
};

struct Family {
  std::string name;
  std::string help;
  Type type = Type::kGauge;
  std::vector<Sample> samples;
};

// Adds gauges computed at scrape time; `Gauge` may be called several times
// per family (one call per label set).
class GaugeWriter {
 public:
  void Gauge(std::string_view name, std::string_view help, Labels labels, double value);
  std::vector<Family>& families() { return families_; }

 private:
  std::vector<Family> families_;
};

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  Counter& GetCounter(std::string_view name, std::string_view help, Labels labels = {});
  Histogram& GetHistogram(std::string_view name, std::string_view help, std::vector<double> bounds,
                          Labels labels = {});

  // `collect` runs on each scrape, on the scraping thread, after the series
  // above are read; it must be thread-safe and bounded in time.
  void AddCollector(std::function<void(GaugeWriter&)> collect);

  // Every family, counters and histograms first in registration order, then
  // the collectors' gauges.
  std::vector<Family> Collect() const;

 private:
  struct Series {
    Labels labels;
    std::unique_ptr<Counter> counter;
    std::unique_ptr<Histogram> histogram;
  };
  struct Entry {
    std::string name;
    std::string help;
    Type type;
    std::vector<Series> series;
  };
  Series& Find(std::string_view name, std::string_view help, Type type, Labels& labels);

  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Entry>> entries_;
  std::vector<std::function<void(GaugeWriter&)>> collectors_;
};

}  // namespace shipline::app::metrics
