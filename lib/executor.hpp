// Executors run a planned graph. The front end never sees them: compute() picks one from the options,
// so another backend (a distributed one, say) is one more class here and one more case in compute.cpp.
#pragma once

#include "run.hpp"

namespace dagflow::detail {

class Executor {
 public:
  virtual ~Executor() = default;
  /// Runs every task of `run` in an order that respects dependencies, and returns when all have run
  /// or the run was cancelled. Never throws for a task's failure; `run` records it.
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

}  // namespace dagflow::detail
