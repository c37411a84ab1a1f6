#include "http/idle_connections.hpp"

namespace shipline::http {

void IdleConnections::MarkIdle(Entry& entry, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (entry.listed_ || entry.evicted_) return;
  entry.since_ = now;
  entry.prev_ = newest_;
  entry.next_ = nullptr;
  if (newest_ != nullptr) {
    newest_->next_ = &entry;
  } else {
    oldest_ = &entry;
  }
  newest_ = &entry;
  entry.listed_ = true;
  ++idle_;
}

bool IdleConnections::MarkBusy(Entry& entry) {
  std::lock_guard lock(mutex_);
  if (entry.listed_) Unlink(entry);
  return !entry.evicted_;
}

void IdleConnections::Remove(Entry& entry) {
  std::lock_guard lock(mutex_);
  if (entry.listed_) Unlink(entry);
}

bool IdleConnections::EvictOldest(Clock::time_point now, Clock::duration grace,
                                  const std::function<void(Entry&)>& evict) {
  std::lock_guard lock(mutex_);
  Entry* entry = oldest_;
  // The list is in the order entries became idle: when the oldest is too
  // young, every other one is too.
  if (entry == nullptr || now - entry->since_ < grace) return false;
  Unlink(*entry);
  entry->evicted_ = true;
  evict(*entry);
  return true;
}

size_t IdleConnections::Idle() const {
  std::lock_guard lock(mutex_);
  return idle_;
}

void IdleConnections::Unlink(Entry& entry) {
  if (entry.prev_ != nullptr) {
    entry.prev_->next_ = entry.next_;
  } else {
    oldest_ = entry.next_;
  }
  if (entry.next_ != nullptr) {
    entry.next_->prev_ = entry.prev_;
  } else {
    newest_ = entry.prev_;
  }
  entry.prev_ = entry.next_ = nullptr;
  entry.listed_ = false;
  --idle_;
}

}  // namespace shipline::http
