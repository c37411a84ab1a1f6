#include "workers/mail_event.hpp"

#include <optional>

#include "app/event_payloads.hpp"
#include "app/log.hpp"
#include "app/shipment_email.hpp"
#include "app/storefronts.hpp"

namespace shipline::workers {

Result<MailOutcome> MailShipmentEvent(app::Store& store, app::Mailer& mailer, app::Clock& clock,
                                      const domain::Event& event, const std::string& from,
                                      const AlsoWrite& also) {
  auto write_also = [&](MailOutcome outcome) -> Result<MailOutcome> {
    if (also) SHIPLINE_RETURN_IF_ERROR(store.Write(also));
    return outcome;
  };
  // Which events mail the customer, and whether this one does (the order
  // API's sendEmail, the store's setting), travels on the event itself.
  if (!app::WantsCustomerEmail(event)) return write_also(MailOutcome::kNotMailed);

  std::optional<domain::Order> order;
  std::optional<domain::Shipment> shipment;
  std::string sender = from;  // the store's own sender, when it has one
  bool already_sent = false;
  SHIPLINE_RETURN_IF_ERROR(store.Read([&](app::StoreReader& reader) -> Status {
    auto sent = reader.Events().EmailSent(event.id);
    if (!sent) return std::move(sent).error();
    already_sent = *sent;
    if (already_sent) return Ok();
    auto found = reader.Orders().FindShipment(event.tenant_id, event.subject);
    if (!found) return std::move(found).error();
    shipment = std::move(*found);
    if (!shipment) return Ok();
    auto owner = reader.Orders().FindById(event.tenant_id, shipment->order_id);
    if (!owner) return std::move(owner).error();
    order = std::move(*owner);
    if (!order) return Ok();
    auto settings = app::LoadStorefront(reader, event.tenant_id, order->store);
    if (!settings) return std::move(settings).error();
    if (!settings->sender.empty()) sender = settings->sender;
    return Ok();
  }));
  if (already_sent) return write_also(MailOutcome::kAlreadySent);
  if (!shipment || !order) return write_also(MailOutcome::kNotMailed);

  app::MailMessage message = app::ShipmentEmail(*order, *shipment, event, sender);
  Status sent = mailer.Send(message);
  // A transient failure is retried by the caller; a permanent refusal is
  // recorded (so an operator can see it) and the consumer moves on.
  if (!sent.ok() && sent.error().code != ErrorCode::kInvalidArgument) return sent.error();
  app::EmailRecord record;
  record.event_id = event.id;
  record.tenant_id = event.tenant_id;
  record.recipient = message.to;
  record.subject = message.subject;
  record.transport = mailer.Transport();
  record.sent_at = clock.NowMillis();
  if (!sent.ok()) {
    record.failure = sent.error().detail.empty() ? sent.error().message : sent.error().detail;
  }
  SHIPLINE_RETURN_IF_ERROR(store.Write([&](app::StoreWriter& tx) -> Status {
    SHIPLINE_RETURN_IF_ERROR(tx.Events().RecordEmail(record));
    return also ? also(tx) : Ok();
  }));
  if (!sent.ok()) {
    app::LogWarn("email refused", app::LogFields()
                                      .Add("event_id", event.id)
                                      .Add("shipment", event.subject)
                                      .Add("detail", record.failure));
    return MailOutcome::kRefused;
  }
  app::LogInfo("email sent", app::LogFields()
                                 .Add("event_id", event.id)
                                 .Add("shipment", event.subject)
                                 .Add("transport", mailer.Transport()));
  return MailOutcome::kSent;
}

}  // namespace shipline::workers
