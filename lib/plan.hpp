// The culled task graph of one run, in the form the executors and analyses want.
#pragma once

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <cstdint>
#include <span>
#include <vector>

#include "dagflow/detail/node.hpp"

namespace dagflow::detail {

/// Dependency graph of a run: vertex i is the i-th task in topological order, and its out-edges go to
/// its dependencies in argument order. A compressed sparse row graph is the most compact and fastest
/// Boost.Graph structure for a graph that never changes once built.
using DependencyGraph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                                           boost::no_property, std::uint32_t, std::uint32_t>;

/// The tasks that the requested outputs need, and nothing else (culling), numbered in topological order.
class Plan {
 public:
  /// Collects every task reachable from `roots`. Safe to call from several threads on shared graphs.
  explicit Plan(std::span<Node* const> roots);

  std::uint32_t size() const noexcept { return static_cast<std::uint32_t>(nodes_.size()); }
  std::size_t edge_count() const noexcept { return graph_.m_forward.m_column.size(); }
  const Node& node(std::uint32_t task) const noexcept { return *nodes_[task]; }
  /// Local indices of the task's dependencies, in argument order.
  std::span<const std::uint32_t> deps(std::uint32_t task) const noexcept {
    const auto& rows = graph_.m_forward.m_rowstart;
    return {graph_.m_forward.m_column.data() + rows[task], rows[task + 1] - rows[task]};
  }
  /// How many times each task's result is read: once per consuming edge, plus once per time it is
  /// requested as an output (so outputs are never released early).
  std::span<const std::uint32_t> uses() const noexcept { return uses_; }
  /// Local index of each requested output, in request order.
  std::span<const std::uint32_t> outputs() const noexcept { return outputs_; }
  const DependencyGraph& graph() const noexcept { return graph_; }

  /// Number of tasks on the longest dependency chain (the run's depth if every task took one step).
  std::uint32_t critical_path_length() const;

 private:
  std::vector<const Node*> nodes_;
  DependencyGraph graph_;
  std::vector<std::uint32_t> uses_;
  std::vector<std::uint32_t> outputs_;
};

}  // namespace dagflow::detail
