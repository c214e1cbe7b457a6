// Implements the checkpoint thread.
#include "store/checkpointer.hpp"

#include <pthread.h>

#include <cstdio>

namespace cobrador::store {

Checkpointer::Checkpointer(std::unique_ptr<store::Upkeep> store) : store_(std::move(store)) {
  thread_ = std::thread([this] { run(); });
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void Checkpointer::run() {
  pthread_setname_np(pthread_self(), "cobrador-ckpt");
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait_for(lock, kEvery, [this] { return stopping_ || nudged_; });
    if (stopping_) break;
    nudged_ = false;
    lock.unlock();
    try {
      store_->checkpoint();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "cobrador: checkpoint: %s\n", e.what());
    }
    lock.lock();
  }
  lock.unlock();
  try {
    store_->checkpoint();  // what the last commits left in the log
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cobrador: checkpoint: %s\n", e.what());
  }
}

void Checkpointer::nudge() {
  {
    std::lock_guard lock(mutex_);
    nudged_ = true;
  }
  wake_.notify_one();
}

CheckpointsAside::CheckpointsAside(Upkeep* writer, std::unique_ptr<Upkeep> other)
    : writer_(other ? writer : nullptr) {
  if (!writer_) return;
  writer_->leave_checkpoints_to_others();
  checkpointer_ = std::make_unique<Checkpointer>(std::move(other));
}

void CheckpointsAside::between_transactions() {
  if (!writer_) return;
  checkpointer_->nudge();
  writer_->restart_log_if_long();
}

Progress CheckpointsAside::progress(Progress shown) {
  return [this, shown = std::move(shown)](std::uint64_t done, std::uint64_t total) {
    between_transactions();
    if (shown) shown(done, total);
  };
}

}  // namespace cobrador::store
