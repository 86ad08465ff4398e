// The state of one computation: results, remaining readers, the first error. Separate from the graph
// (which is immutable and may be shared by concurrent runs) and from the threads (the executor).
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <memory>

#include "dagflow/detail/slot.hpp"
#include "dagflow/options.hpp"
#include "plan.hpp"

namespace dagflow::detail {

class Run {
 public:
  Run(const Plan& plan, const ComputeOptions& options);

  const Plan& plan() const noexcept { return plan_; }

  /// Runs one task whose dependencies have all run, then releases the inputs it was the last reader
  /// of. Never throws: a task's exception is recorded and cancels the run. Returns false when the task
  /// failed. Does nothing once the run is cancelled.
  bool run_task(std::uint32_t task, int worker) noexcept;

  bool cancelled() const noexcept { return failed_.load(std::memory_order_relaxed); }

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

 private:
  void fail(std::uint32_t task, std::exception_ptr error) noexcept;

  const Plan& plan_;
  Callback* callback_;
  std::unique_ptr<Slot[]> slots_;
  // Readers of each result that have not run yet; the reader that brings it to zero frees the result.
  std::unique_ptr<std::atomic<std::uint32_t>[]> unread_;
  std::atomic<bool> failed_{false};
  // Written once, by the thread that set failed_, and read after the executor joined.
  std::uint32_t failed_task_ = 0;
  std::exception_ptr error_;
  // Written by the thread that waited for the executor's tasks, before the executor returns; read after.
  bool interrupted_ = false;
};

}  // namespace dagflow::detail
