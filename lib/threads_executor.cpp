// The threaded executor: the run's tasks are executed by one oneTBB flow-graph node with unlimited
// concurrency that acts as a dispatcher.
//
// Why not one continue_node per task, the textbook mapping? Building, running and destroying a flow
// graph of a million continue_nodes costs about 160 ns per task before any task body runs (node and
// body allocation, edge lists, registration with the graph, a spin lock per message broadcast), which
// is most of dagflow's overhead. Here each message names tasks that are ready; the node's body runs
// a task, counts down its dependents, hands all but one newly ready dependent back to the node (each
// one a oneTBB task that any worker may steal), and runs the remaining one itself, in a loop rather than
// by recursion, so a chain of a million tasks uses neither the stack nor a spawn per task. The flow graph
// still owns the arena, the waiting and the cancellation.
#include <oneapi/tbb/flow_graph.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "executor.hpp"

// oneTBB's scheduler is a prebuilt library that ThreadSanitizer cannot see into, so the happens-before
// edges it provides (from a try_put to the body it starts, from a body's end to wait_for_all()'s
// return) are invisible to it. In TSan builds we state those edges ourselves; elsewhere these are no-ops.
#if defined(__SANITIZE_THREAD__)
extern "C" void __tsan_acquire(void* address);
extern "C" void __tsan_release(void* address);
#define DAGFLOW_TSAN_ACQUIRE(address) __tsan_acquire(address)
#define DAGFLOW_TSAN_RELEASE(address) __tsan_release(address)
#else
#define DAGFLOW_TSAN_ACQUIRE(address) static_cast<void>(address)
#define DAGFLOW_TSAN_RELEASE(address) static_cast<void>(address)
#endif

namespace dagflow::detail {

namespace {

/// Some consecutive entries of an array of task indices: a slice of the run's sources, or the one
/// entry of the dependents array that names a task that has just become ready.
struct ReadyTasks {
  const std::uint32_t* first;
  std::uint32_t count;
};

using DispatchNode = tbb::flow::function_node<ReadyTasks, tbb::flow::continue_msg>;

class Dispatcher {
 public:
  Dispatcher(Run& run, int concurrency)
      : run_(run),
        pending_(new std::atomic<std::uint32_t>[run.plan().size()]),
        dependents_(run.plan().index_dependents()),
        node_(graph_, tbb::flow::unlimited, Body{this}) {
    const Plan& plan = run.plan();
    for (std::uint32_t task = 0; task < plan.size(); ++task)
      pending_[task].store(static_cast<std::uint32_t>(plan.deps(task).size()), std::memory_order_relaxed);
    // Sources are handed out in slices so that a wide graph costs a spawn per slice, not per task;
    // slices stay small enough that costly tasks still spread over every worker.
    const auto slices = static_cast<std::uint32_t>(8 * std::max(concurrency, 1));
    grain_ = std::clamp<std::uint32_t>(static_cast<std::uint32_t>(dependents_.sources().size()) / slices, 1, max_grain);
  }

  void execute() {
    const auto sources = dependents_.sources();
    if (!sources.empty()) put(ReadyTasks{sources.data(), static_cast<std::uint32_t>(sources.size())});
    graph_.wait_for_all();
    DAGFLOW_TSAN_ACQUIRE(this);
    // The graph's task_group_context is bound to the context of the task that runs this compute(), so
    // a nested compute() is cancelled with the work around it (a sibling task failing, a cancelled
    // tbb::parallel_for): tasks not yet started are dropped although no task of ours failed, and their
    // result slots stay empty. We keep that propagation (an isolated context would make the enclosing
    // work wait for a computation nobody will use) and report it instead of returning those slots.
    if (graph_.is_cancelled() && !run_.cancelled()) run_.interrupt();
  }

 private:
  static constexpr std::uint32_t max_grain = 64;

  struct Body {
    Dispatcher* self;
    tbb::flow::continue_msg operator()(const ReadyTasks& ready) const {
      DAGFLOW_TSAN_ACQUIRE(self);
      self->dispatch(ready);
      DAGFLOW_TSAN_RELEASE(self);
      return {};
    }
  };

  void put(ReadyTasks ready) {
    DAGFLOW_TSAN_RELEASE(this);
    node_.try_put(ready);
  }

  void dispatch(ReadyTasks ready) {
    // Split off halves for other workers to steal until one slice is left to run here.
    while (ready.count > grain_) {
      const std::uint32_t half = ready.count / 2;
      put(ReadyTasks{ready.first + half, ready.count - half});
      ready.count = half;
    }
    const int worker = tbb::this_task_arena::current_thread_index();
    for (std::uint32_t k = 0; k < ready.count; ++k) run_from(ready.first[k], worker);
  }

  // Runs `task`, then keeps running one of the dependents it made ready, for as long as there is one.
  void run_from(std::uint32_t task, int worker) {
    for (;;) {
      if (run_.cancelled()) return;
      if (!run_.run_task(task, worker)) {
        graph_.cancel();  // tasks already handed to the flow graph but not started are dropped
        return;
      }
      const std::uint32_t* next = nullptr;
      for (const std::uint32_t& dependent : dependents_.dependents(task)) {
        if (pending_[dependent].fetch_sub(1, std::memory_order_acq_rel) != 1) continue;
        if (next != nullptr) put(ReadyTasks{next, 1});
        next = &dependent;
      }
      if (next == nullptr) return;
      task = *next;
    }
  }

  Run& run_;
  // Per task, the dependencies that have not finished yet; the one that brings it to zero starts it.
  // Allocated before the dependents index: in the other order a wide graph of 10^6 tasks computed 15%
  // slower in bench_overhead, with more page faults (where malloc places the large arrays changes).
  std::unique_ptr<std::atomic<std::uint32_t>[]> pending_;
  const DependentIndex dependents_;
  std::uint32_t grain_ = 1;
  // Declared last: the node's tasks use everything above, and the graph must outlive the node.
  tbb::flow::graph graph_;
  DispatchNode node_;
};

// The arenas that computes with an explicit worker count ran in, kept for the next compute of the same
// thread and count. A task_arena made and destroyed per compute cost 8-13 µs, and more without bound
// over many computes (over 200 µs after 10^4, with RSS growing; uxlfoundation/oneTBB#967). Keyed by the
// calling thread as well, so that concurrent computes from different threads each get their own `workers`
// threads, as with an arena per call. The lock is taken once per compute, never per task.
class ArenaCache {
 public:
  std::shared_ptr<tbb::task_arena> arena(int workers) {
    const std::thread::id thread = std::this_thread::get_id();
    std::shared_ptr<tbb::task_arena> evicted;  // released after the lock, by whoever holds it last
    const std::lock_guard lock(mutex_);
    const auto found = std::find_if(entries_.begin(), entries_.end(),
                                    [&](const Entry& e) { return e.thread == thread && e.workers == workers; });
    if (found != entries_.end()) {
      std::rotate(found, found + 1, entries_.end());  // most recently used last
    } else {
      if (entries_.size() == capacity) {
        evicted = std::move(entries_.front().arena);
        entries_.erase(entries_.begin());
      }
      entries_.push_back({thread, workers, std::make_shared<tbb::task_arena>(workers)});
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
    std::shared_ptr<tbb::task_arena> arena;
  };
  std::mutex mutex_;
  std::vector<Entry> entries_;
};

}  // namespace

ThreadsExecutor::ThreadsExecutor(int workers)
    : workers_(workers), concurrency_(workers > 0 ? workers : tbb::info::default_concurrency()) {}

void ThreadsExecutor::execute(Run& run) {
  const auto dispatch = [&] { Dispatcher(run, concurrency_).execute(); };
  if (workers_ == 0) {
    dispatch();
  } else {
    ArenaCache::instance().arena(workers_)->execute(dispatch);
  }
}

}  // namespace dagflow::detail
