#include "executor.hpp"

namespace dagflow::detail {

void SyncExecutor::execute(Run& run) {
  // The plan numbers tasks in topological order, so index order is a valid schedule.
  for (std::uint32_t task = 0; task < run.plan().size() && !run.cancelled(); ++task) run.run_task(task, 0);
}

}  // namespace dagflow::detail
