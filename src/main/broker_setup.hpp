#pragma once

// The broker side of the composition root: `serve --broker` (the event
// publisher) and `worker email` (the email handler as a broker consumer).

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "app/event_signal.hpp"
#include "app/store.hpp"
#include "domain/result.hpp"
#include "main/commands.hpp"

namespace shipline::main {

// Reads `--broker-topic TYPE=TOPIC` values into a map from event type to
// topic name. kInvalidArgument for a value without '=' or with an empty side.
Result<std::map<std::string, std::string, std::less<>>> ParseBrokerTopics(
    const std::vector<std::string>& values);

// Checks the broker flags of `config` (URL, topic mapping) without
// connecting, so that serve refuses a bad configuration before doing anything.
Status CheckBrokerConfig(const ServeConfig& config);

// The running publisher of events to the broker; stops it when destroyed.
class BrokerPublishing {
 public:
  virtual ~BrokerPublishing() = default;
};

// Starts the broker publisher when `config.broker` is set; nullptr when it is
// not. kInvalidArgument for a bad broker URL or topic mapping. Connecting
// happens in the background: a broker that is down is retried, not fatal.
Result<std::unique_ptr<BrokerPublishing>> StartBrokerPublishing(const ServeConfig& config,
                                                                app::Store& store,
                                                                app::EventSignal& signal);

}  // namespace shipline::main
