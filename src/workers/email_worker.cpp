#include "workers/email_worker.hpp"

#include <optional>

#include "app/log.hpp"
#include "workers/mail_event.hpp"

namespace shipline::workers {

namespace {
constexpr int kBatch = 100;
}

EmailWorker::EmailWorker(app::Store& store, app::Mailer& mailer, app::Clock& clock,
                         app::EventSignal& signal, Options options)
    : store_(store),
      mailer_(mailer),
      clock_(clock),
      options_(std::move(options)),
      reader_(store, clock, kConsumer, options_.lease, kBatch),
      loop_({.thread_name = "email",
             .what = "email round",
             .failure_log = "email delivery failed",
             .poll = options_.poll,
             .first_retry = options_.first_retry,
             .max_retry = options_.max_retry},
            &signal, [this] { return RunOnce(); }) {
  if (options_.metrics == nullptr) return;
  auto outcome = [this](const char* name) {
    return &options_.metrics->GetCounter(
        "shipline_emails_total",
        "Customer emails by outcome: sent, or failed (refused for good, or given up).",
        {{"outcome", name}});
  };
  sent_ = outcome("sent");
  failed_ = outcome("failed");
}

void EmailWorker::Stop() {
  loop_.Stop();
  reader_.Release();
}

Result<int> EmailWorker::RunOnce() {
  return reader_.Next([this](const auto& events) { return MailEach(events); });
}

Result<int> EmailWorker::MailEach(const std::vector<domain::Event>& events) {
  // The lease is renewed before each send, so that it outlasts the send.
  bool lease_lost = false;
  std::optional<Error> lease_error;
  auto proceed = [&]() -> bool {
    if (loop_.stopping()) return false;
    auto held = reader_.Renew();
    if (!held) lease_error = std::move(held).error();
    lease_lost = !held || !*held;
    return !lease_lost;
  };
  auto save_position = [](app::StoreWriter& tx, int64_t last_event_id) {
    return tx.Events().SetPosition(kConsumer, last_event_id);
  };
  auto batch =
      MailShipmentEvents(store_, mailer_, clock_, events, options_.from, save_position, proceed);
  if (!batch) return std::move(batch).error();
  int handled = static_cast<int>(batch->outcomes.size());
  for (MailOutcome outcome : batch->outcomes) {
    if (outcome == MailOutcome::kSent) app::metrics::Add(sent_);
    if (outcome == MailOutcome::kRefused) app::metrics::Add(failed_);
  }
  if (handled > 0) failures_ = 0;
  if (lease_error) return std::move(*lease_error);
  if (!batch->failure || lease_lost || loop_.stopping()) return handled;
  if (handled > 0) return handled;  // the next round starts at the failed event

  // The first event failed: retried with the loop's backoff, then given up.
  const domain::Event& event = events.front();
  if (++failures_ < options_.max_attempts) return std::move(*batch->failure);
  app::metrics::Add(failed_);
  app::LogError("email given up",
                app::LogFields().Add("event_id", event.id).Add("detail", batch->failure->detail));
  SHIPLINE_RETURN_IF_ERROR(store_.Write(
      [&](app::StoreWriter& tx) { return tx.Events().SetPosition(kConsumer, event.id); }));
  failures_ = 0;
  return 1;
}

}  // namespace shipline::workers
