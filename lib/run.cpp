#include "run.hpp"

#include <string>

#include "dagflow/errors.hpp"

namespace dagflow::detail {

Run::Run(const Plan& plan, const ComputeOptions& options) : Run(plan, options, plan.uses()) {}

Run::Run(const Plan& plan, const ComputeOptions& options, std::span<const std::uint32_t> uses)
    : plan_(plan),
      callback_(options.callback),
      slots_(new Slot[plan.size()]),
      unread_(new std::atomic<std::uint32_t>[plan.size()]) {
  for (std::uint32_t task = 0; task < plan.size(); ++task) unread_[task].store(uses[task], std::memory_order_relaxed);
}

bool Run::run_task(std::uint32_t task, int worker) noexcept {
  if (cancelled()) return true;
  const Node& node = plan_.node(task);
  const auto deps = plan_.deps(task);
  const TaskInfo info(node, task, worker);
  if (callback_ != nullptr) callback_->on_task_start(info);
  bool ok = true;
  try {
    node.run(InputView(slots_.get(), unread_.get(), deps.data()), slots_[task]);
  } catch (...) {
    ok = false;
    fail(task, std::current_exception());
  }
  if (callback_ != nullptr) callback_->on_task_finish(info, ok);
  if (!ok) return false;
  for (std::uint32_t dep : deps) {
    if (unread_[dep].fetch_sub(1, std::memory_order_acq_rel) == 1) slots_[dep].reset();
  }
  return true;
}

void Run::fail(std::uint32_t task, std::exception_ptr error) noexcept {
  bool expected = false;
  if (failed_.compare_exchange_strong(expected, true, std::memory_order_acq_rel)) {
    failed_task_ = task;
    error_ = std::move(error);
    stopped_.store(true, std::memory_order_relaxed);
  }
}

void Run::adopt_failure(std::uint32_t task, std::string key, std::exception_ptr error) noexcept {
  stopped_.store(true, std::memory_order_relaxed);
  failed_.store(true, std::memory_order_release);
  failed_task_ = task;
  failed_key_ = std::move(key);
  error_ = std::move(error);
}

void Run::rethrow_if_failed() const {
  // A task's own failure is the more useful report when the run was also cancelled from outside.
  if (failed_.load(std::memory_order_acquire))
    throw TaskError(failed_key_.empty() ? plan_.node(failed_task_).key() : failed_key_, error_);
  if (interrupted_)
    throw CancelledError(
        "dagflow: the computation was cancelled from outside before all of its " + std::to_string(plan_.size()) +
        " tasks ran: the oneTBB work that called compute() (an enclosing task or parallel algorithm) was "
        "cancelled, e.g. because a sibling task threw");
}

}  // namespace dagflow::detail
