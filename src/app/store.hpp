#pragma once

// The store port: the only way the app layer reads and writes state. A
// transaction hands out one small repository per aggregate (tenants and keys;
// orders and shipments; operator queries over them; events and their consumers; webhooks; 3PL;
// shipping orders; the delivery network; storefronts), each declared in its own header here in
// app/. The store implements them once, for both engines (SQLite, the embedded default; PostgreSQL,
// several nodes), in src/store/; both pass tests/unit/store_suite_test.cpp.

#include <functional>
#include <memory>

#include "app/event_repository.hpp"
#include "app/event_signal.hpp"
#include "app/idempotency_repository.hpp"
#include "app/master_key_ring.hpp"
#include "app/metrics/registry.hpp"
#include "app/order_repository.hpp"
#include "app/pass_through_repository.hpp"
#include "app/query_repository.hpp"
#include "app/request_claim.hpp"
#include "app/secret_repository.hpp"
#include "app/shipping_orders/delivery_network_repository.hpp"
#include "app/shipping_orders/shipping_order_repository.hpp"
#include "app/storefront_cache.hpp"
#include "app/storefront_repository.hpp"
#include "app/tenant_repository.hpp"
#include "app/threepl/threepl_repository.hpp"
#include "app/webhooks/webhook_repository.hpp"
#include "domain/result.hpp"

namespace shipline::app {

// One transaction's repositories. Inside Store::Read (a StoreReader) only
// their read methods may be called: the transaction is read-only and a write
// fails. Every method scoped by tenant sees only that tenant's rows.
class StoreReader {
 public:
  virtual ~StoreReader() = default;

  virtual TenantRepository& Tenants() = 0;
  virtual OrderRepository& Orders() = 0;
  virtual EventRepository& Events() = 0;
  virtual webhooks::WebhookRepository& Webhooks() = 0;
  virtual threepl::ThreePlRepository& ThreePl() = 0;
  virtual ShippingOrderRepository& ShippingOrders() = 0;
  virtual DeliveryNetworkRepository& DeliveryNetwork() = 0;
  virtual StorefrontRepository& Storefronts() = 0;
  virtual QueryRepository& Queries() = 0;
  virtual SecretRepository& Secrets() = 0;
  virtual PassThroughRepository& PassThrough() = 0;
  virtual IdempotencyRepository& IdempotencyKeys() = 0;
};

// The same repositories inside Store::Write, where their write methods may be
// called too.
class StoreWriter : public StoreReader {};

class Store {
 public:
  virtual ~Store() = default;

  // The consumers to wake after every commit that wrote an event or made a
  // webhook delivery due; use cases never wake them themselves. Set once,
  // before the first Write; none by default.
  void WakeOnCommit(EventSignal* signal) { wake_ = signal; }

  // Reports every group commit to `registry` (which outlives the store): the
  // callers it answered and how long the transaction took. Set once, before
  // the first Write; nothing is reported by default.
  void MeasureCommits(metrics::Registry& registry) {
    commit_sizes_ = &registry.GetHistogram("shipline_store_commit_batch_size",
                                           "Store.Write callers answered by one group commit.",
                                           {1, 2, 4, 8, 16, 32, 64, 128, 256});
    commit_seconds_ = &registry.GetHistogram(
        "shipline_store_commit_duration_seconds",
        "Time a writer spent on one group, from its BEGIN to its answered COMMIT.",
        metrics::LatencyBuckets());
  }

  // Seals the secret columns on write, with the key of `keys` that the
  // database names as current, and opens them on read with the key each
  // value names (app/master_key_ring.hpp). Set once, before the first Read or
  // Write; without it, secrets are written as they are and sealed ones
  // cannot be read (stores in tests, commands that touch no secret).
  void SealSecretsWith(std::shared_ptr<const MasterKeyRing> keys) { keys_ = std::move(keys); }

  // Storefront settings recently read through this store (the paths that
  // read them on every request use it; Storefronts::Update drops what it
  // changes).
  StorefrontCache& storefront_cache() { return storefront_cache_; }

  // Runs `fn` on a consistent snapshot. Thread-safe; blocks.
  virtual Status Read(const std::function<Status(StoreReader&)>& fn) = 0;

  // Runs `fn` inside a write transaction and returns once its effects are
  // durable (committed and synced), or rolled back when `fn` fails. `fn` must
  // not block on anything but the store: implementations may run several
  // callers' functions in one transaction (group commit), each isolated by a
  // savepoint. kResourceExhausted when too many writes wait. A store shared
  // by several nodes (PostgreSQL) runs `fn` again when its transaction
  // deadlocks with another, so `fn` must be safe to run more than once: only
  // the run that committed counts.
  //
  // On a thread handling a request with an Idempotency-Key
  // (app/request_claim.hpp), `fn`'s savepoint also marks the request's claim
  // applied, so a change and the mark commit together; when the claim is no
  // longer the request's (another took it over), `fn` is rolled back and the
  // caller gets kConflict.
  Status Write(const std::function<Status(StoreWriter&)>& fn) {
    const RequestClaim* claim = RequestClaimScope::Current();
    if (claim == nullptr) return RunWrite(fn);
    return RunWrite([&fn, claim](StoreWriter& tx) -> Status {
      if (Status done = fn(tx); !done.ok()) return done;
      auto marked = tx.IdempotencyKeys().MarkApplied(claim->tenant_id, claim->key, claim->owner);
      if (!marked) return std::move(marked).error();
      if (!*marked) return Error::Conflict("another request took over this Idempotency-Key");
      return {};
    });
  }

 protected:
  // For implementations: Write without the request's claim.
  virtual Status RunWrite(const std::function<Status(StoreWriter&)>& fn) = 0;

  // For implementations: the master keys each transaction's repositories
  // seal and open with.
  const MasterKeyRing* secret_cipher() const { return keys_.get(); }

  // For implementations, after a commit whose transaction asked for it.
  void WakeConsumers() {
    if (wake_ != nullptr) wake_->Notify();
  }

  // For implementations' writers, after each group.
  void RecordCommit(size_t callers, double seconds) {
    if (commit_sizes_ == nullptr) return;
    commit_sizes_->Observe(static_cast<double>(callers));
    commit_seconds_->Observe(seconds);
  }

 private:
  EventSignal* wake_ = nullptr;
  std::shared_ptr<const MasterKeyRing> keys_;
  metrics::Histogram* commit_sizes_ = nullptr;
  metrics::Histogram* commit_seconds_ = nullptr;
  StorefrontCache storefront_cache_;
};

}  // namespace shipline::app
