#pragma once

// Idempotency keys on every write (the IETF draft "The Idempotency-Key HTTP
// Header Field", as Stripe practises it). A request carrying a key first
// claims it in a small transaction of its own (Claim); its handler then runs
// under the claim, and every Store::Write it makes marks the claim applied in
// the same transaction as the change (app/request_claim.hpp); the answer is
// stored after the handler (Answer), or, for a server fault, the key is
// forgotten (Release) so that the client can retry.
//
// A claim is owned by one request (a random token) for a lease. A request
// finding the key:
// - answered, with the same method, target and body: replays the answer;
// - with another method, target or body: kMismatch;
// - claimed and the lease running: kInFlight;
// - claimed, lease over, nothing applied (the owner died before changing
//   anything, or gave up): takes the claim over and runs;
// - claimed, lease over, applied but unanswered (the owner died between its
//   change and its answer): kOutcomeUnknown. The handler is never run again
//   for such a key, since not every write refuses a second run (a second
//   API key or webhook subscription would simply be created), and the answer
//   that was lost cannot be rebuilt.
// Keys are kept `retention` (at least 24 h) and then pruned (Prune).
// Thread-safe.

#include <cstdint>
#include <optional>
#include <string>

#include "app/clock.hpp"
#include "app/idempotency_repository.hpp"
#include "app/request_claim.hpp"
#include "app/store.hpp"
#include "domain/result.hpp"

namespace shipline::app {

struct IdempotentRequest {
  int64_t tenant_id = 0;
  std::string key;
  std::string method;
  std::string target;  // path and query as sent
  std::string body;
};

enum class ClaimOutcome {
  kClaimed,         // run the handler under `claim`, then Answer or Release
  kReplay,          // answer `answer` again
  kMismatch,        // the key was used for another request: 422
  kInFlight,        // the first request is still being processed: 409
  kOutcomeUnknown,  // the first request changed state but its answer was lost: 409
};

struct ClaimResult {
  ClaimOutcome outcome = ClaimOutcome::kClaimed;
  RequestClaim claim;                  // kClaimed
  std::optional<StoredAnswer> answer;  // kReplay
};

// True for a key the header may carry: 1 to 255 printable ASCII characters.
bool ValidIdempotencyKey(std::string_view key);

// The hex SHA-256 of `body`: the fingerprint a repeat must match.
std::string BodyFingerprint(std::string_view body);

class IdempotencyKeys {
 public:
  struct Options {
    int64_t lease_ms = 60'000;                // how long a claim holds without an answer
    int64_t retention_ms = 24LL * 3'600'000;  // keys are kept at least this long
    int64_t prune_batch = 1'000;              // keys deleted per statement
  };

  IdempotencyKeys(Store& store, Clock& clock, IdSource& ids, Options options);

  // Claims `request`'s key, or says why not (ClaimOutcome). Errors are the
  // store's.
  Result<ClaimResult> Claim(const IdempotentRequest& request);
  // Stores the answer of the request holding `claim`. A claim taken over in
  // the meantime stores nothing (the other request answers).
  Status Answer(const RequestClaim& claim, const StoredAnswer& answer);
  // Gives up `claim` without an answer: the key is forgotten, and a retry
  // runs afresh. For a server fault (5xx) or a 429, after which the use cases
  // have kept nothing a retry could double (a failed capture frees the
  // shipment's claim; every completion captures once by its own key).
  Status Release(const RequestClaim& claim);
  // For a store one process owns, at start: ends every unanswered claim's
  // lease (they are left over from a crash).
  Status EndAllLeases();
  // Deletes one batch of keys older than the retention; returns how many.
  Result<int64_t> Prune();

 private:
  Store& store_;
  Clock& clock_;
  IdSource& ids_;
  const Options options_;
};

}  // namespace shipline::app
