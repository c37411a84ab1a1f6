#include "workers/webhook_worker.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include "app/log.hpp"
#include "app/trace_context.hpp"
#include "app/webhooks/webhook_repository.hpp"
#include "workers/guarded.hpp"

namespace shipline::workers {

namespace wh = app::webhooks;

namespace {

constexpr std::chrono::milliseconds kBusyWait{25};

// A due delivery with what its attempt needs, or why it cannot be made.
struct Prepared {
  wh::DueDelivery due;
  std::string body;
  bool body_is_new = false;
  std::vector<std::string> secrets;
  std::string unbuildable;  // non-empty: the body cannot be built
};

void LogAttempt(const wh::Delivery& delivery, const wh::AttemptDecision& decision) {
  app::LogFields fields;
  fields.Add("delivery_id", delivery.id)
      .Add("subscription_id", delivery.subscription_id)
      .Add("webhook_id", delivery.message_id)
      .Add("event_type", delivery.event_type)
      .Add("status", decision.attempt.status_code)
      .Add("latency_ms", decision.attempt.latency_ms)
      .Add("outcome", wh::DeliveryStatusName(decision.update.status));
  if (!decision.attempt.error.empty()) fields.Add("error", decision.attempt.error);
  if (decision.update.next_attempt_at) fields.Add("retry_at", *decision.update.next_attempt_at);
  if (!decision.disable_reason.empty()) fields.Add("disabled", decision.disable_reason);
  if (decision.succeeded) {
    app::LogInfo("webhook attempt", fields);
  } else {
    app::LogWarn("webhook attempt", fields);
  }
}

}  // namespace

WebhookWorker::WebhookWorker(app::Store& store, wh::WebhookTransport& transport,
                             const wh::DeliveryBodies& bodies, app::Clock& clock,
                             app::EventSignal& signal, Options options)
    : store_(store),
      transport_(transport),
      bodies_(bodies),
      clock_(clock),
      signal_(signal),
      options_(std::move(options)),
      random_(std::random_device{}()),
      // A round waits in the transport for answers and comes round again at
      // once; a failed round is retried after the poll interval.
      loop_({.thread_name = "webhooks",
             .what = "webhook round",
             .failure_log = "webhook round failed (answers are retried after their lease)",
             .poll = options_.poll,
             .first_retry = options_.poll,
             .max_retry = options_.poll},
            nullptr, [this] { return Round(); },
            {.interrupt = [this] { transport_.Wake(); }, .idle = [this] { CollectAnswers(); }}),
      waker_({.thread_name = "webhook-wake",
              .what = "webhook wake-up",
              .poll = std::chrono::milliseconds(1000)},
             &signal_, [this] {
               uint64_t now_seen = signal_.Generation();
               if (now_seen != woken_) transport_.Wake();
               woken_ = now_seen;
               return Result<int>(0);
             }) {
  options_.max_in_flight = std::max<size_t>(1, options_.max_in_flight);
  options_.max_in_flight_per_subscription =
      std::max<size_t>(1, options_.max_in_flight_per_subscription);
  if (options_.metrics != nullptr) {
    auto outcome = [this](const char* name) {
      return &options_.metrics->GetCounter(
          "shipline_webhook_deliveries_total",
          "Webhook delivery attempts by outcome: delivered, retry (failed, tried again later), "
          "failed (given up).",
          {{"outcome", name}});
    };
    delivered_ = outcome("delivered");
    retried_ = outcome("retry");
    failed_ = outcome("failed");
  }
}

void WebhookWorker::Start() {
  if (loop_.running()) return;
  woken_ = signal_.Generation();
  loop_.Start();
  waker_.Start();
}

void WebhookWorker::Stop() {
  if (!loop_.running()) return;
  waker_.Stop();
  loop_.Stop();
  ReleaseAll();
}

Result<int> WebhookWorker::Round() {
  auto stepped = Step(std::move(answers_));
  answers_.clear();
  if (!stepped) return std::move(stepped).error();
  auto wait = NextWait(*stepped);
  if (!wait) {
    app::LogError("webhook schedule read failed",
                  app::LogFields().Add("detail", wait.error().detail));
    wait = options_.poll;
  }
  if (loop_.stopping()) return 0;
  answers_ = transport_.Poll(*wait);
  // Answers are recorded in one commit per round: linger briefly for the
  // rest of the batch so that a fast receiver costs one fsync per batch,
  // not one per answer.
  auto linger_until = std::chrono::steady_clock::now() + options_.linger;
  while (!answers_.empty() && !loop_.stopping() && transport_.InFlight() > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        linger_until - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    CollectAnswers(left);
  }
  return 1;
}

void WebhookWorker::CollectAnswers(std::chrono::milliseconds max_wait) {
  for (auto& answer : transport_.Poll(max_wait)) answers_.push_back(std::move(answer));
}

Result<int> WebhookWorker::RunOnce(std::chrono::milliseconds max_wait) {
  auto started = Step({});
  if (!started) return std::move(started).error();
  auto recorded = Step(transport_.Poll(max_wait));
  if (!recorded) return std::move(recorded).error();
  return recorded->recorded;
}

Result<std::chrono::milliseconds> WebhookWorker::NextWait(const Stepped& stepped) {
  if (stepped.held_back || in_flight_.size() >= options_.max_in_flight) return options_.poll;
  // With requests in flight the loop comes round again at each answer; a
  // short wait then catches deliveries falling due without a read per round.
  if (!in_flight_.empty()) return std::min(options_.poll, kBusyWait);
  std::optional<int64_t> next;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](app::StoreReader& reader) -> Status {
    auto due = reader.Webhooks().NextDueAt();
    if (!due) return std::move(due).error();
    next = *due;
    return Ok();
  }));
  if (!next) return options_.poll;
  int64_t until = *next - clock_.NowMillis();
  return std::chrono::milliseconds(std::clamp<int64_t>(until, 0, options_.poll.count()));
}

Result<WebhookWorker::Stepped> WebhookWorker::Step(std::vector<wh::TransferResult> results) {
  Stepped stepped;
  int64_t now = clock_.NowMillis();

  // The answers, matched to what was sent.
  std::vector<std::pair<Sending, wh::TransferResult>> finished;
  for (auto& result : results) {
    auto found = in_flight_.find(result.delivery_id);
    if (found == in_flight_.end()) continue;
    int64_t subscription_id = found->second.due.subscription.id;
    if (--in_flight_by_subscription_[subscription_id] == 0) {
      in_flight_by_subscription_.erase(subscription_id);
    }
    finished.emplace_back(std::move(found->second), std::move(result));
    in_flight_.erase(found);
  }

  // What is due, with what its attempt needs (read outside the write lock).
  size_t free = options_.max_in_flight - std::min(options_.max_in_flight, in_flight_.size());
  std::vector<Prepared> chosen;
  if (free > 0) {
    SHIPLINE_RETURN_IF_ERROR(store_.Read([&](app::StoreReader& reader) -> Status {
      wh::WebhookRepository& repo = reader.Webhooks();
      // A few more than there is room for, in case some wait for their
      // subscription's limit.
      auto due = repo.DueDeliveries(now, static_cast<int>(std::min<size_t>(free + 16, 1000)));
      if (!due) return std::move(due).error();
      std::map<int64_t, size_t> taken;  // per subscription, this round
      std::map<int64_t, std::vector<std::string>> secrets;
      for (auto& candidate : *due) {
        if (chosen.size() >= free) break;
        int64_t subscription_id = candidate.subscription.id;
        if (in_flight_.contains(candidate.delivery.id)) continue;
        auto busy = in_flight_by_subscription_.find(subscription_id);
        size_t already = busy == in_flight_by_subscription_.end() ? 0 : busy->second;
        if (already + taken[subscription_id] >= options_.max_in_flight_per_subscription) {
          stepped.held_back = true;
          continue;
        }
        Prepared prepared;
        auto body = bodies_.Build(reader, candidate.subscription, candidate.delivery);
        if (body) {
          prepared.body_is_new = candidate.delivery.body.empty();
          prepared.body = std::move(*body);
        } else if (body.error().code == ErrorCode::kInternal) {
          return std::move(body).error();
        } else {
          prepared.unbuildable = "the payload could not be built: " + body.error().message;
        }
        if (candidate.subscription.signing && prepared.unbuildable.empty()) {
          if (!secrets.contains(subscription_id)) {
            auto live = repo.LiveSecrets(subscription_id, now);
            if (!live) return std::move(live).error();
            auto& list = secrets[subscription_id];
            for (auto& secret : *live) list.push_back(std::move(secret.secret));
          }
          prepared.secrets = secrets[subscription_id];
        }
        ++taken[subscription_id];
        prepared.due = std::move(candidate);
        chosen.push_back(std::move(prepared));
      }
      return Ok();
    }));
  }
  if (finished.empty() && chosen.empty()) return stepped;

  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<wh::AttemptDecision> decisions;
  std::vector<bool> claimed(chosen.size(), false);
  SHIPLINE_RETURN_IF_ERROR(store_.Write([&](app::StoreWriter& tx) -> Status {
    decisions.clear();
    wh::WebhookRepository& repo = tx.Webhooks();
    // Decisions read each subscription as it is now: earlier answers of this
    // batch (or another node) may have changed its failure streak.
    std::map<int64_t, wh::Subscription> current;
    for (auto& [sending, result] : finished) {
      const wh::Delivery& delivery = sending.due.delivery;
      auto known = current.find(delivery.subscription_id);
      if (known == current.end()) {
        auto row = repo.FindSubscription(delivery.tenant_id, delivery.subscription_id);
        if (!row) return std::move(row).error();
        known = current.emplace(delivery.subscription_id, row->value_or(sending.due.subscription))
                    .first;
      }
      wh::Subscription& subscription = known->second;
      wh::AttemptDecision decision =
          wh::DecideAttempt(options_.policy, subscription, delivery, result, sending.attempted_at,
                            now, unit(random_));
      auto applied = repo.RecordAttempt(decision.attempt, decision.update);
      if (!applied) return std::move(applied).error();
      if (*applied && subscription.enabled) {
        if (!decision.disable_reason.empty()) {
          SHIPLINE_RETURN_IF_ERROR(
              repo.DisableSubscription(subscription.id, decision.disable_reason, now));
          subscription.enabled = false;
        }
        if (decision.succeeded ? subscription.failing_since.has_value()
                               : subscription.failing_since != decision.failing_since) {
          SHIPLINE_RETURN_IF_ERROR(repo.SetFailingSince(subscription.id, decision.failing_since));
          subscription.failing_since = decision.failing_since;
        }
      }
      decisions.push_back(std::move(decision));
    }
    for (size_t i = 0; i < chosen.size(); ++i) {
      Prepared& p = chosen[i];
      const wh::Delivery& delivery = p.due.delivery;
      auto live = current.find(delivery.subscription_id);
      if (live != current.end() && !live->second.enabled) continue;  // disabled just now
      if (!p.unbuildable.empty()) {
        // Nothing can be sent: the event or its shipment is gone for good.
        wh::Attempt attempt{0, delivery.id, now, 0, 0, "", p.unbuildable};
        wh::DeliveryUpdate update{
            wh::DeliveryStatus::kFailed,         std::nullopt, 0, p.unbuildable, now,
            delivery.next_attempt_at.value_or(0)};
        auto recorded = repo.RecordAttempt(attempt, update);
        if (!recorded) return std::move(recorded).error();
        continue;
      }
      auto taken = repo.ClaimDelivery(delivery.id, delivery.next_attempt_at.value_or(0),
                                      now + options_.lease_ms, p.body_is_new ? &p.body : nullptr);
      if (!taken) return std::move(taken).error();
      claimed[i] = *taken;
    }
    return Ok();
  }));
  for (size_t i = 0; i < decisions.size(); ++i) {
    LogAttempt(finished[i].first.due.delivery, decisions[i]);
    switch (decisions[i].update.status) {
      case wh::DeliveryStatus::kDelivered:
        app::metrics::Add(delivered_);
        break;
      case wh::DeliveryStatus::kPending:
        app::metrics::Add(retried_);
        break;
      case wh::DeliveryStatus::kFailed:
        app::metrics::Add(failed_);
        break;
    }
  }
  stepped.recorded = static_cast<int>(decisions.size());

  for (size_t i = 0; i < chosen.size(); ++i) {
    if (!claimed[i]) continue;
    Prepared& p = chosen[i];
    p.due.delivery.next_attempt_at = now + options_.lease_ms;  // its claim, for the answer
    const wh::Subscription& subscription = p.due.subscription;
    wh::OutboundRequest request;
    request.delivery_id = p.due.delivery.id;
    request.url = subscription.url;
    request.body = std::move(p.body);
    request.message_id = p.due.delivery.message_id;
    request.timestamp = now / 1000;
    request.secrets = std::move(p.secrets);
    request.basic_username = subscription.basic_username;
    request.basic_password = subscription.basic_password;
    // Each attempt is a span of its own in the trace of the request that
    // wrote the event.
    request.traceparent = app::OutboundTraceparent(p.due.traceparent, ids_);
    ++in_flight_by_subscription_[subscription.id];
    in_flight_.emplace(request.delivery_id, Sending{std::move(p.due), now});
    transport_.Start(std::move(request));
    ++stepped.started;
  }
  return stepped;
}

void WebhookWorker::ReleaseAll() {
  std::vector<int64_t> abandoned = transport_.Abort();
  in_flight_.clear();
  in_flight_by_subscription_.clear();
  if (abandoned.empty()) return;
  int64_t now = clock_.NowMillis();
  Status released = store_.Write([&](app::StoreWriter& tx) -> Status {
    for (int64_t id : abandoned) SHIPLINE_RETURN_IF_ERROR(tx.Webhooks().ReleaseDelivery(id, now));
    return Ok();
  });
  if (!released) {
    app::LogWarn("webhook deliveries in flight not released (they are retried after their lease)",
                 app::LogFields().Add("detail", released.error().detail));
  }
}

}  // namespace shipline::workers
