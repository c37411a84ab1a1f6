#pragma once

// 3PL connections: the HTTP Basic credentials a tenant hands to one warehouse
// so that it can post shipment notifications to shipline. The password is
// generated, shown once, and stored only as a hash.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "app/store.hpp"
#include "app/threepl/threepl_types.hpp"

namespace shipline::app::threepl {

struct NewConnection {
  Connection connection;
  std::string password;  // shown once
};

class ThreePlConnections {
 public:
  static constexpr size_t kMaxPerTenant = 100;

  ThreePlConnections(Store& store, Clock& clock, IdSource& ids)
      : store_(store), clock_(clock), ids_(ids) {}

  // kInvalidArgument for a blank or overlong name; kResourceExhausted past
  // kMaxPerTenant live connections.
  Result<NewConnection> Create(const Actor& actor, std::string_view name);
  Result<std::vector<Connection>> List(const Actor& actor);
  // kNotFound when there is no such live connection.
  Status Revoke(const Actor& actor, int64_t id);

  // The live connection behind a username and password. kUnauthenticated for
  // an unknown username, a wrong password or a revoked connection (the same
  // answer for all three).
  Result<Connection> Authenticate(std::string_view username, std::string_view password);

 private:
  Store& store_;
  Clock& clock_;
  IdSource& ids_;
};

}  // namespace shipline::app::threepl
