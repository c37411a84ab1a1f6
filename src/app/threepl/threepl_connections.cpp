#include "app/threepl/threepl_connections.hpp"

#include "app/password_hash.hpp"
#include "app/webhooks/webhook_repository.hpp"
#include "domain/text_limits.hpp"

namespace shipline::app::threepl {

namespace {

constexpr size_t kMaxName = domain::MaxTextBytes(domain::TextKind::kName);

Error Unauthenticated() {
  return {ErrorCode::kUnauthenticated, "missing or invalid 3PL credentials", "", ""};
}

}  // namespace

Result<NewConnection> ThreePlConnections::Create(const Actor& actor, std::string_view name) {
  if (name.find_first_not_of(" \t") == std::string_view::npos || name.size() > kMaxName) {
    return Error::Invalid("name must be 1 to 200 characters", "name");
  }
  NewConnection out;
  out.password = ids_.NewToken(24);
  Connection& c = out.connection;
  c.tenant_id = actor.tenant_id;
  c.name = std::string(name);
  c.username = "3pl_" + ids_.NewToken(8);
  c.password_hash = HashPassword(out.password);
  c.created_at = clock_.NowMillis();
  SHIPLINE_RETURN_IF_ERROR(store_.Write([&](StoreWriter& tx) -> Status {
    auto existing = tx.ThreePl().ListConnections(actor.tenant_id);
    if (!existing) return std::move(existing).error();
    size_t live = 0;
    for (const auto& connection : *existing) live += connection.revoked_at ? 0 : 1;
    if (live >= kMaxPerTenant) {
      return Error{ErrorCode::kResourceExhausted, "a tenant may have at most 100 3PL connections",
                   "", ""};
    }
    return tx.ThreePl().InsertConnection(c);
  }));
  return out;
}

Result<std::vector<Connection>> ThreePlConnections::List(const Actor& actor) {
  std::vector<Connection> out;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
    auto found = reader.ThreePl().ListConnections(actor.tenant_id);
    if (!found) return std::move(found).error();
    out = std::move(*found);
    return Ok();
  }));
  return out;
}

Status ThreePlConnections::Revoke(const Actor& actor, int64_t id) {
  int64_t now = clock_.NowMillis();
  return store_.Write([&](StoreWriter& tx) -> Status {
    auto revoked = tx.ThreePl().RevokeConnection(actor.tenant_id, id, now);
    if (!revoked) return std::move(revoked).error();
    if (!*revoked) return Error::NotFound("3PL connection not found: " + std::to_string(id));
    return Ok();
  });
}

Result<Connection> ThreePlConnections::Authenticate(std::string_view username,
                                                    std::string_view password) {
  if (username.empty() || password.empty() || username.size() > 64 || password.size() > 256) {
    return Unauthenticated();
  }
  std::optional<Connection> found;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
    auto row = reader.ThreePl().FindConnection(username);
    if (!row) return std::move(row).error();
    found = std::move(*row);
    return Ok();
  }));
  if (!found || found->revoked_at) return Unauthenticated();
  PasswordCheck check = CheckPassword(found->password_hash, password);
  if (!check.matches) return Unauthenticated();
  if (check.needs_upgrade) {
    // An older (unsalted or weaker) hash: replace it now that the password
    // is known. A failure here costs nothing but a later retry.
    std::string upgraded = HashPassword(password);
    Status stored = store_.Write([&](StoreWriter& tx) -> Status {
      return tx.ThreePl().ReplacePasswordHash(found->id, found->password_hash, upgraded);
    });
    if (stored.ok()) found->password_hash = std::move(upgraded);
  }
  return std::move(*found);
}

}  // namespace shipline::app::threepl
