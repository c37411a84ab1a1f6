#pragma once

// One transaction's repositories, written once for both engines on the
// sql::Db seam, inside the transaction that the engine's store opened
// (SqliteStore, PgStore): the StoreWriter (and StoreReader) of app/store.hpp.

#include "app/store.hpp"
#include "store/delivery_network_repository.hpp"
#include "store/event_repository.hpp"
#include "store/idempotency_repository.hpp"
#include "store/order_queries.hpp"
#include "store/order_repository.hpp"
#include "store/pass_through_repository.hpp"
#include "store/secret_columns.hpp"
#include "store/secret_repository.hpp"
#include "store/shipping_order_repository.hpp"
#include "store/sql/db.hpp"
#include "store/storefront_repository.hpp"
#include "store/tenant_repository.hpp"
#include "store/threepl_repository.hpp"
#include "store/webhook_repository.hpp"

namespace shipline::store {

class Transaction final : public app::StoreWriter {
 public:
  // `keys` seal and open the secret columns; nullptr for none.
  Transaction(sql::Db& db, const app::MasterKeyRing* keys)
      : secret_columns_(db, keys),
        tenants_(db),
        webhooks_(db, secret_columns_),
        events_(db, webhooks_),
        orders_(db, events_),
        threepl_(db),
        shipping_orders_(db),
        delivery_network_(db, secret_columns_),
        storefronts_(db),
        queries_(db, secret_columns_),
        secrets_(db),
        pass_through_(db),
        idempotency_keys_(db, secret_columns_) {}

  app::TenantRepository& Tenants() override { return tenants_; }
  app::OrderRepository& Orders() override { return orders_; }
  app::EventRepository& Events() override { return events_; }
  app::webhooks::WebhookRepository& Webhooks() override { return webhooks_; }
  app::threepl::ThreePlRepository& ThreePl() override { return threepl_; }
  app::ShippingOrderRepository& ShippingOrders() override { return shipping_orders_; }
  app::DeliveryNetworkRepository& DeliveryNetwork() override { return delivery_network_; }
  app::StorefrontRepository& Storefronts() override { return storefronts_; }
  app::QueryRepository& Queries() override { return queries_; }
  app::SecretRepository& Secrets() override { return secrets_; }
  app::PassThroughRepository& PassThrough() override { return pass_through_; }
  app::IdempotencyRepository& IdempotencyKeys() override { return idempotency_keys_; }

 private:
  SecretColumns secret_columns_;
  TenantRepository tenants_;
  WebhookRepository webhooks_;
  EventRepository events_;
  OrderRepository orders_;
  ThreePlRepository threepl_;
  ShippingOrderRepository shipping_orders_;
  DeliveryNetworkRepository delivery_network_;
  StorefrontRepository storefronts_;
  QueryRepository queries_;
  SecretRepository secrets_;
  PassThroughRepository pass_through_;
  IdempotencyRepository idempotency_keys_;
};

}  // namespace shipline::store
