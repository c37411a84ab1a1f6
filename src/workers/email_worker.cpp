#include "workers/email_worker.hpp"

#include <algorithm>

#include "app/log.hpp"
#include "workers/guarded.hpp"
#include "workers/mail_event.hpp"

namespace shipline::workers {

namespace {
constexpr int kBatch = 100;
}

void EmailWorker::Start() {
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void EmailWorker::Stop() {
  stopping_ = true;
  signal_.Notify();
  if (thread_.joinable()) thread_.join();
  lease_.Release();
}

void EmailWorker::Loop() {
  uint64_t seen = signal_.Generation();
  while (!stopping_) {
    auto handled = Guarded("email round", [this] { return RunOnce(); });
    std::chrono::milliseconds wait = options_.poll;
    if (!handled) {
      // The head event failed: back off, doubling up to the cap.
      auto backoff = options_.first_retry * (1LL << std::min(failures_, 16));
      wait = std::min<std::chrono::milliseconds>(backoff, options_.max_retry);
      app::LogWarn("email delivery failed",
                   app::LogFields()
                       .Add("attempt", failures_)
                       .Add("retry_in_ms", static_cast<int64_t>(wait.count()))
                       .Add("detail", handled.error().detail));
      // Sleep in short steps so that Stop() is never delayed by a long backoff.
      auto deadline = std::chrono::steady_clock::now() + wait;
      while (!stopping_ && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      continue;
    }
    if (*handled > 0) continue;
    seen = signal_.WaitFor(seen, options_.poll);
  }
}

Result<int> EmailWorker::RunOnce() {
  // Another node holding the consumer sends meanwhile: nothing to do here.
  auto held = lease_.Hold();
  if (!held) return std::move(held).error();
  if (!*held) return 0;
  int64_t position = 0;
  std::vector<domain::Event> events;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](app::StoreReader& reader) -> Status {
    auto saved = reader.Events().Position(kConsumer);
    if (!saved) return std::move(saved).error();
    position = *saved;
    auto found = reader.Events().List(std::nullopt, position, kBatch);
    if (!found) return std::move(found).error();
    events = std::move(*found);
    return Ok();
  }));
  int handled = 0;
  for (const auto& event : events) {
    if (stopping_) break;
    held = lease_.Hold();  // renewed before each send, so it outlasts the send
    if (!held) return std::move(held).error();
    if (!*held) break;
    Status status = Handle(event);
    if (!status.ok()) {
      ++failures_;
      if (failures_ < options_.max_attempts) return std::move(status).error();
      app::LogError(
          "email given up",
          app::LogFields().Add("event_id", event.id).Add("detail", status.error().detail));
      SHIPLINE_RETURN_IF_ERROR(store_.Write(
          [&](app::StoreWriter& tx) { return tx.Events().SetPosition(kConsumer, event.id); }));
    }
    failures_ = 0;
    ++handled;
  }
  return handled;
}

Status EmailWorker::Handle(const domain::Event& event) {
  auto mailed = MailShipmentEvent(
      store_, mailer_, clock_, event, options_.from,
      [&](app::StoreWriter& tx) { return tx.Events().SetPosition(kConsumer, event.id); });
  if (!mailed) return std::move(mailed).error();
  return Ok();
}

}  // namespace shipline::workers
