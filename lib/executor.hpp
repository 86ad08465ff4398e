// Executors run a planned graph. The front end never sees them: compute() picks one from the options,
// so another backend (a distributed one, say) is one more class here and one more case in compute.cpp.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "dagflow/options.hpp"
#include "plan.hpp"
#include "run.hpp"

namespace dagflow::detail {

class Executor {
 public:
  virtual ~Executor() = default;
  /// Called once with the plan before its run is made; returns how many times each task's result will
  /// be read in this process (an executor that runs only part of the plan here counts only those reads).
  virtual std::span<const std::uint32_t> prepare(const Plan& plan) { return plan.uses(); }
  /// Runs every task of `run` in an order that respects dependencies, and returns when all have run
  /// or the run was cancelled, with the outputs in their slots. Never throws for a task's failure; `run`
  /// records it.
  virtual void execute(Run& run) = 0;
  /// Number of threads that may run tasks at once (for logs).
  virtual int concurrency() const noexcept = 0;
};

/// One thread, tasks in topological order: deterministic, debugger friendly.
class SyncExecutor final : public Executor {
 public:
  void execute(Run& run) override;
  int concurrency() const noexcept override { return 1; }
};

/// A oneTBB flow graph whose one dispatching node runs tasks as they become ready, on `workers` threads
/// (0: all cores). See threads_executor.cpp for why it is not one flow-graph node per task.
class ThreadsExecutor final : public Executor {
 public:
  explicit ThreadsExecutor(int workers);
  void execute(Run& run) override;
  int concurrency() const noexcept override { return concurrency_; }

 private:
  int workers_;
  int concurrency_;
};

/// Makes the executor of Scheduler::mpi for one compute whose outputs go to rank `output_rank` (or to
/// every rank: all_ranks). Registered by the MPI library while MPI is initialized.
using MpiExecutorFactory = std::unique_ptr<Executor> (*)(const ComputeOptions& options, int output_rank);

/// Sets (or, with null, clears) the factory that compute() uses for Scheduler::mpi.
void set_mpi_executor_factory(MpiExecutorFactory factory) noexcept;

}  // namespace dagflow::detail
