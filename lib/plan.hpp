// The culled task graph of one run, in the form the executors and analyses want.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "dagflow/detail/node.hpp"

namespace dagflow::detail {

/// Who reads each task's result: the reverse of a plan's dependency lists, plus the tasks that need
/// nothing (where a dynamic executor starts). Built on demand, since only executors that start tasks as
/// their inputs finish need it (the sync executor runs in index order and does not).
class DependentIndex {
 public:
  /// Tasks that read `task`'s result, in ascending index order (a task reading it twice is listed twice).
  std::span<const std::uint32_t> dependents(std::uint32_t task) const noexcept {
    return {tasks_.data() + start_[task], start_[task + 1] - start_[task]};
  }
  /// Tasks without dependencies, in ascending index order.
  std::span<const std::uint32_t> sources() const noexcept { return sources_; }

 private:
  friend class Plan;
  std::vector<std::uint32_t> start_;  // row starts into tasks_, one per task plus an end
  std::vector<std::uint32_t> tasks_;
  std::vector<std::uint32_t> sources_;
};

/// The tasks that the requested outputs need, and nothing else (culling), numbered in topological order.
///
/// The adjacency is two plain arrays in compressed-sparse-row layout (row starts and dependency
/// indices): it is built in one pass over the numbered nodes and read by index in the executors' hot
/// loops, so it needs nothing a graph library adds. Boost.Graph stays where its algorithms run
/// (TaskGraph's cycle and missing-key checks).
class Plan {
 public:
  Plan(const Plan&) = delete;
  Plan& operator=(const Plan&) = delete;

  /// Collects every task reachable from `roots`. Safe to call from several threads on shared graphs.
  explicit Plan(std::span<Node* const> roots);

  std::uint32_t size() const noexcept { return static_cast<std::uint32_t>(nodes_.size()); }
  std::size_t edge_count() const noexcept { return deps_.size(); }
  const Node& node(std::uint32_t task) const noexcept { return *nodes_[task]; }
  /// Local indices of the task's dependencies, in argument order (all lower than `task`).
  std::span<const std::uint32_t> deps(std::uint32_t task) const noexcept {
    return {deps_.data() + deps_start_[task], deps_start_[task + 1] - deps_start_[task]};
  }
  /// How many times each task's result is read: once per consuming edge, plus once per time it is
  /// requested as an output (so outputs are never released early).
  std::span<const std::uint32_t> uses() const noexcept { return uses_; }
  /// Local index of each requested output, in request order.
  std::span<const std::uint32_t> outputs() const noexcept { return outputs_; }

  /// The reverse adjacency and the sources, for executors that start tasks as their inputs finish.
  /// Costs two passes over the edges; call it once per run.
  DependentIndex index_dependents() const;
  /// The same restricted to the tasks for which `local[task]` is non-zero: only their edges are listed,
  /// and only they can be sources (a process that runs part of the plan).
  DependentIndex index_dependents(std::span<const std::uint8_t> local) const;

  /// Number of tasks on the longest dependency chain (the run's depth if every task took one step).
  std::uint32_t critical_path_length() const;

 private:
  template <class IsLocal>
  DependentIndex index_dependents_of(IsLocal is_local) const;

  std::vector<const Node*> nodes_;
  std::vector<std::uint32_t> deps_start_;  // row starts into deps_, one per task plus an end
  std::vector<std::uint32_t> deps_;
  std::vector<std::uint32_t> uses_;
  std::vector<std::uint32_t> outputs_;
};

}  // namespace dagflow::detail
