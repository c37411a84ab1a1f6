#include "store/write_queue.hpp"

namespace shipline::store {

Status WriteQueue::Submit(const std::function<Status(app::StoreWriter&)>& fn) {
  Pending pending;
  pending.fn = &fn;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return Error::Unavailable("the store is shutting down", "store stopping");
    if (pending_.size() >= max_pending_) {
      return Error{
          ErrorCode::kResourceExhausted, "too many writes are waiting", "write queue full", {}};
    }
    pending_.push_back(&pending);
  }
  cv_.notify_one();
  pending.answered.Wait();
  return std::move(pending.answer);
}

bool WriteQueue::Take(std::vector<Pending*>& group) {
  std::unique_lock lock(mutex_);
  cv_.wait(lock, [&] { return stopping_ || !pending_.empty(); });
  if (pending_.empty()) return false;  // stopping, and every caller answered
  while (!pending_.empty() && group.size() < max_batch_) {
    group.push_back(pending_.front());
    pending_.pop_front();
  }
  return true;
}

void WriteQueue::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
}

}  // namespace shipline::store
