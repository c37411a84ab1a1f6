#pragma once

// The 3PL repository (see app/threepl/threepl_repository.hpp for the
// contract), written once for both engines on the sql::Db of the transaction
// that owns it. Inside a write, reading a notification before updating it
// locks its row (Db::RowLock).

#include "app/threepl/threepl_repository.hpp"
#include "store/sql/db.hpp"

namespace shipline::store {

class ThreePlRepository final : public app::threepl::ThreePlRepository {
 public:
  explicit ThreePlRepository(sql::Db& db) : db_(db) {}

  Status InsertConnection(app::threepl::Connection& connection) override;
  Result<std::optional<app::threepl::Connection>> FindConnection(
      std::string_view username) override;
  Result<std::vector<app::threepl::Connection>> ListConnections(int64_t tenant_id) override;
  Result<bool> RevokeConnection(int64_t tenant_id, int64_t id, int64_t now) override;
  Status ReplacePasswordHash(int64_t id, std::string_view old_hash,
                             std::string_view new_hash) override;
  Status RecordNotification(app::threepl::InboundNotification& notification) override;
  Result<std::optional<app::threepl::InboundNotification>> FindNotification(int64_t tenant_id,
                                                                            int64_t id) override;
  Result<std::vector<app::threepl::InboundNotification>> ListNotifications(
      int64_t tenant_id, std::optional<app::threepl::NotificationStatus> status, int64_t before_id,
      int limit) override;

  Result<int> InsertPackages(int64_t shipment_id,
                             const std::vector<domain::Package>& packages) override;
  Result<std::vector<domain::Package>> ListPackages(int64_t shipment_id) override;
  Status SaveReport(int64_t shipment_id, const app::threepl::ShipmentReport& report) override;
  Result<app::threepl::ShipmentReport> FindReport(int64_t shipment_id) override;
  Status ResizeShipmentItem(int64_t shipment_id, const domain::ShipmentItem& item) override;

 private:
  sql::Db& db_;
};

}  // namespace shipline::store
