// The state of one computation: results, remaining readers, the first error. Separate from the graph
// (which is immutable and may be shared by concurrent runs) and from the threads (the executor).
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <memory>
#include <span>
#include <string>

#include "dagflow/detail/slot.hpp"
#include "dagflow/options.hpp"
#include "plan.hpp"

namespace dagflow::detail {

class Run {
 public:
  /// The run of `plan`, where each task's result is read `uses[task]` times (plan.uses() by default; a
  /// process that runs part of the plan counts only its own readers).
  Run(const Plan& plan, const ComputeOptions& options);
  Run(const Plan& plan, const ComputeOptions& options, std::span<const std::uint32_t> uses);

  const Plan& plan() const noexcept { return plan_; }

  /// Runs one task whose dependencies have all run, then releases the inputs it was the last reader
  /// of. Never throws: a task's exception is recorded and cancels the run. Returns false when the task
  /// failed. Does nothing once the run is cancelled.
  bool run_task(std::uint32_t task, int worker) noexcept;

  /// True once a task failed or cancel() was called: tasks not started yet are skipped.
  bool cancelled() const noexcept { return stopped_.load(std::memory_order_relaxed); }

  /// Stops the run although none of its own tasks failed (another process's task did).
  void cancel() noexcept { stopped_.store(true, std::memory_order_relaxed); }

  /// True when one of this run's tasks threw; failed_task() and error() say which and what.
  bool failed() const noexcept { return failed_.load(std::memory_order_acquire); }
  std::uint32_t failed_task() const noexcept { return failed_task_; }
  const std::exception_ptr& error() const noexcept { return error_; }

  /// Makes `task`'s failure, with `key` and `error`, the one rethrow_if_failed() reports, in place of any
  /// recorded here (processes that ran parts of one plan agree on one failure). Call after the executor.
  void adopt_failure(std::uint32_t task, std::string key, std::exception_ptr error) noexcept;

  /// Records that the executor stopped before every task ran although no task failed: the oneTBB work
  /// it runs in was cancelled from outside (see rethrow_if_failed()). Call before the executor returns.
  void interrupt() noexcept { interrupted_ = true; }

  /// True when every task ran: no task failed and the run was not interrupted.
  bool succeeded() const noexcept { return !cancelled() && !interrupted_; }

  /// Throws the TaskError of the first failed task, if any, or else CancelledError when the run was
  /// interrupted. Call after the executor has finished.
  void rethrow_if_failed() const;

  /// The result slot of a task (after the run, only outputs still hold values).
  Slot& result(std::uint32_t task) noexcept { return slots_[task]; }

  /// Records that `task` failed with `error` (the first failure recorded wins) and cancels the run.
  void fail(std::uint32_t task, std::exception_ptr error) noexcept;

 private:
  const Plan& plan_;
  Callback* callback_;
  std::unique_ptr<Slot[]> slots_;
  // Readers of each result that have not run yet; the reader that brings it to zero frees the result.
  std::unique_ptr<std::atomic<std::uint32_t>[]> unread_;
  std::atomic<bool> stopped_{false};
  std::atomic<bool> failed_{false};
  // Written once, by the thread that set failed_, and read after the executor joined.
  std::uint32_t failed_task_ = 0;
  std::exception_ptr error_;
  std::string failed_key_;  // set by adopt_failure(); empty: the failed node's own key
  // Written by the thread that waited for the executor's tasks, before the executor returns; read after.
  bool interrupted_ = false;
};

}  // namespace dagflow::detail
