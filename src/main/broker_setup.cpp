#include "main/broker_setup.hpp"

#include "adapters/broker/stomp_publisher.hpp"
#include "app/log.hpp"
#include "workers/broker_publisher.hpp"

namespace shipline::main {

namespace {

class RunningPublisher final : public BrokerPublishing {
 public:
  RunningPublisher(const adapters::broker::StompUrl& url, app::Store& store,
                   app::EventSignal& signal, workers::BrokerPublisher::Options options)
      : stomp_(url, adapters::broker::StompClient::Options{}),
        worker_(store, stomp_, signal, std::move(options)) {
    worker_.Start();
  }
  ~RunningPublisher() override { worker_.Stop(); }

 private:
  adapters::broker::StompPublisher stomp_;
  workers::BrokerPublisher worker_;
};

}  // namespace

Result<std::map<std::string, std::string, std::less<>>> ParseBrokerTopics(
    const std::vector<std::string>& values) {
  std::map<std::string, std::string, std::less<>> topics;
  for (const std::string& value : values) {
    size_t equals = value.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == value.size()) {
      return Error::Invalid("--broker-topic must be EVENT_TYPE=TOPIC, got " + value,
                            "broker-topic");
    }
    topics[value.substr(0, equals)] = value.substr(equals + 1);
  }
  return topics;
}

Status CheckBrokerConfig(const ServeConfig& config) {
  if (config.broker.empty()) {
    if (!config.broker_topics.empty()) {
      return Error::Invalid("--broker-topic needs --broker", "broker-topic");
    }
    return Ok();
  }
  auto url = adapters::broker::StompUrl::Parse(config.broker);
  if (!url) return std::move(url).error();
  auto topics = ParseBrokerTopics(config.broker_topics);
  if (!topics) return std::move(topics).error();
  return Ok();
}

Result<std::unique_ptr<BrokerPublishing>> StartBrokerPublishing(const ServeConfig& config,
                                                                app::Store& store,
                                                                app::EventSignal& signal) {
  if (config.broker.empty()) return std::unique_ptr<BrokerPublishing>();
  auto url = adapters::broker::StompUrl::Parse(config.broker);
  if (!url) return std::move(url).error();
  auto topics = ParseBrokerTopics(config.broker_topics);
  if (!topics) return std::move(topics).error();
  workers::BrokerPublisher::Options options;
  options.topics = std::move(*topics);
  options.lease = std::chrono::milliseconds(config.consumer_lease_ms);
  app::LogInfo("publishing events to the broker", app::LogFields().Add("broker", url->Redacted()));
  return std::unique_ptr<BrokerPublishing>(
      std::make_unique<RunningPublisher>(*url, store, signal, std::move(options)));
}

}  // namespace shipline::main
