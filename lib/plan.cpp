#include "plan.hpp"

#include <algorithm>
#include <mutex>
#include <utility>

namespace dagflow::detail {

// Numbering the tasks of a run needs a per-node "visited in this traversal" mark. Keeping the mark in
// the node (instead of a hash map from node to index) makes culling several times cheaper, at the price
// of serialising traversals: two threads computing at once take turns here, but only while numbering,
// never while running tasks.
struct Traversal {
  static std::mutex& lock() {
    static std::mutex mutex;
    return mutex;
  }

  struct Frame {
    const Node* node;
    std::uint32_t next_dep;
  };

  std::uint64_t epoch;
  std::vector<const Node*>& order;
  std::vector<Frame> stack{};
  std::size_t edges = 0;

  bool seen(const Node* node) const noexcept { return node->visit_epoch_ == epoch; }
  static std::uint32_t index(const Node* node) noexcept { return node->visit_index_; }

  // Iterative depth-first search numbering nodes in post-order, i.e. every dependency before the
  // tasks that use it. Iteration keeps chains of millions of tasks off the call stack.
  void visit(const Node* root) {
    if (seen(root)) return;
    root->visit_epoch_ = epoch;
    stack.push_back({root, 0});
    while (!stack.empty()) {
      Frame& top = stack.back();
      const auto deps = top.node->deps();
      if (top.next_dep < deps.size()) {
        const Node* dep = deps[top.next_dep++];
        if (!seen(dep)) {
          dep->visit_epoch_ = epoch;
          stack.push_back({dep, 0});
        }
      } else {
        top.node->visit_index_ = static_cast<std::uint32_t>(order.size());
        order.push_back(top.node);
        edges += deps.size();
        stack.pop_back();
      }
    }
  }
};

Plan::Plan(std::span<Node* const> roots) {
  {
    std::lock_guard guard(Traversal::lock());
    static std::uint64_t last_epoch = 0;
    Traversal traversal{++last_epoch, nodes_};
    for (const Node* root : roots) traversal.visit(root);

    // The marks are only valid under the lock, so the edges are numbered before releasing it. Both
    // arrays get their exact size up front: growing them would churn the allocator for large graphs.
    deps_start_.reserve(nodes_.size() + 1);
    deps_.reserve(traversal.edges);
    deps_start_.push_back(0);
    for (const Node* node : nodes_) {
      for (const Node* dep : node->deps()) deps_.push_back(Traversal::index(dep));
      deps_start_.push_back(static_cast<std::uint32_t>(deps_.size()));
    }
    outputs_.reserve(roots.size());
    for (const Node* root : roots) outputs_.push_back(Traversal::index(root));
  }

  uses_.assign(nodes_.size(), 0);
  for (std::uint32_t dep : deps_) ++uses_[dep];
  for (std::uint32_t output : outputs_) ++uses_[output];
}

DependentIndex Plan::index_dependents() const {
  return index_dependents_of([](std::uint32_t) { return true; });
}

DependentIndex Plan::index_dependents(std::span<const std::uint8_t> local) const {
  return index_dependents_of([local](std::uint32_t task) { return local[task] != 0; });
}

template <class IsLocal>
DependentIndex Plan::index_dependents_of(IsLocal is_local) const {
  DependentIndex index;
  const std::uint32_t tasks = size();
  std::size_t edges = 0;
  // Counting sort of the edges by dependency: count each row's length one slot ahead, prefix-sum into
  // row starts, then fill.
  index.start_.assign(tasks + 1, 0);
  for (std::uint32_t task = 0; task < tasks; ++task) {
    if (!is_local(task)) continue;
    const auto task_deps = deps(task);
    if (task_deps.empty()) index.sources_.push_back(task);
    for (std::uint32_t dep : task_deps) ++index.start_[dep + 1];
    edges += task_deps.size();
  }
  for (std::uint32_t task = 0; task < tasks; ++task) index.start_[task + 1] += index.start_[task];
  index.tasks_.resize(edges);
  // Filling row `dep` advances start_[dep] to the start of row dep + 1; shifting the array by one
  // afterwards restores the row starts without a second array of cursors.
  for (std::uint32_t task = 0; task < tasks; ++task) {
    if (!is_local(task)) continue;
    for (std::uint32_t dep : deps(task)) index.tasks_[index.start_[dep]++] = task;
  }
  std::copy_backward(index.start_.begin(), index.start_.end() - 1, index.start_.end());
  index.start_[0] = 0;
  return index;
}

std::uint32_t Plan::critical_path_length() const {
  // Topological order makes this one pass: a task's depth is one more than its deepest dependency's.
  std::vector<std::uint32_t> depth(size(), 1);
  std::uint32_t longest = 0;
  for (std::uint32_t task = 0; task < size(); ++task) {
    for (std::uint32_t dep : deps(task)) depth[task] = std::max(depth[task], depth[dep] + 1);
    longest = std::max(longest, depth[task]);
  }
  return longest;
}

}  // namespace dagflow::detail
