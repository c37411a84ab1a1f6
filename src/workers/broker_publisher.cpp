#include "workers/broker_publisher.hpp"

#include <algorithm>
#include <vector>

#include "app/log.hpp"
#include "domain/event.hpp"
#include "workers/guarded.hpp"

namespace shipline::workers {

void BrokerPublisher::Start() {
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void BrokerPublisher::Stop() {
  if (!thread_.joinable()) return;
  stopping_ = true;
  publisher_.Interrupt();
  signal_.Notify();
  thread_.join();
  publisher_.Close();
  lease_.Release();
}

std::string BrokerPublisher::DestinationOf(const domain::Event& event) const {
  auto it = options_.topics.find(event.type);
  if (it != options_.topics.end()) return "/topic/" + it->second;
  if (!event.topic.empty()) return "/topic/" + event.topic;
  return "/topic/" + std::string(domain::kOrdersTopic);
}

void BrokerPublisher::Loop() {
  uint64_t seen = signal_.Generation();
  while (!stopping_) {
    auto published = Guarded("broker publisher round", [this] { return RunOnce(); });
    if (stopping_) break;
    if (!published) {
      ++failures_;
      auto backoff = options_.first_retry * (1LL << std::min(failures_ - 1, 16));
      auto wait = std::min<std::chrono::milliseconds>(backoff, options_.max_retry);
      app::LogWarn("broker publish failed",
                   app::LogFields()
                       .Add("attempt", failures_)
                       .Add("retry_in_ms", static_cast<int64_t>(wait.count()))
                       .Add("detail", published.error().detail));
      // Sleep in short steps so that Stop() is never delayed by a long backoff.
      auto deadline = std::chrono::steady_clock::now() + wait;
      while (!stopping_ && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      continue;
    }
    failures_ = 0;
    if (*published > 0) continue;
    publisher_.KeepAlive();
    seen = signal_.WaitFor(seen, options_.poll);
  }
}

Result<int> BrokerPublisher::RunOnce() {
  // Another node holding the consumer publishes meanwhile.
  auto held = lease_.Hold();
  if (!held) return std::move(held).error();
  if (!*held) return 0;
  std::vector<domain::Event> events;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](app::StoreReader& reader) -> Status {
    auto position = reader.Events().Position(kConsumer);
    if (!position) return std::move(position).error();
    auto found = reader.Events().List(std::nullopt, *position, options_.batch);
    if (!found) return std::move(found).error();
    events = std::move(*found);
    return Ok();
  }));
  if (events.empty()) return 0;

  std::vector<app::OutgoingMessage> messages;
  messages.reserve(events.size());
  for (const domain::Event& event : events) {
    app::OutgoingMessage& message = messages.emplace_back();
    message.destination = DestinationOf(event);
    message.headers = {{"event-id", std::to_string(event.id)},
                       {"event-type", event.type},
                       {"event-subject", event.subject},
                       {"tenant-id", std::to_string(event.tenant_id)}};
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
