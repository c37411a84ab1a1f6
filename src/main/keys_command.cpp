// `shipline keys create|list|revoke`: API keys from the command line. Each
// opens the store itself, so they work while a server runs on the same data
// folder (SQLite takes one writer at a time and waits for the server's) or
// database; a server notices a revocation within ApiKeys::kCacheMillis.

#include <iostream>

#include "app/api_keys.hpp"
#include "app/log.hpp"
#include "http/native/api_keys_codec.hpp"
#include "main/commands.hpp"
#include "main/data_folder.hpp"

namespace shipline::main {

namespace {

// Runs `command` on ApiKeys over the store of `data` / `database`; prints
// errors and returns the exit code (2 for bad input, 1 otherwise).
template <typename Command>
int WithKeys(const std::string& data, const DatabaseConfig& database, Command command) {
  SetUpJsonLogging();
  auto store = OpenStore(data, database);
  if (!store) {
    std::cerr << "shipline: cannot open the store: " << store.error().detail << "\n";
    return 1;
  }
  app::SystemClock clock;
  app::RandomIdSource ids;
  app::ApiKeys keys(**store, clock, ids);
  Status done = command(keys, clock);
  if (done.ok()) return 0;
  std::cerr << "shipline: " << done.error().message << " " << done.error().detail << "\n";
  return done.error().code == ErrorCode::kInvalidArgument ||
                 done.error().code == ErrorCode::kNotFound
             ? 2
             : 1;
}

}  // namespace

int CreateKey(const std::string& data, const DatabaseConfig& database, const KeyOptions& options) {
  app::KeySpec spec;
  spec.name = options.name;
  for (const auto& name : options.scopes) {
    auto scope = app::ParseScope(name);
    if (!scope) {
      std::cerr << "shipline: --scopes may hold only read, write and admin, got " << name << "\n";
      return 2;
    }
    spec.scopes.Add(*scope);
  }
  if (!options.expires.empty()) {
    auto at = http::native::ParseKeyExpiry(options.expires, "--expires");
    if (!at) {
      std::cerr << "shipline: " << at.error().message << "\n";
      return 2;
    }
    spec.expires_at = *at;
  }
  return WithKeys(data, database, [&](app::ApiKeys& keys, app::Clock&) -> Status {
    auto key = keys.Create(options.tenant, spec);
    if (!key) return std::move(key).error();
    std::cout << key->secret << std::endl;
    return Ok();
  });
}

int ListKeys(const std::string& data, const DatabaseConfig& database, const std::string& tenant) {
  return WithKeys(data, database, [&](app::ApiKeys& keys, app::Clock&) -> Status {
    auto found = keys.ListForOperator(tenant);
    if (!found) return std::move(found).error();
    // One JSON object per line, as the API shows a key, with its tenant.
    for (const auto& key : *found) {
      auto line = http::native::ApiKeyJson(key);
      line["tenantId"] = key.tenant_id;
      std::cout << boost::json::serialize(line) << "\n";
    }
    std::cout.flush();
    return Ok();
  });
}

int RevokeKey(const std::string& data, const DatabaseConfig& database, int64_t key_id) {
  return WithKeys(data, database, [&](app::ApiKeys& keys, app::Clock&) -> Status {
    SHIPLINE_RETURN_IF_ERROR(keys.RevokeForOperator(key_id));
    std::cout << "revoked " << key_id << std::endl;
    return Ok();
  });
}

}  // namespace shipline::main
