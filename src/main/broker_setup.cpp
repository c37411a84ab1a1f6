#include "main/broker_setup.hpp"

#include "adapters/broker/stomp_publisher.hpp"
#include "adapters/broker/stomp_stream.hpp"
#include "app/log.hpp"
#include "workers/broker_publisher.hpp"

namespace shipline::main {

namespace {

class RunningPublisher final : public BrokerPublishing {
 public:
  RunningPublisher(BrokerTarget target, app::Store& store, app::EventSignal& signal,
                   workers::BrokerPublisher::Options options)
      : stomp_(std::move(target.url), std::move(target.options)),
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

Result<BrokerTarget> BrokerTargetOf(const std::string& url, const std::string& ca_file,
                                    bool allow_plaintext_login) {
  auto parsed = adapters::broker::StompUrl::Parse(url);
  if (!parsed) return std::move(parsed).error();
  BrokerTarget target{std::move(*parsed), {}};
  if (!ca_file.empty()) {
    if (!target.url.tls) {
      return Error::Invalid("--broker-ca-file needs a stomp+ssl:// broker URL", "broker-ca-file");
    }
    SHIPLINE_RETURN_IF_ERROR(adapters::broker::CheckCaFile(ca_file));
  }
  if (target.url.has_login() && !target.url.tls && !allow_plaintext_login &&
      !target.url.IsLoopbackHost()) {
    return Error::Invalid("the broker URL has a login, which would travel in clear to " +
                              target.url.host +
                              ": use stomp+ssl://, or --broker-allow-plaintext-login on a "
                              "network you trust",
                          "broker");
  }
  target.options.ca_file = ca_file;
  target.options.allow_plaintext_login = allow_plaintext_login;
  return target;
}

Status CheckBrokerConfig(const ServeConfig& config) {
  if (config.broker.empty()) {
    if (!config.broker_topics.empty()) {
      return Error::Invalid("--broker-topic needs --broker", "broker-topic");
    }
    if (!config.broker_ca_file.empty()) {
      return Error::Invalid("--broker-ca-file needs --broker", "broker-ca-file");
    }
    return Ok();
  }
  auto target =
      BrokerTargetOf(config.broker, config.broker_ca_file, config.broker_allow_plaintext_login);
  if (!target) return std::move(target).error();
  auto topics = ParseBrokerTopics(config.broker_topics);
  if (!topics) return std::move(topics).error();
  return Ok();
}

Result<std::unique_ptr<BrokerPublishing>> StartBrokerPublishing(const ServeConfig& config,
                                                                app::Store& store,
                                                                app::EventSignal& signal) {
  if (config.broker.empty()) return std::unique_ptr<BrokerPublishing>();
  auto target =
      BrokerTargetOf(config.broker, config.broker_ca_file, config.broker_allow_plaintext_login);
  if (!target) return std::move(target).error();
  auto topics = ParseBrokerTopics(config.broker_topics);
  if (!topics) return std::move(topics).error();
  workers::BrokerPublisher::Options options;
  options.topics = std::move(*topics);
  options.lease = std::chrono::milliseconds(config.consumer_lease_ms);
  app::LogInfo("publishing events to the broker",
               app::LogFields().Add("broker", target->url.Redacted()));
  return std::unique_ptr<BrokerPublishing>(
      std::make_unique<RunningPublisher>(std::move(*target), store, signal, std::move(options)));
}

}  // namespace shipline::main
