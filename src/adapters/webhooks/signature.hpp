#pragma once

// Standard Webhooks signatures (standardwebhooks.com): HMAC-SHA256 over
// "{webhook-id}.{webhook-timestamp}.{body}", keyed with the decoded
// "whsec_" secret, written as "v1," + base64. While a secret is rotated the
// header carries one signature per live secret, separated by spaces.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.hpp"

namespace shipline::adapters::webhooks {

// The "v1,<base64>" signature of one message. kInvalidArgument when the
// secret is not a valid "whsec_" secret.
Result<std::string> Sign(std::string_view secret, std::string_view message_id, int64_t timestamp,
                         std::string_view body);

// The webhook-signature header value for every secret, in the given order.
Result<std::string> SignatureHeader(const std::vector<std::string>& secrets,
                                    std::string_view message_id, int64_t timestamp,
                                    std::string_view body);

}  // namespace shipline::adapters::webhooks
