// How a graph is run: which scheduler, how many workers, and who is told about each task.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace dagflow {

namespace detail {
class Node;
}

/// Which executor runs a computation.
enum class Scheduler {
  threads,  ///< oneTBB flow graph on a pool of worker threads (default)
  sync,     ///< the calling thread alone, one task at a time in topological order (for debugging)
  /// every MPI rank runs its share of the graph (dagflow/mpi.hpp; needs a live dagflow::mpi::Session). A
  /// collective: every rank computes the same graph, in the same order. Throws UsageError without MPI.
  mpi,
};

/// How the MPI scheduler deals the tasks that need no other task's result (the graph's sources) out to
/// the ranks; every other task goes where most of its inputs are.
enum class Placement {
  block,   ///< consecutive sources to the same rank: neighbours stay together (default)
  cyclic,  ///< source i to rank i mod size: spreads sources whose cost varies along the list (fractal tiles)
};

/// What a callback is told about one task.
class TaskInfo {
 public:
  /// What an executor reports about the task of `node`: its position `index` in the run's order and the
  /// `worker` running it. The node must outlive the TaskInfo (executors make one per callback call).
  TaskInfo(const detail::Node& node, std::uint32_t index, int worker) noexcept
      : node_(&node), index_(index), worker_(worker) {}
  /// Unique key of the task, e.g. "add-5c1f0e2a".
  std::string key() const;
  /// Name of the task's function (the name given to `delayed`, or the TaskGraph key).
  std::string_view name() const noexcept;
  /// Position of the task in this run's topological order (0 .. tasks-1).
  std::uint32_t index() const noexcept { return index_; }
  /// Index of the worker thread running the task within the run's arena (0 for the sync scheduler;
  /// with Scheduler::mpi, the calling thread, which may run a task whose input just arrived from another
  /// rank, reports the arena's size, one past the workers' indices).
  int worker() const noexcept { return worker_; }

 private:
  const detail::Node* node_;
  std::uint32_t index_;
  int worker_;
};

/// Observer of a run (progress bars, profilers, tracing). Every method may be called from several
/// worker threads at once, so implementations must be thread-safe; they must not throw.
class Callback {
 public:
  virtual ~Callback() = default;
  /// Before any task runs; `tasks` is the number of tasks the run will execute (after culling).
  virtual void on_run_start(std::size_t tasks) noexcept { (void)tasks; }
  /// Just before a task's function is called.
  virtual void on_task_start(const TaskInfo& task) noexcept { (void)task; }
  /// Just after a task's function returned (`ok`) or threw (`!ok`).
  virtual void on_task_finish(const TaskInfo& task, bool ok) noexcept { (void)task, (void)ok; }
  /// After the last task; `ok` is false when a task failed and the run was cancelled.
  virtual void on_run_finish(bool ok) noexcept { (void)ok; }
};

/// Options of `compute`, `persist` and `get`.
struct ComputeOptions {
  /// Executor to use.
  Scheduler scheduler = Scheduler::threads;
  /// The largest accepted `workers`. oneTBB allocates arena slots up front (about 500 bytes each) and
  /// crashes on arenas of 2^24 slots or more; 4096 threads is beyond any machine dagflow targets.
  static constexpr int max_workers = 4096;

  /// Number of worker threads for the threads scheduler: a `tbb::task_arena` of that size; 0 means all
  /// cores (oneTBB's shared arena). Each calling thread keeps its arenas for the few worker counts it
  /// used last, so repeated small computes cost microseconds with any count. Must be in
  /// 0 .. max_workers whatever the scheduler (compute() throws UsageError otherwise); the sync scheduler
  /// ignores it otherwise.
  int workers = 0;
  /// Observer told about the run and each task; not owned, must outlive the call. May be null.
  Callback* callback = nullptr;
  /// How Scheduler::mpi deals sources to ranks; ignored by the other schedulers.
  Placement placement = Placement::block;
};

}  // namespace dagflow
