#include "workers/email_worker.hpp"

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
      loop_({.what = "email round",
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
  int handled = 0;
  for (const auto& event : events) {
    if (loop_.stopping()) break;
    auto held = reader_.Renew();  // renewed before each send, so it outlasts the send
    if (!held) return std::move(held).error();
    if (!*held) break;
    Status status = Handle(event);
    if (!status.ok()) {
      ++failures_;
      if (failures_ < options_.max_attempts) return std::move(status).error();
      app::metrics::Add(failed_);
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
  if (*mailed == MailOutcome::kSent) app::metrics::Add(sent_);
  if (*mailed == MailOutcome::kRefused) app::metrics::Add(failed_);
  return Ok();
}

}  // namespace shipline::workers
