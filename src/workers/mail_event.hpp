#pragma once

// Mailing the customer's shipment confirmation for one event: the step that
// the in-process email worker and the broker's email consumer share.

#include <functional>
#include <string>

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

// Writes that must commit together with the record of the email (e.g. a
// consumer position). May be empty.
using AlsoWrite = std::function<Status(app::StoreWriter&)>;

// Sends the confirmation for `event` unless the store records it as sent,
// then records it (RecordEmail, keyed by the event id) in one durable write
// with `also`. When nothing is sent, `also` still runs, in a write of its own.
//
// Fails, having recorded nothing, when the store cannot be read or written
// (kInternal) or the mailer fails (its error, usually kUnavailable): the
// caller retries later. An email that was sent but could not be recorded may
// be sent again on that retry; its Message-ID is the same, so mail systems
// can tell.
Result<MailOutcome> MailShipmentEvent(app::Store& store, app::Mailer& mailer, app::Clock& clock,
                                      const domain::Event& event, const std::string& from,
                                      const AlsoWrite& also);

}  // namespace shipline::workers
