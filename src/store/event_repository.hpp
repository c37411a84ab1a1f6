#pragma once

// The event repository (see app/event_repository.hpp for the contract),
// written once for both engines on the sql::Db of the transaction that owns
// it. An insert first lets the engine order event ids by commit
// (Db::OrderEvents: a transaction-level advisory lock on PostgreSQL, nothing
// on SQLite's single writer), fans the event out to webhook deliveries in
// the same transaction, and asks the store to wake the consumers after the
// commit.

#include "app/event_repository.hpp"
#include "app/webhooks/webhook_repository.hpp"
#include "store/sql/db.hpp"
#include "store/webhook_repository.hpp"

namespace shipline::store {

class EventRepository final : public app::EventRepository {
 public:
  // An inserted event's deliveries are written through `webhooks`.
  EventRepository(sql::Db& db, WebhookRepository& webhooks) : db_(db), webhooks_(webhooks) {}

  Status Insert(domain::Event& event) override;
  // Starts the reads an Insert for `tenant_id` makes (the subscriptions it
  // fans out to), so that they go with the statements before it
  // (Db::Prefetch).
  Status PrefetchFanOut(int64_t tenant_id);
  Result<std::vector<domain::Event>> List(std::optional<int64_t> tenant_id, int64_t after_id,
                                          int limit) override;
  Result<int64_t> Position(std::string_view consumer) override;
  Status SetPosition(std::string_view consumer, int64_t position) override;
  Result<bool> Lease(std::string_view consumer, std::string_view owner, int64_t expires_at,
                     int64_t now) override;
  Result<app::ConsumerBacklog> Backlog(std::string_view consumer, int64_t cap) override;
  Result<app::ConsumerBacklog> WebhookBacklog(int64_t cap) override;
  Result<std::vector<app::ConsumerPosition>> Positions() override;
  Result<int64_t> NewestEventId(int64_t tenant_id, int64_t at_most) override;
  Result<app::ConsumerBacklog> TenantBacklog(int64_t tenant_id, int64_t after_id,
                                             int64_t cap) override;
  Result<app::ConsumerBacklog> TenantWebhookBacklog(int64_t tenant_id, int64_t cap) override;
  Result<std::vector<domain::Event>> ListForOrder(int64_t tenant_id, int64_t order_id,
                                                  int limit) override;
  Result<std::vector<app::EmailRecord>> EmailsForOrder(int64_t tenant_id,
                                                       int64_t order_id) override;
  Result<bool> EmailSent(int64_t event_id) override;
  Status RecordEmail(const app::EmailRecord& email) override;

 private:
  sql::Db& db_;
  WebhookRepository& webhooks_;
};

}  // namespace shipline::store
