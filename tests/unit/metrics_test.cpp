#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "app/metrics/registry.hpp"
#include "app/metrics/text_format.hpp"

namespace shipline::app::metrics {
namespace {

TEST(MetricsText, CounterHasHelpTypeAndEscapedLabels) {
  Registry registry;
  registry
      .GetCounter("shipline_things_total", "Things seen.\nSecond \\ line",
                  {{"route", "/a/{b}"}, {"note", "say \"hi\"\\\n"}})
      .Add(3);
  EXPECT_EQ(RenderText(registry.Collect()),
            "# HELP shipline_things_total Things seen.\\nSecond \\\\ line\n"
            "# TYPE shipline_things_total counter\n"
            "shipline_things_total{route=\"/a/{b}\",note=\"say \\\"hi\\\"\\\\\\n\"} 3\n");
}

TEST(MetricsText, SameNameAndLabelsIsOneSeries) {
  Registry registry;
  registry.GetCounter("c_total", "c", {{"k", "v"}}).Add();
  registry.GetCounter("c_total", "c", {{"k", "v"}}).Add();
  registry.GetCounter("c_total", "c", {{"k", "w"}}).Add();
  EXPECT_EQ(RenderText(registry.Collect()),
            "# HELP c_total c\n# TYPE c_total counter\n"
            "c_total{k=\"v\"} 2\nc_total{k=\"w\"} 1\n");
}

TEST(MetricsText, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  Registry registry;
  auto& histogram = registry.GetHistogram("h_seconds", "h", {0.5, 1}, {{"route", "r"}});
  histogram.Observe(0.25);
  histogram.Observe(0.5);  // a bound is inclusive
  histogram.Observe(0.75);
  histogram.Observe(7);
  EXPECT_EQ(RenderText(registry.Collect()),
            "# HELP h_seconds h\n# TYPE h_seconds histogram\n"
            "h_seconds_bucket{route=\"r\",le=\"0.5\"} 2\n"
            "h_seconds_bucket{route=\"r\",le=\"1\"} 3\n"
            "h_seconds_bucket{route=\"r\",le=\"+Inf\"} 4\n"
            "h_seconds_sum{route=\"r\"} 8.5\n"
            "h_seconds_count{route=\"r\"} 4\n");
}

TEST(MetricsText, BoundsAreWrittenAsPlainDecimals) {
  Registry registry;
  registry.GetHistogram("h", "h", {0.0005, 2.5});
  std::string text = RenderText(registry.Collect());
  EXPECT_NE(text.find("h_bucket{le=\"0.0005\"} 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("h_bucket{le=\"2.5\"} 0\n"), std::string::npos) << text;
}

TEST(MetricsText, EmptyHistogramWithoutLabels) {
  Registry registry;
  registry.GetHistogram("h", "h", {2});
  EXPECT_EQ(RenderText(registry.Collect()),
            "# HELP h h\n# TYPE h histogram\n"
            "h_bucket{le=\"2\"} 0\nh_bucket{le=\"+Inf\"} 0\nh_sum 0\nh_count 0\n");
}

TEST(MetricsText, CollectorsAddGaugesAtScrapeTime) {
  Registry registry;
  int scrapes = 0;
  registry.AddCollector([&](GaugeWriter& out) {
    ++scrapes;
    out.Gauge("lag_events", "lag", {{"consumer", "email"}}, 5);
    out.Gauge("lag_events", "lag", {{"consumer", "broker"}}, 0.25);
  });
  std::string text = RenderText(registry.Collect());
  EXPECT_EQ(text,
            "# HELP lag_events lag\n# TYPE lag_events gauge\n"
            "lag_events{consumer=\"email\"} 5\nlag_events{consumer=\"broker\"} 0.25\n");
  RenderText(registry.Collect());
  EXPECT_EQ(scrapes, 2);
}

TEST(MetricsRegistry, CountersAddUpAcrossThreads) {
  Registry registry;
  Counter& counter = registry.GetCounter("n_total", "n");
  Histogram& histogram = registry.GetHistogram("d", "d", {1});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10'000; ++i) {
        counter.Add();
        histogram.Observe(0.5);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(counter.Value(), 40'000u);
  auto snapshot = histogram.Read();
  EXPECT_EQ(snapshot.cumulative.back(), 40'000u);
  EXPECT_DOUBLE_EQ(snapshot.sum, 20'000);
}

}  // namespace
}  // namespace shipline::app::metrics
