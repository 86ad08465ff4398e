// The dispatcher: one oneTBB flow-graph node with unlimited concurrency that runs a run's tasks as they
// become ready. The threads executor runs a whole plan with it; the MPI executor runs one rank's share,
// feeding it the results that arrive from other ranks and taking the results that leave.
//
// Why not one continue_node per task, the textbook mapping? Building, running and destroying a flow
// graph of a million continue_nodes costs about 160 ns per task before any task body runs (node and
// body allocation, edge lists, registration with the graph, a spin lock per message broadcast), which
// is most of dagflow's overhead. Here each message names tasks that are ready; the node's body runs
// a task, counts down its dependents, hands all but one newly ready dependent back to the node (each
// one a oneTBB task that any worker may steal), and runs the remaining one itself, in a loop rather than
// by recursion, so a chain of a million tasks uses neither the stack nor a spawn per task. The flow graph
// still owns the arena, the waiting and the cancellation.
#pragma once

#include <oneapi/tbb/flow_graph.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <span>

#include "plan.hpp"
#include "run.hpp"

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

/// What happens to a result right after its task ran, before its readers start: nothing, when the
/// whole plan runs in this process. (The MPI executor sends it to the ranks that read it.)
struct KeepResultsLocal {
  /// Whether the dispatcher counts its busy workers (for deliver(); never needed here).
  static constexpr bool counts_busy_workers = false;
  /// Returns false when the task must be counted as failed.
  constexpr bool operator()(std::uint32_t /*task*/) const noexcept { return true; }
};

/// Runs the tasks of `run` as they become ready, on the arena it is made in: every task, or those for
/// which `local[task]` is non-zero.
template <class AfterRun = KeepResultsLocal>
class Dispatcher {
 public:
  /// Must be constructed inside the arena the tasks should run on (the flow graph binds to it).
  explicit Dispatcher(Run& run, int concurrency, std::span<const std::uint8_t> local = {}, AfterRun after_run = {})
      : run_(run),
        pending_(new std::atomic<std::uint32_t>[run.plan().size()]),
        dependents_(local.empty() ? run.plan().index_dependents() : run.plan().index_dependents(local)),
        after_run_(std::move(after_run)),
        node_(graph_, tbb::flow::unlimited, Body{this}) {
    const Plan& plan = run.plan();
    for (std::uint32_t task = 0; task < plan.size(); ++task)
      pending_[task].store(static_cast<std::uint32_t>(plan.deps(task).size()), std::memory_order_relaxed);
    // Sources are handed out in slices so that a wide graph costs a spawn per slice, not per task;
    // slices stay small enough that costly tasks still spread over every worker.
    const auto slices = static_cast<std::uint32_t>(8 * std::max(concurrency, 1));
    grain_ = std::clamp<std::uint32_t>(static_cast<std::uint32_t>(dependents_.sources().size()) / slices, 1, max_grain);
  }
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  /// Runs every task and returns when all have run or the run was cancelled.
  void execute() {
    start();
    wait();
  }

  /// Hands the sources to the workers and returns at once.
  void start() {
    const auto sources = dependents_.sources();
    if (!sources.empty()) put(ReadyTasks{sources.data(), static_cast<std::uint32_t>(sources.size())});
  }

  /// Records that `task`'s result is in its slot although no task of this dispatcher produced it (it
  /// came from another process): its readers are counted down and those now ready start. Call from
  /// one thread, between start() and wait(). When no worker is busy, the calling thread runs one ready
  /// task itself as `worker` (a sleeping worker takes microseconds to wake, more than most tasks take),
  /// and hands its readers to the workers.
  void deliver(std::uint32_t task, int worker) {
    const std::uint32_t* next = count_down_readers(task);
    if (next == nullptr) return;
    if (busy_.load(std::memory_order_acquire) != 0) {
      put(ReadyTasks{next, 1});
      return;
    }
    if (run_.cancelled()) return;
    if (!run_.run_task(*next, worker) || !after_run_(*next)) {
      graph_.cancel();
      return;
    }
    if (const std::uint32_t* after = count_down_readers(*next)) put(ReadyTasks{after, 1});
  }

  /// Drops the tasks handed out but not started.
  void cancel() { graph_.cancel(); }

  /// Returns when every task handed out has run or was dropped.
  void wait() {
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

  /// Some consecutive entries of an array of task indices: a slice of the run's sources, or the one
  /// entry of the dependents array that names a task that has just become ready.
  struct ReadyTasks {
    const std::uint32_t* first;
    std::uint32_t count;
  };

  struct Body {
    Dispatcher* self;
    tbb::flow::continue_msg operator()(const ReadyTasks& ready) const {
      DAGFLOW_TSAN_ACQUIRE(self);
      if constexpr (AfterRun::counts_busy_workers) self->busy_.fetch_add(1, std::memory_order_acq_rel);
      self->dispatch(ready);
      if constexpr (AfterRun::counts_busy_workers) self->busy_.fetch_sub(1, std::memory_order_acq_rel);
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
      if (!run_.run_task(task, worker) || !after_run_(task)) {
        graph_.cancel();  // tasks already handed to the flow graph but not started are dropped
        return;
      }
      const std::uint32_t* next = count_down_readers(task);
      if (next == nullptr) return;
      task = *next;
    }
  }

  // Counts `task`'s readers down; hands every reader that became ready but the last to the workers and
  // returns that one (null when none became ready), for the caller to run or hand out.
  const std::uint32_t* count_down_readers(std::uint32_t task) {
    const std::uint32_t* next = nullptr;
    for (const std::uint32_t& dependent : dependents_.dependents(task)) {
      if (pending_[dependent].fetch_sub(1, std::memory_order_acq_rel) != 1) continue;
      if (next != nullptr) put(ReadyTasks{next, 1});
      next = &dependent;
    }
    return next;
  }

  using DispatchNode = tbb::flow::function_node<ReadyTasks, tbb::flow::continue_msg>;

  Run& run_;
  // Per task, the dependencies that have not finished yet; the one that brings it to zero starts it.
  // Allocated before the dependents index: in the other order a wide graph of 10^6 tasks computed 15%
  // slower in bench_overhead, with more page faults (where malloc places the large arrays changes).
  std::unique_ptr<std::atomic<std::uint32_t>[]> pending_;
  const DependentIndex dependents_;
  AfterRun after_run_;
  std::uint32_t grain_ = 1;
  // Workers inside a dispatch, counted only when results also arrive from elsewhere (deliver()).
  std::atomic<int> busy_{0};
  // Declared last: the node's tasks use everything above, and the graph must outlive the node.
  tbb::flow::graph graph_;
  DispatchNode node_;
};

/// An arena of `workers` threads (`reserved_for_masters` of them for the thread that enters it), kept
/// for the next compute of the same calling thread with the same numbers. Thread-safe.
std::shared_ptr<tbb::task_arena> cached_arena(int workers, unsigned reserved_for_masters = 1);

}  // namespace dagflow::detail
