// The threaded executor: the whole plan runs on one Dispatcher (dispatcher.hpp) in oneTBB's shared
// arena or in a kept arena of the requested size.
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "dispatcher.hpp"
#include "executor.hpp"

namespace dagflow::detail {

namespace {

// The arenas that computes with an explicit worker count ran in, kept for the next compute of the same
// thread and count. A task_arena made and destroyed per compute cost 8-13 µs, and more without bound
// over many computes (over 200 µs after 10^4, with RSS growing; uxlfoundation/oneTBB#967). Keyed by the
// calling thread as well, so that concurrent computes from different threads each get their own `workers`
// threads, as with an arena per call. The lock is taken once per compute, never per task.
class ArenaCache {
 public:
  std::shared_ptr<tbb::task_arena> arena(int workers, unsigned masters) {
    const std::thread::id thread = std::this_thread::get_id();
    std::shared_ptr<tbb::task_arena> evicted;  // released after the lock, by whoever holds it last
    const std::lock_guard lock(mutex_);
    const auto found = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) {
      return e.thread == thread && e.workers == workers && e.masters == masters;
    });
    if (found != entries_.end()) {
      std::rotate(found, found + 1, entries_.end());  // most recently used last
    } else {
      if (entries_.size() == capacity) {
        evicted = std::move(entries_.front().arena);
        entries_.erase(entries_.begin());
      }
      entries_.push_back({thread, workers, masters, std::make_shared<tbb::task_arena>(workers, masters)});
    }
    return entries_.back().arena;  // shared: an arena evicted while a compute runs in it outlives the compute
  }

  // Never destroyed: tearing arenas down during static destruction would race with oneTBB's own.
  static ArenaCache& instance() {
    static auto* const cache = new ArenaCache;
    return *cache;
  }

 private:
  // Enough for a few threads each alternating between a few worker counts; beyond that, the least
  // recently used arena is dropped and made again when needed (what every compute did before).
  static constexpr std::size_t capacity = 16;
  struct Entry {
    std::thread::id thread;
    int workers;
    unsigned masters;
    std::shared_ptr<tbb::task_arena> arena;
  };
  std::mutex mutex_;
  std::vector<Entry> entries_;
};

}  // namespace

std::shared_ptr<tbb::task_arena> cached_arena(int workers, unsigned reserved_for_masters) {
  return ArenaCache::instance().arena(workers, reserved_for_masters);
}

ThreadsExecutor::ThreadsExecutor(int workers)
    : workers_(workers), concurrency_(workers > 0 ? workers : tbb::info::default_concurrency()) {}

void ThreadsExecutor::execute(Run& run) {
  const auto dispatch = [&] { Dispatcher<>(run, concurrency_).execute(); };
  if (workers_ == 0) {
    dispatch();
  } else {
    cached_arena(workers_)->execute(dispatch);
  }
}

}  // namespace dagflow::detail
