#pragma once

// The broker side of the composition root: `serve --broker` (the event
// publisher) and `worker email` (the email handler as a broker consumer).

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "adapters/broker/stomp_client.hpp"
#include "app/event_signal.hpp"
#include "app/store.hpp"
#include "domain/result.hpp"
#include "main/commands.hpp"

namespace shipline::main {

// Reads `--broker-topic TYPE=TOPIC` values into a map from event type to
// topic name. kInvalidArgument for a value without '=' or with an empty side.
Result<std::map<std::string, std::string, std::less<>>> ParseBrokerTopics(
    const std::vector<std::string>& values);

// Where the broker is and how to reach it, from `--broker`,
// `--broker-ca-file` and `--broker-allow-plaintext-login`.
struct BrokerTarget {
  adapters::broker::StompUrl url;
  adapters::broker::StompClient::Options options;
};

// kInvalidArgument for a URL StompUrl refuses, a CA file with a URL that is
// not stomp+ssl://, a CA file OpenSSL cannot load, or a login that would go
// in clear to a host that is not loopback without the operator allowing it.
// Messages name the flag and never the passcode.
Result<BrokerTarget> BrokerTargetOf(const std::string& url, const std::string& ca_file,
                                    bool allow_plaintext_login);

// Checks the broker flags of `config` (URL, TLS, topic mapping) without
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
