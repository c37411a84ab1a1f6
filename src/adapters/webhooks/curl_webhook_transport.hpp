#pragma once

// The webhook transport on libcurl's multi interface: one thread drives many
// POSTs at once over a shared connection cache. Each request has a total
// timeout, follows no redirects, uses no proxy, and (unless private receivers
// are allowed) is refused at the moment a socket would be opened to a
// loopback, private, link-local, CGNAT, multicast or reserved address, so the
// check applies to the address actually connected to, whatever DNS said.

#include <curl/curl.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "app/webhooks/webhook_transport.hpp"

namespace shipline::adapters::webhooks {

class CurlWebhookTransport final : public app::webhooks::WebhookTransport {
 public:
  struct Options {
    bool allow_private = false;
    std::chrono::milliseconds timeout{30'000};  // the whole request
    std::chrono::milliseconds connect_timeout{10'000};
    size_t max_connections = 64;  // open connections, over all receivers
    size_t excerpt_bytes = 256;   // kept from each answer
    std::string user_agent = "shipline-webhooks/1";
  };

  explicit CurlWebhookTransport(Options options);
  ~CurlWebhookTransport() override;
  CurlWebhookTransport(const CurlWebhookTransport&) = delete;
  CurlWebhookTransport& operator=(const CurlWebhookTransport&) = delete;

  void Start(app::webhooks::OutboundRequest request) override;
  size_t InFlight() const override { return transfers_.size(); }
  std::vector<app::webhooks::TransferResult> Poll(std::chrono::milliseconds max_wait) override;
  void Wake() override;
  std::vector<int64_t> Abort() override;

  struct Transfer;  // one request in flight

 private:
  void Collect(std::vector<app::webhooks::TransferResult>& done);

  Options options_;
  CURLM* multi_ = nullptr;
  std::map<CURL*, std::unique_ptr<Transfer>> transfers_;
  std::vector<app::webhooks::TransferResult> failed_to_start_;
};

}  // namespace shipline::adapters::webhooks
