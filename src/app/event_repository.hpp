#pragma once

// The store's part for the outbox: events, the saved positions (and leases)
// of the consumers that read them in id order, and the emails sent for them.
// Reached through StoreReader::Events() inside Store::Read or Store::Write;
// Insert, SetPosition, Lease and RecordEmail only inside Store::Write.
// Failures are kInternal with the database's message in the detail. Lives as
// long as its transaction, on that transaction's thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/event.hpp"
#include "domain/result.hpp"

namespace shipline::app {

struct EmailRecord {
  int64_t event_id = 0;
  int64_t tenant_id = 0;
  std::string recipient;
  std::string subject;
  std::string transport;  // "smtp" or "file"
  int64_t sent_at = 0;    // when sent, or when given up
  std::string failure;    // empty when sent; else why it was given up
};

// How far an event consumer is behind: the events after its saved position
// (counted up to a cap) and when the first of them was written.
struct ConsumerBacklog {
  int64_t behind = 0;                        // at most the cap asked for
  std::optional<int64_t> oldest_created_at;  // none when it is not behind
};

// A position-based consumer's saved position (an event id).
struct ConsumerPosition {
  std::string consumer;
  int64_t position = 0;
};

class EventRepository {
 public:
  virtual ~EventRepository() = default;

  // Writes `event` with its typed headers and fills in its id, which
  // increases in the order the transactions that write events commit. The
  // event's webhook deliveries are written with it, and the event consumers
  // are woken once the transaction commits.
  virtual Status Insert(domain::Event& event) = 0;

  // Events with id > after_id in id order, at most `limit`; every tenant's
  // when tenant_id is empty (for workers).
  virtual Result<std::vector<domain::Event>> List(std::optional<int64_t> tenant_id,
                                                  int64_t after_id, int limit) = 0;

  // The saved position of an event consumer; 0 before its first save.
  virtual Result<int64_t> Position(std::string_view consumer) = 0;
  virtual Status SetPosition(std::string_view consumer, int64_t position) = 0;
  // Takes or renews the lease that lets one process at a time advance the
  // position-based consumer `consumer`: true when `owner` holds it until
  // `expires_at` (its own lease renewed, or a free or expired one taken);
  // false, changing nothing, while another owner's lease runs past `now`.
  // An `expires_at` <= `now` gives the lease up. A single-node store (SQLite,
  // whose data folder one server owns) always returns true.
  virtual Result<bool> Lease(std::string_view consumer, std::string_view owner, int64_t expires_at,
                             int64_t now) = 0;

  // The backlog of the position-based consumer `consumer` (0 before its
  // first save), counting at most `cap` events so that a large backlog costs
  // a bounded read.
  virtual Result<ConsumerBacklog> Backlog(std::string_view consumer, int64_t cap) = 0;
  // The same for webhook deliveries: pending ones (at most `cap`) and the
  // oldest creation time among those counted.
  virtual Result<ConsumerBacklog> WebhookBacklog(int64_t cap) = 0;

  // Every saved consumer position, by consumer name (a handful of rows).
  virtual Result<std::vector<ConsumerPosition>> Positions() = 0;
  // The id of `tenant_id`'s newest event with id <= `at_most`; 0 when none.
  virtual Result<int64_t> NewestEventId(int64_t tenant_id, int64_t at_most) = 0;
  // Of `tenant_id`'s events, those after `after_id` (at most `cap`, through
  // the (tenant_id, id) index) and the oldest creation time among them.
  virtual Result<ConsumerBacklog> TenantBacklog(int64_t tenant_id, int64_t after_id,
                                                int64_t cap) = 0;
  // Of `tenant_id`'s webhook deliveries, the pending ones (at most `cap`).
  virtual Result<ConsumerBacklog> TenantWebhookBacklog(int64_t tenant_id, int64_t cap) = 0;

  // The events about order `order_id` of `tenant_id` in id order, at most
  // `limit`, and the emails recorded for those events.
  virtual Result<std::vector<domain::Event>> ListForOrder(int64_t tenant_id, int64_t order_id,
                                                          int limit) = 0;
  virtual Result<std::vector<EmailRecord>> EmailsForOrder(int64_t tenant_id, int64_t order_id) = 0;

  virtual Result<bool> EmailSent(int64_t event_id) = 0;
  // Records an email sent (or given up) for an event; a second record of
  // the same event changes nothing.
  virtual Status RecordEmail(const EmailRecord& email) = 0;
};

}  // namespace shipline::app
