#pragma once

// Mailing the customer's shipment confirmations for events: the step that
// the in-process email worker and the broker's email consumer share.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/clock.hpp"
#include "app/mailer.hpp"
#include "app/store.hpp"
#include "domain/event.hpp"

namespace shipline::workers {

enum class MailOutcome {
  kSent,         // the email went out and is recorded
  kAlreadySent,  // the store records it as sent before: nothing was sent
  kNotMailed,    // not an event the customer is mailed about (see
                 // app::WantsCustomerEmail), or its shipment is gone
  kRefused,      // the transport refused it for good; recorded as a failed email
};

// Writes that must commit together with the record of the emails, given the
// id of the last event handled (e.g. a consumer position). May be empty.
using AlsoWrite = std::function<Status(app::StoreWriter&, int64_t last_event_id)>;

// What MailShipmentEvents did with its events.
struct MailedBatch {
  // One per event handled, in order: a leading part of the events.
  std::vector<MailOutcome> outcomes;
  // Why the event after them was not handled (the mailer's error, usually
  // kUnavailable: retry later), or why the batch ended early (nothing: the
  // mailer was told to stop).
  std::optional<Error> failure;
};

// Sends the confirmations for `events` (in id order). When the mailer's
// repeats are harmless (.eml files) they go as one batch: one read of what
// they need, the messages handed to the mailer together (Mailer::SendEach,
// asking `proceed` before each), then one durable write that records every
// email of the events handled (RecordEmail, keyed by the event id) with
// `also`. Otherwise (SMTP) each event is read, sent and recorded with `also`
// before the next, so that a crash sends at most one email twice. An event the
// store records as mailed is not sent again. `also` runs whenever at least one
// event was handled, even if nothing was sent.
//
// Fails, having recorded nothing, when the store cannot be read or written
// for the first event (a later store failure ends the events handled, with
// it as `failure`). An email that was sent but could not be recorded may be
// sent again on a retry; its Message-ID is the same, so mail systems can tell.
Result<MailedBatch> MailShipmentEvents(app::Store& store, app::Mailer& mailer, app::Clock& clock,
                                       const std::vector<domain::Event>& events,
                                       const std::string& from, const AlsoWrite& also,
                                       const std::function<bool()>& proceed);

}  // namespace shipline::workers
