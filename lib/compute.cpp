// compute(): user roots -> plan (culling, numbering) -> run state -> executor -> results.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "dagflow/config.hpp"
#include "dagflow/detail/run_api.hpp"
#include "dagflow/errors.hpp"
#include "executor.hpp"
#include "log.hpp"
#include "plan.hpp"
#include "run.hpp"

namespace dagflow::detail {

namespace {

void check(const ComputeOptions& options) {
  if (options.workers < 0 || options.workers > ComputeOptions::max_workers)
    throw UsageError("dagflow: ComputeOptions::workers must be in 0.." + std::to_string(ComputeOptions::max_workers) +
                     " (0 = all cores; the limit is ComputeOptions::max_workers), got " +
                     std::to_string(options.workers));
}

// One reference to each root of a run, held for the run's duration. The span is the front end's own
// array of roots (never the user's handles), which outlives compute_nodes().
class KeepAlive {
 public:
  explicit KeepAlive(std::span<Node* const> roots) noexcept : roots_(roots) {
    for (Node* root : roots_) static_cast<void>(NodeRef(root).detach());  // take a reference and keep it
  }
  KeepAlive(const KeepAlive&) = delete;
  KeepAlive& operator=(const KeepAlive&) = delete;
  ~KeepAlive() {
    for (Node* root : roots_) release(root);
  }

 private:
  std::span<Node* const> roots_;
};

std::atomic<MpiExecutorFactory>& mpi_executor_factory() {
  static std::atomic<MpiExecutorFactory> factory{nullptr};
  return factory;
}

std::unique_ptr<Executor> make_executor(const ComputeOptions& options, int output_rank) {
  switch (options.scheduler) {
    case Scheduler::sync:
      return std::make_unique<SyncExecutor>();
    case Scheduler::mpi:
      if (const MpiExecutorFactory factory = mpi_executor_factory().load(std::memory_order_acquire))
        return factory(options, output_rank);
      throw UsageError(
          "dagflow: Scheduler::mpi needs MPI: link dagflow::mpi and keep a dagflow::mpi::Session alive (from "
          "dagflow/mpi.hpp) while computing" +
          std::string(DAGFLOW_WITH_MPI ? "" : "; this dagflow was built without MPI (DAGFLOW_WITH_MPI=OFF)"));
    case Scheduler::threads:
      break;
  }
  return std::make_unique<ThreadsExecutor>(options.workers);
}

const char* scheduler_name(Scheduler scheduler) noexcept {
  switch (scheduler) {
    case Scheduler::sync:
      return "sync";
    case Scheduler::mpi:
      return "mpi";
    case Scheduler::threads:
      break;
  }
  return "threads";
}

// Moves the outputs out of the run; a task requested twice is stored once and shared. Positions are
// grouped by task with a sort of the (few) outputs rather than arrays over the whole plan, which would
// cost a pass over memory proportional to the graph for every compute.
Results collect(const Plan& plan, Run& run) {
  const auto outputs = plan.outputs();
  std::vector<std::uint64_t> by_task(outputs.size());
  for (std::uint32_t position = 0; position < outputs.size(); ++position)
    by_task[position] = std::uint64_t{outputs[position]} << 32 | position;
  std::sort(by_task.begin(), by_task.end());

  std::vector<std::uint32_t> first(outputs.size());
  std::vector<bool> last_use(outputs.size(), false);
  std::vector<Slot> slots(outputs.size());
  for (std::size_t k = 0; k < by_task.size();) {
    const auto task = static_cast<std::uint32_t>(by_task[k] >> 32);
    const auto first_position = static_cast<std::uint32_t>(by_task[k]);
    slots[first_position] = std::move(run.result(task));
    // Within a task's group positions ascend: the first one holds the result, the last one may move it.
    for (; k < by_task.size() && by_task[k] >> 32 == task; ++k)
      first[static_cast<std::uint32_t>(by_task[k])] = first_position;
    last_use[static_cast<std::uint32_t>(by_task[k - 1])] = true;
  }
  return Results(std::move(slots), std::move(first), std::move(last_use));
}

}  // namespace

void set_mpi_executor_factory(MpiExecutorFactory factory) noexcept {
  mpi_executor_factory().store(factory, std::memory_order_release);
}

Results compute_nodes(std::span<Node* const> roots, const ComputeOptions& options, int output_rank) {
  check(options);
  const std::unique_ptr<Executor> executor = make_executor(options, output_rank);
  const auto start = std::chrono::steady_clock::now();
  // The run owns a reference to every root (each node owns its dependencies), so the graph outlives it
  // even when a task drops the caller's last handle; the plan and the run hold plain pointers. Declared
  // first, so it is released last: after the TaskError that names a node, and after the results moved out.
  const KeepAlive keep_alive(roots);
  const Plan plan(roots);
  Run run(plan, options, executor->prepare(plan));
  if (options.callback != nullptr) options.callback->on_run_start(plan.size());
  executor->execute(run);
  if (options.callback != nullptr) options.callback->on_run_finish(run.succeeded());

  auto& log = logger();
  if (log.should_log(spdlog::level::debug)) {
    const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - start;
    log.debug(
        "computed {} outputs: {} tasks, {} edges, critical path {} tasks, {} scheduler with {} workers, {:.3f} ms{}",
        roots.size(), plan.size(), plan.edge_count(), plan.critical_path_length(), scheduler_name(options.scheduler),
        executor->concurrency(), elapsed.count(),
        run.cancelled()   ? " (failed, cancelled)"
        : run.succeeded() ? ""
                          : " (cancelled from outside)");
  }
  run.rethrow_if_failed();
  return collect(plan, run);
}

}  // namespace dagflow::detail
