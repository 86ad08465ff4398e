// compute(): user roots -> plan (culling, numbering) -> run state -> executor -> results.
#include <chrono>
#include <limits>
#include <string>

#include "dagflow/detail/run_api.hpp"
#include "dagflow/errors.hpp"
#include "executor.hpp"
#include "log.hpp"
#include "plan.hpp"
#include "run.hpp"

namespace dagflow::detail {

namespace {

void check(const ComputeOptions& options) {
  if (options.workers < 0)
    throw UsageError("dagflow: ComputeOptions::workers must be >= 0 (0 = all cores), got " +
                     std::to_string(options.workers));
}

void execute(Run& run, const ComputeOptions& options, int& concurrency) {
  if (options.scheduler == Scheduler::sync) {
    SyncExecutor executor;
    concurrency = executor.concurrency();
    executor.execute(run);
  } else {
    ThreadsExecutor executor(options.workers);
    concurrency = executor.concurrency();
    executor.execute(run);
  }
}

// Moves the outputs out of the run; a task requested twice is stored once and shared.
Results collect(const Plan& plan, Run& run) {
  const auto outputs = plan.outputs();
  constexpr auto none = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> first_position(plan.size(), none);
  std::vector<std::uint32_t> first(outputs.size());
  std::vector<bool> last_use(outputs.size(), true);
  std::vector<Slot> slots(outputs.size());
  for (std::uint32_t position = 0; position < outputs.size(); ++position) {
    std::uint32_t& seen_at = first_position[outputs[position]];
    if (seen_at == none) {
      seen_at = position;
      slots[position] = std::move(run.result(outputs[position]));
    }
    first[position] = seen_at;
  }
  // A position is the last use of its result unless a later position asks for the same task.
  std::vector<std::uint32_t> last_position(plan.size(), none);
  for (std::uint32_t position = 0; position < outputs.size(); ++position) {
    std::uint32_t& previous = last_position[outputs[position]];
    if (previous != none) last_use[previous] = false;
    previous = position;
  }
  return Results(std::move(slots), std::move(first), std::move(last_use));
}

}  // namespace

Results compute_nodes(std::span<Node* const> roots, const ComputeOptions& options) {
  check(options);
  const auto start = std::chrono::steady_clock::now();
  const Plan plan(roots);
  Run run(plan, options);
  if (options.callback != nullptr) options.callback->on_run_start(plan.size());
  int concurrency = 1;
  execute(run, options, concurrency);
  if (options.callback != nullptr) options.callback->on_run_finish(!run.cancelled());

  auto& log = logger();
  if (log.should_log(spdlog::level::debug)) {
    const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - start;
    log.debug("computed {} outputs: {} tasks, {} edges, critical path {} tasks, {} scheduler with {} workers, {:.3f} ms{}",
              roots.size(), plan.size(), plan.edge_count(), plan.critical_path_length(),
              options.scheduler == Scheduler::sync ? "sync" : "threads", concurrency, elapsed.count(),
              run.cancelled() ? " (failed, cancelled)" : "");
  }
  run.rethrow_if_failed();
  return collect(plan, run);
}

}  // namespace dagflow::detail
