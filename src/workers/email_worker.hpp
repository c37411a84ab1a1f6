#pragma once

// The email handler: an event consumer that sends the customer's shipment
// confirmation for every order-shipment-shipped event.
//
// It reads a batch of events after its saved position and mails them: .eml
// files are written together, with one folder sync, and recorded with the new
// position in one transaction; over SMTP (one connection for consecutive
// messages) each email is recorded with its position before the next is
// sent, so that a crash repeats at most one. After a crash or restart it
// resumes where it stopped and never mails an event that is recorded as sent. An email whose
// transport fails is retried with backoff (the position does not advance past it), up to a limit
// after which the event is recorded as failed and skipped.

#include <chrono>
#include <string>
#include <vector>

#include "app/clock.hpp"
#include "app/event_signal.hpp"
#include "app/mailer.hpp"
#include "app/metrics/registry.hpp"
#include "app/store.hpp"
#include "workers/consumer_loop.hpp"
#include "workers/position_reader.hpp"

namespace shipline::workers {

class EmailWorker {
 public:
  struct Options {
    std::string from = "shipline@localhost";
    std::chrono::milliseconds poll{1000};        // also picks up other nodes' events
    std::chrono::milliseconds first_retry{500};  // doubles per failed attempt
    std::chrono::milliseconds max_retry{30'000};
    int max_attempts = 50;
    // Several nodes: one at a time sends (see ConsumerLease); longer than
    // the SMTP timeout.
    std::chrono::milliseconds lease{60'000};
    // Where emails are counted as sent or failed (not owned); none: not counted.
    app::metrics::Registry* metrics = nullptr;
  };

  EmailWorker(app::Store& store, app::Mailer& mailer, app::Clock& clock, app::EventSignal& signal,
              Options options);
  ~EmailWorker() { Stop(); }

  void Start() { loop_.Start(); }
  void Stop();

  // Processes what is pending now; returns the number of events handled.
  // Used by the thread and by tests.
  Result<int> RunOnce();

  static constexpr const char* kConsumer = "email";

 private:
  // Mails `events` in order as one batch (see PositionReader::Handler).
  Result<int> MailEach(const std::vector<domain::Event>& events);

  app::Store& store_;
  app::Mailer& mailer_;
  app::Clock& clock_;
  Options options_;
  PositionReader reader_;
  int failures_ = 0;  // consecutive failures of the event at the head
  app::metrics::Counter* sent_ = nullptr;
  app::metrics::Counter* failed_ = nullptr;
  ConsumerLoop loop_;
};

}  // namespace shipline::workers
