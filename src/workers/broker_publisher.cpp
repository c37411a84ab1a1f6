#include "workers/broker_publisher.hpp"

#include <vector>

#include "app/log.hpp"
#include "app/trace_context.hpp"
#include "domain/event.hpp"

namespace shipline::workers {

BrokerPublisher::BrokerPublisher(app::Store& store, app::MessagePublisher& publisher,
                                 app::EventSignal& signal, Options options)
    : store_(store),
      publisher_(publisher),
      options_(std::move(options)),
      reader_(store, clock_, kConsumer, options_.lease, options_.batch),
      loop_({.thread_name = "broker-publish",
             .what = "broker publisher round",
             .failure_log = "broker publish failed",
             .poll = options_.poll,
             .first_retry = options_.first_retry,
             .max_retry = options_.max_retry},
            &signal, [this] { return RunOnce(); },
            {.interrupt = [this] { publisher_.Interrupt(); },
             .idle = [this] { publisher_.KeepAlive(); }}) {}

void BrokerPublisher::Stop() {
  if (!loop_.running()) return;
  loop_.Stop();
  publisher_.Close();
  reader_.Release();
}

std::string BrokerPublisher::DestinationOf(const domain::Event& event) const {
  auto it = options_.topics.find(event.type);
  if (it != options_.topics.end()) return "/topic/" + it->second;
  if (!event.topic.empty()) return "/topic/" + event.topic;
  return "/topic/" + std::string(domain::kOrdersTopic);
}

Result<int> BrokerPublisher::RunOnce() {
  return reader_.Next([this](const auto& events) { return Publish(events); });
}

Result<int> BrokerPublisher::Publish(const std::vector<domain::Event>& events) {
  std::vector<app::OutgoingMessage> messages;
  messages.reserve(events.size());
  for (const domain::Event& event : events) {
    app::OutgoingMessage& message = messages.emplace_back();
    message.destination = DestinationOf(event);
    message.headers = {{"event-id", std::to_string(event.id)},
                       {"event-type", event.type},
                       {"event-subject", event.subject},
                       {"tenant-id", std::to_string(event.tenant_id)},
                       // The message is a span in the trace of the request
                       // that wrote the event.
                       {"traceparent", app::OutboundTraceparent(event.traceparent, ids_)}};
    message.body = event.payload;
  }
  app::PublishOutcome outcome = publisher_.Publish(messages);
  if (outcome.confirmed > 0) {
    const domain::Event& last = events[outcome.confirmed - 1];
    SHIPLINE_RETURN_IF_ERROR(store_.Write(
        [&](app::StoreWriter& tx) { return tx.Events().SetPosition(kConsumer, last.id); }));
    app::LogInfo("events published", app::LogFields()
                                         .Add("count", static_cast<int64_t>(outcome.confirmed))
                                         .Add("first_event_id", events.front().id)
                                         .Add("last_event_id", last.id));
  }
  if (!outcome.status.ok()) return std::move(outcome.status).error();
  return static_cast<int>(outcome.confirmed);
}

}  // namespace shipline::workers
