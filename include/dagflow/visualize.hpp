// Pictures of task graphs: Graphviz DOT written by dagflow, rendered to SVG/PNG/PDF by Graphviz.
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>

namespace dagflow {

namespace detail {
class Node;
}

/// How a task graph is drawn.
struct VisualizeOptions {
  /// Graphviz rank direction: "BT" (inputs at the bottom, as Dask draws), "TB", "LR" or "RL".
  std::string rankdir = "BT";
  /// Graphs with more tasks than this are collapsed: one box per task name with the number of tasks it
  /// stands for, and a note saying so. Set to 0 to always draw every task.
  std::size_t max_nodes = 500;
};

namespace detail {
/// DOT text of the graph that `roots` need. Throws UsageError for an invalid rankdir.
std::string to_dot(std::span<Node* const> roots, const VisualizeOptions& options);
/// Writes the graph to `path`; the format follows the extension (.dot, .svg, .png, .pdf). The file
/// appears complete or not at all (AtomicFile). Throws UsageError for an unknown extension and Error
/// when Graphviz's `dot` is missing or fails, or the file cannot be written.
void visualize(std::span<Node* const> roots, const std::filesystem::path& path, const VisualizeOptions& options);
}  // namespace detail

}  // namespace dagflow
