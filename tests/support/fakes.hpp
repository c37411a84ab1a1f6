#pragma once

// Test doubles for the app layer's ports: a clock the test moves, ids that
// count, a payment gateway and a mailer that record and can be told to fail.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "app/clock.hpp"
#include "app/mailer.hpp"
#include "app/payment_gateway.hpp"

namespace shipline::test {

class ManualClock final : public app::Clock {
 public:
  explicit ManualClock(int64_t start = 1'700'000'000'000) : now_(start) {}
  int64_t NowMillis() override { return now_.load(); }
  void Advance(int64_t millis) { now_ += millis; }
  void Set(int64_t millis) { now_ = millis; }

 private:
  std::atomic<int64_t> now_;
};

class CountingIds final : public app::IdSource {
 public:
  std::string NewToken(size_t bytes) override {
    std::string token = std::to_string(++next_);
    if (token.size() < bytes * 2) token.insert(0, bytes * 2 - token.size(), '0');
    return token;
  }

 private:
  std::atomic<int64_t> next_{0};
};

class FakePayments final : public app::PaymentGateway {
 public:
  explicit FakePayments(bool local = false) : local_(local) {}
  bool CapturesLocally() const override { return local_; }
  Result<app::CaptureReceipt> Capture(const app::CaptureRequest& request) override {
    std::lock_guard lock(mutex_);
    requests.push_back(request);
    if (fail) return Error::Unavailable("payment capture failed", "fake decline");
    return app::CaptureReceipt{"cap_" + std::to_string(requests.size())};
  }
  size_t Count() {
    std::lock_guard lock(mutex_);
    return requests.size();
  }

  std::atomic<bool> fail{false};
  std::vector<app::CaptureRequest> requests;

 private:
  bool local_;
  std::mutex mutex_;
};

class RecordingMailer final : public app::Mailer {
 public:
  std::string Transport() const override { return "file"; }
  Status Send(const app::MailMessage& message) override {
    std::lock_guard lock(mutex_);
    if (fail || sent.size() >= fail_after) {
      return Error::Unavailable("mail could not be sent", "fake outage");
    }
    sent.push_back(message);
    return Ok();
  }
  size_t Count() {
    std::lock_guard lock(mutex_);
    return sent.size();
  }

  std::atomic<bool> fail{false};
  std::atomic<size_t> fail_after{SIZE_MAX};  // sends fail once this many went out
  std::vector<app::MailMessage> sent;

 private:
  std::mutex mutex_;
};

}  // namespace shipline::test
