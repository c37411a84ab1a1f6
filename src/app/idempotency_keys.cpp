#include "app/idempotency_keys.hpp"

#include <utility>

#include "app/api_keys.hpp"

namespace shipline::app {

namespace {

constexpr size_t kMaxKey = 255;
constexpr size_t kOwnerBytes = 16;

// What a request that finds `found` does (kClaimed: take the claim over).
ClaimOutcome Decide(const IdempotencyRecord& found, const IdempotentRequest& request,
                    const std::string& fingerprint, int64_t now) {
  if (found.method != request.method || found.target != request.target ||
      found.fingerprint != fingerprint) {
    return ClaimOutcome::kMismatch;
  }
  if (found.answer) return ClaimOutcome::kReplay;
  if (found.lease_until > now) return ClaimOutcome::kInFlight;
  return found.applied ? ClaimOutcome::kOutcomeUnknown : ClaimOutcome::kClaimed;
}

}  // namespace

bool ValidIdempotencyKey(std::string_view key) {
  if (key.empty() || key.size() > kMaxKey) return false;
  for (char c : key) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

std::string BodyFingerprint(std::string_view body) {
  return HashApiKey(body);  // the same hex SHA-256
}

IdempotencyKeys::IdempotencyKeys(Store& store, Clock& clock, IdSource& ids, Options options)
    : store_(store), clock_(clock), ids_(ids), options_(options) {}

Result<ClaimResult> IdempotencyKeys::Claim(const IdempotentRequest& request) {
  IdempotencyRecord record;
  record.tenant_id = request.tenant_id;
  record.key = request.key;
  record.method = request.method;
  record.target = request.target;
  record.fingerprint = BodyFingerprint(request.body);
  record.owner = ids_.NewToken(kOwnerBytes);
  ClaimResult result;
  Status written = store_.Write([&](StoreWriter& tx) -> Status {
    int64_t now = clock_.NowMillis();
    record.created_at = now;
    record.lease_until = now + options_.lease_ms;
    result = ClaimResult{};
    auto inserted = tx.IdempotencyKeys().Insert(record);
    if (!inserted) return std::move(inserted).error();
    if (*inserted) return {};
    // Taken already (a concurrent insert has committed by now: the insert
    // waited for it), so the row is there to read and lock.
    auto found = tx.IdempotencyKeys().Find(record.tenant_id, record.key);
    if (!found) return std::move(found).error();
    if (!*found) return Error::Conflict("the Idempotency-Key is being released; retry");
    result.outcome = Decide(**found, request, record.fingerprint, now);
    if (result.outcome == ClaimOutcome::kReplay) result.answer = (*found)->answer;
    if (result.outcome != ClaimOutcome::kClaimed) return {};
    auto taken = tx.IdempotencyKeys().TakeOver(record.tenant_id, record.key, (*found)->owner,
                                               record.owner, record.lease_until);
    if (!taken) return std::move(taken).error();
    if (!*taken) result.outcome = ClaimOutcome::kInFlight;
    return {};
  });
  if (!written.ok()) return written.error();
  if (result.outcome == ClaimOutcome::kClaimed) {
    result.claim = RequestClaim{record.tenant_id, record.key, record.owner};
  }
  return result;
}

Status IdempotencyKeys::Answer(const RequestClaim& claim, const StoredAnswer& answer) {
  return store_.Write([&](StoreWriter& tx) -> Status {
    auto saved = tx.IdempotencyKeys().SaveAnswer(claim.tenant_id, claim.key, claim.owner, answer);
    if (!saved) return std::move(saved).error();
    return {};
  });
}

Status IdempotencyKeys::Release(const RequestClaim& claim) {
  return store_.Write([&](StoreWriter& tx) {
    return tx.IdempotencyKeys().Release(claim.tenant_id, claim.key, claim.owner);
  });
}

Status IdempotencyKeys::EndAllLeases() {
  return store_.Write([](StoreWriter& tx) { return tx.IdempotencyKeys().EndAllLeases(); });
}

Result<int64_t> IdempotencyKeys::Prune() {
  int64_t before = clock_.NowMillis() - options_.retention_ms;
  int64_t deleted = 0;
  Status written = store_.Write([&](StoreWriter& tx) -> Status {
    auto pruned = tx.IdempotencyKeys().Prune(before, options_.prune_batch);
    if (!pruned) return std::move(pruned).error();
    deleted = *pruned;
    return {};
  });
  if (!written.ok()) return written.error();
  return deleted;
}

}  // namespace shipline::app
