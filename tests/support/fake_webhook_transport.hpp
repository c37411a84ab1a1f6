#pragma once

// A webhook transport that answers at once from a script: the test decides
// each request's answer and reads back every request that was sent.

#include <deque>
#include <functional>
#include <vector>

#include "app/webhooks/webhook_transport.hpp"

namespace shipline::test {

class FakeWebhookTransport final : public app::webhooks::WebhookTransport {
 public:
  using Answer =
      std::function<app::webhooks::TransferResult(const app::webhooks::OutboundRequest&)>;

  // Answers 200 unless told otherwise.
  FakeWebhookTransport()
      : answer([](const app::webhooks::OutboundRequest&) {
          app::webhooks::TransferResult result;
          result.status_code = 200;
          return result;
        }) {}

  static app::webhooks::TransferResult Status(int code) {
    app::webhooks::TransferResult result;
    result.status_code = code;
    return result;
  }

  void Start(app::webhooks::OutboundRequest request) override {
    sent.push_back(request);
    waiting_.push_back(std::move(request));
  }
  size_t InFlight() const override { return waiting_.size(); }
  std::vector<app::webhooks::TransferResult> Poll(std::chrono::milliseconds) override {
    std::vector<app::webhooks::TransferResult> out;
    if (hold) return out;
    for (const auto& request : waiting_) {
      app::webhooks::TransferResult result = answer(request);
      result.delivery_id = request.delivery_id;
      out.push_back(std::move(result));
    }
    waiting_.clear();
    return out;
  }
  void Wake() override {}
  std::vector<int64_t> Abort() override {
    std::vector<int64_t> ids;
    for (const auto& request : waiting_) ids.push_back(request.delivery_id);
    waiting_.clear();
    return ids;
  }

  Answer answer;
  bool hold = false;  // keep requests in flight instead of answering
  std::vector<app::webhooks::OutboundRequest> sent;

 private:
  std::deque<app::webhooks::OutboundRequest> waiting_;
};

}  // namespace shipline::test
