#include <oneapi/tbb/flow_graph.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/task_arena.h>

#include <memory>
#include <new>

#include "executor.hpp"

namespace dagflow::detail {

namespace {

using tbb::flow::continue_msg;

struct TaskBody {
  Run* run;
  tbb::flow::graph* graph;
  std::uint32_t task;

  continue_msg operator()(const continue_msg&) const {
    // A failed task cancels the flow graph, so successors that are not running yet never start.
    if (!run->run_task(task, tbb::this_task_arena::current_thread_index())) graph->cancel();
    return {};
  }
};

// Not `lightweight`: that policy runs successors inline, and a long chain would overflow the stack.
using TaskNode = tbb::flow::continue_node<continue_msg, TaskBody>;

// All task nodes of a run in one allocation: a million small allocations would cost more than the
// flow graph's own work. Nodes are constructed in place and destroyed in reverse order.
class TaskNodes {
 public:
  explicit TaskNodes(std::size_t capacity)
      : storage_(static_cast<TaskNode*>(::operator new(capacity * sizeof(TaskNode), std::align_val_t{alignof(TaskNode)}))) {}
  TaskNodes(const TaskNodes&) = delete;
  TaskNodes& operator=(const TaskNodes&) = delete;
  ~TaskNodes() {
    while (size_ > 0) storage_[--size_].~TaskNode();
    ::operator delete(storage_, std::align_val_t{alignof(TaskNode)});
  }
  void emplace(tbb::flow::graph& graph, const TaskBody& body) {
    ::new (static_cast<void*>(storage_ + size_)) TaskNode(graph, body);
    ++size_;
  }
  TaskNode& operator[](std::size_t i) noexcept { return storage_[i]; }

 private:
  TaskNode* storage_;
  std::size_t size_ = 0;
};

void run_flow_graph(Run& run) {
  const Plan& plan = run.plan();
  tbb::flow::graph graph;
  TaskNodes nodes(plan.size());
  for (std::uint32_t task = 0; task < plan.size(); ++task) nodes.emplace(graph, TaskBody{&run, &graph, task});
  for (std::uint32_t task = 0; task < plan.size(); ++task) {
    for (std::uint32_t dep : plan.deps(task)) tbb::flow::make_edge(nodes[dep], nodes[task]);
  }
  for (std::uint32_t task = 0; task < plan.size(); ++task) {
    if (plan.deps(task).empty()) nodes[task].try_put(continue_msg());
  }
  graph.wait_for_all();
}

}  // namespace

ThreadsExecutor::ThreadsExecutor(int workers)
    : workers_(workers), concurrency_(workers > 0 ? workers : tbb::info::default_concurrency()) {}

void ThreadsExecutor::execute(Run& run) {
  if (workers_ > 0) {
    tbb::task_arena arena(workers_);
    arena.execute([&] { run_flow_graph(run); });
  } else {
    run_flow_graph(run);
  }
}

}  // namespace dagflow::detail
