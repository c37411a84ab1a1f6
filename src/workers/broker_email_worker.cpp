#include "workers/broker_email_worker.hpp"

#include <charconv>
#include <vector>

#include "app/log.hpp"
#include "workers/mail_event.hpp"

namespace shipline::workers {

namespace {

std::optional<int64_t> ParseEventId(std::optional<std::string_view> text) {
  if (!text || text->empty()) return std::nullopt;
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), id);
  if (ec != std::errc() || end != text->data() + text->size() || id <= 0) return std::nullopt;
  return id;
}

// The event with id `id`, or nullopt when the store has none.
Result<std::optional<domain::Event>> FindEvent(app::Store& store, int64_t id) {
  std::optional<domain::Event> event;
  SHIPLINE_RETURN_IF_ERROR(store.Read([&](app::StoreReader& reader) -> Status {
    auto found = reader.Events().List(std::nullopt, id - 1, 1);
    if (!found) return std::move(found).error();
    if (!found->empty() && found->front().id == id) event = std::move(found->front());
    return Ok();
  }));
  return event;
}

}  // namespace

BrokerEmailWorker::BrokerEmailWorker(app::Store& store, app::MessageSubscriber& subscriber,
                                     app::Mailer& mailer, app::Clock& clock, Options options)
    : store_(store),
      subscriber_(subscriber),
      mailer_(mailer),
      clock_(clock),
      options_(std::move(options)),
      // Receive waits for the next message itself: no signal, no idle wait.
      loop_({.thread_name = "broker-email",
             .what = "email consumer round",
             .failure_log = "email consumer failed",
             .poll = std::chrono::milliseconds(0),
             .first_retry = options_.first_retry,
             .max_retry = options_.max_retry},
            nullptr,
            [this]() -> Result<int> {
              auto settled = RunOnce();
              if (!settled) return std::move(settled).error();
              return *settled ? 1 : 0;
            },
            // Keeps the connection (and a held message) alive during a backoff.
            {.interrupt = [this] { subscriber_.Interrupt(); },
             .idle = [this] { subscriber_.KeepAlive(); }}) {}

void BrokerEmailWorker::Stop() {
  if (!loop_.running()) return;
  loop_.Stop();
  subscriber_.Close();
}

Result<bool> BrokerEmailWorker::RunOnce() {
  if (!held_) {
    auto received = subscriber_.Receive(options_.receive_wait);
    if (!received) return std::move(received).error();
    if (!*received) return false;
    held_ = std::move(**received);
    attempts_ = 0;
  }
  auto verdict = Handle(*held_);
  if (!verdict) {
    ++attempts_;
    if (attempts_ < options_.max_attempts) return std::move(verdict).error();
    app::LogError("email given up",
                  app::LogFields()
                      .Add("event_id", app::FindHeader(held_->headers, "event-id").value_or(""))
                      .Add("detail", verdict.error().detail));
    verdict = Verdict::kNack;
  }
  // Whatever the acknowledgement's fate, the message leaves our hands: if it
  // failed, the connection is gone and the broker delivers the message again.
  app::IncomingMessage message = std::move(*held_);
  held_.reset();
  if (*verdict == Verdict::kAck) {
    SHIPLINE_RETURN_IF_ERROR(subscriber_.Ack(message));
  } else {
    SHIPLINE_RETURN_IF_ERROR(subscriber_.Nack(message));
  }
  return true;
}

Result<BrokerEmailWorker::Verdict> BrokerEmailWorker::Handle(const app::IncomingMessage& message) {
  auto header = app::FindHeader(message.headers, "event-id");
  auto id = ParseEventId(header);
  if (!id) {
    app::LogError("message without a usable event-id rejected",
                  app::LogFields()
                      .Add("destination", message.destination)
                      .Add("event_id", header.value_or("")));
    return Verdict::kNack;
  }
  auto event = FindEvent(store_, *id);
  if (!event) return std::move(event).error();
  if (!*event) {
    app::LogError("message for an event this store does not hold rejected",
                  app::LogFields().Add("destination", message.destination).Add("event_id", *id));
    return Verdict::kNack;
  }
  auto mailed = MailShipmentEvents(store_, mailer_, clock_, {**event}, options_.from, nullptr,
                                   [] { return true; });
  if (!mailed) return std::move(mailed).error();
  if (mailed->failure) return std::move(*mailed->failure);
  if (mailed->outcomes.front() == MailOutcome::kAlreadySent) {
    app::LogInfo("email already sent; repeated message acknowledged",
                 app::LogFields()
                     .Add("event_id", *id)
                     .Add("redelivered", message.redelivered ? "true" : "false"));
  }
  return Verdict::kAck;
}

}  // namespace shipline::workers
