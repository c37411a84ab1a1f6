#pragma once

// The tenant's API keys over the native API (every route needs admin):
// GET /api/v1/api-keys, POST /api/v1/api-keys (the secret is in the answer,
// once) and DELETE /api/v1/api-keys/{keyId} (revokes). `shipline keys list`
// prints keys in the same shape.

#include <optional>
#include <string_view>

#include "app/api_keys.hpp"
#include "http/json_io.hpp"
#include "http/router.hpp"

namespace shipline::http::native {

// {"id", "name", "scopes": [...], "prefix" (null when unknown), "createdAt",
//  "lastUsedAt", "expiresAt", "revokedAt" (ISO 8601 or null)}.
json::object ApiKeyJson(const app::ApiKeyRecord& key);

// A time as `--expires` and "expiresAt" take it (ISO 8601); kInvalidArgument
// naming `field` when malformed.
Result<int64_t> ParseKeyExpiry(std::string_view text, std::string_view field);

void AddApiKeyRoutes(Router& router, app::ApiKeys& keys);

}  // namespace shipline::http::native
