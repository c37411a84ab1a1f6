#include "http/idle_connections.hpp"

namespace shipline::http {

void IdleConnections::MarkIdle(Entry& entry, Clock::time_point now, Wait wait) {
  std::lock_guard lock(mutex_);
  if (entry.listed_ || entry.evicted_) return;
  Queue& queue = queues_[static_cast<int>(wait)];
  entry.since_ = now;
  entry.wait_ = wait;
  entry.prev_ = queue.newest;
  entry.next_ = nullptr;
  if (queue.newest != nullptr) {
    queue.newest->next_ = &entry;
  } else {
    queue.oldest = &entry;
  }
  queue.newest = &entry;
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
  for (Queue& queue : queues_) {
    Entry* entry = queue.oldest;
    // A queue is in the order its entries began to wait: when the oldest is
    // too young, every other one is too.
    if (entry == nullptr || now - entry->since_ < grace) continue;
    Unlink(*entry);
    entry->evicted_ = true;
    evict(*entry);
    return true;
  }
  return false;
}

size_t IdleConnections::Idle() const {
  std::lock_guard lock(mutex_);
  return idle_;
}

void IdleConnections::Unlink(Entry& entry) {
  Queue& queue = queues_[static_cast<int>(entry.wait_)];
  if (entry.prev_ != nullptr) {
    entry.prev_->next_ = entry.next_;
  } else {
    queue.oldest = entry.next_;
  }
  if (entry.next_ != nullptr) {
    entry.next_->prev_ = entry.prev_;
  } else {
    queue.newest = entry.prev_;
  }
  entry.prev_ = entry.next_ = nullptr;
  entry.listed_ = false;
  --idle_;
}

}  // namespace shipline::http
