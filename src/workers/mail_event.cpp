#include "workers/mail_event.hpp"

#include <map>

#include "app/event_payloads.hpp"
#include "app/log.hpp"
#include "app/shipment_email.hpp"
#include "app/storefronts.hpp"

namespace shipline::workers {

namespace {

// What the batch decided for one event before anything is sent.
struct Planned {
  MailOutcome outcome = MailOutcome::kNotMailed;  // kSent: `message` is to be sent
  app::MailMessage message;
};

// Reads, in one read, what each event's email needs (the shipment and what of
// its order the email shows, whatever the order's size; the store's sender),
// and renders the messages.
Result<std::vector<Planned>> Plan(app::Store& store, const std::vector<domain::Event>& events,
                                  const std::string& from) {
  std::vector<Planned> plans(events.size());
  SHIPLINE_RETURN_IF_ERROR(store.Read([&](app::StoreReader& reader) -> Status {
    std::map<std::pair<int64_t, std::string>, std::string> senders;  // per tenant and store
    for (size_t i = 0; i < events.size(); ++i) {
      const domain::Event& event = events[i];
      Planned& plan = plans[i];
      plan = Planned{};
      // Which events mail the customer, and whether this one does (the order
      // API's sendEmail, the store's setting), travels on the event itself.
      if (!app::WantsCustomerEmail(event)) continue;
      auto sent = reader.Events().EmailSent(event.id);
      if (!sent) return std::move(sent).error();
      if (*sent) {
        plan.outcome = MailOutcome::kAlreadySent;
        continue;
      }
      auto found = reader.Orders().FindShipmentInOrder(event.tenant_id, event.subject);
      if (!found) return std::move(found).error();
      if (!*found) continue;
      const domain::Order& order = (*found)->order;
      auto known = senders.find({event.tenant_id, order.store});
      if (known == senders.end()) {
        auto settings = app::LoadStorefront(reader, event.tenant_id, order.store);
        if (!settings) return std::move(settings).error();
        // The store's own sender, when it has one.
        known = senders
                    .emplace(std::pair{event.tenant_id, order.store},
                             settings->sender.empty() ? from : settings->sender)
                    .first;
      }
      plan.outcome = MailOutcome::kSent;
      plan.message = app::ShipmentEmail(order, (*found)->shipment, event, known->second);
    }
    return Ok();
  }));
  return plans;
}

void LogOutcome(const domain::Event& event, MailOutcome outcome, const app::EmailRecord& record) {
  if (outcome == MailOutcome::kRefused) {
    app::LogWarn("email refused", app::LogFields()
                                      .Add("event_id", event.id)
                                      .Add("shipment", event.subject)
                                      .Add("detail", record.failure));
  } else if (outcome == MailOutcome::kSent) {
    app::LogInfo("email sent", app::LogFields()
                                   .Add("event_id", event.id)
                                   .Add("shipment", event.subject)
                                   .Add("transport", record.transport));
  }
}

// MailShipmentEvents for one batch: sent together, recorded together.
Result<MailedBatch> MailBatch(app::Store& store, app::Mailer& mailer, app::Clock& clock,
                              const std::vector<domain::Event>& events, const std::string& from,
                              const AlsoWrite& also, const std::function<bool()>& proceed) {
  auto plans = Plan(store, events, from);
  if (!plans) return std::move(plans).error();

  std::vector<app::MailMessage> messages;
  for (auto& plan : *plans) {
    if (plan.outcome == MailOutcome::kSent) messages.push_back(plan.message);
  }
  std::vector<Status> statuses = mailer.SendEach(messages, proceed);

  // The events handled: those before the first message not delivered (a
  // transient failure, or one the mailer was told not to send).
  MailedBatch batch;
  std::vector<app::EmailRecord> records;
  const int64_t sent_at = clock.NowMillis();
  size_t next_status = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    const Planned& plan = (*plans)[i];
    if (plan.outcome != MailOutcome::kSent) {
      batch.outcomes.push_back(plan.outcome);
      continue;
    }
    if (next_status == statuses.size()) break;  // not attempted
    const Status& sent = statuses[next_status++];
    // A permanent refusal is recorded (so an operator can see it) and the
    // batch moves on; anything else is retried later.
    if (!sent.ok() && sent.error().code != ErrorCode::kInvalidArgument) {
      batch.failure = sent.error();
      break;
    }
    app::EmailRecord record;
    record.event_id = events[i].id;
    record.tenant_id = events[i].tenant_id;
    record.recipient = plan.message.to;
    record.subject = plan.message.subject;
    record.transport = mailer.Transport();
    record.sent_at = sent_at;
    if (!sent.ok()) {
      record.failure = sent.error().detail.empty() ? sent.error().message : sent.error().detail;
    }
    records.push_back(std::move(record));
    batch.outcomes.push_back(sent.ok() ? MailOutcome::kSent : MailOutcome::kRefused);
  }
  if (batch.outcomes.empty() || (records.empty() && !also)) return batch;

  const int64_t last_event_id = events[batch.outcomes.size() - 1].id;
  SHIPLINE_RETURN_IF_ERROR(store.Write([&](app::StoreWriter& tx) -> Status {
    for (const auto& record : records) SHIPLINE_RETURN_IF_ERROR(tx.Events().RecordEmail(record));
    return also ? also(tx, last_event_id) : Ok();
  }));
  size_t next_record = 0;
  for (size_t i = 0; i < batch.outcomes.size(); ++i) {
    MailOutcome outcome = batch.outcomes[i];
    if (outcome == MailOutcome::kSent || outcome == MailOutcome::kRefused) {
      LogOutcome(events[i], outcome, records[next_record++]);
    }
  }
  return batch;
}

}  // namespace

Result<MailedBatch> MailShipmentEvents(app::Store& store, app::Mailer& mailer, app::Clock& clock,
                                       const std::vector<domain::Event>& events,
                                       const std::string& from, const AlsoWrite& also,
                                       const std::function<bool()>& proceed) {
  if (mailer.RepeatsAreHarmless())
    return MailBatch(store, mailer, clock, events, from, also, proceed);
  // A message sent again would reach the customer twice: each one is
  // recorded before the next goes, so a crash repeats at most one.
  MailedBatch all;
  for (const auto& event : events) {
    auto one = MailBatch(store, mailer, clock, {event}, from, also, proceed);
    if (!one) {
      if (all.outcomes.empty()) return one;
      all.failure = std::move(one).error();  // what came before is recorded
      break;
    }
    all.outcomes.insert(all.outcomes.end(), one->outcomes.begin(), one->outcomes.end());
    if (one->failure || one->outcomes.empty()) {
      all.failure = std::move(one->failure);
      break;
    }
  }
  return all;
}

}  // namespace shipline::workers
