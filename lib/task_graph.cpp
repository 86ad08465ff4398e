// Lowering a TaskGraph: culling to what the requested keys need, checking it (missing keys, cycles,
// types) with Boost.Graph, and building nodes dependencies-first.
#include "dagflow/task_graph.hpp"

#include <boost/core/demangle.hpp>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/topological_sort.hpp>
#include <unordered_map>

namespace dagflow {

namespace {
std::string type_name(const std::type_info& type) { return boost::core::demangle(type.name()); }
}  // namespace

TaskGraph& TaskGraph::insert(std::string key, detail::GraphTask task) {
  if (key.empty()) throw UsageError("dagflow::TaskGraph: a task key must not be empty");
  auto [where, inserted] = tasks_.try_emplace(std::move(key), std::move(task));
  if (!inserted) throw UsageError("dagflow::TaskGraph: key '" + where->first + "' was already added");
  return *this;
}

std::vector<std::string> TaskGraph::keys() const {
  std::vector<std::string> out;
  out.reserve(tasks_.size());
  for (const auto& [key, task] : tasks_) out.push_back(key);
  return out;
}

const std::vector<std::string>& TaskGraph::dependencies(const std::string& key) const {
  auto where = tasks_.find(key);
  if (where == tasks_.end()) throw GraphError("dagflow::TaskGraph: key '" + key + "' is not in the graph", {key});
  return where->second.deps;
}

namespace detail {

void throw_arity_mismatch(const std::string& key, std::size_t params, std::size_t deps) {
  throw UsageError("dagflow::TaskGraph: task '" + key + "' takes " + std::to_string(params) + " arguments but " +
                   std::to_string(deps) + " dependencies were given");
}

namespace {

using KeyGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
using Vertex = KeyGraph::vertex_descriptor;

// The tasks that the requested keys need, numbered; edges go from a task to its dependencies.
struct Needed {
  std::vector<std::pair<const std::string*, const GraphTask*>> tasks;
  KeyGraph graph;
  std::vector<Vertex> requested;  // vertex of each requested key, in request order
};

template <class Tasks>
Needed collect_needed(const Tasks& tasks, std::span<const std::string> keys) {
  Needed needed;
  std::unordered_map<std::string_view, Vertex> index;
  auto vertex_of = [&](const std::string& key, const std::string* needed_by) -> Vertex {
    if (auto found = index.find(key); found != index.end()) return found->second;
    auto task = tasks.find(key);
    if (task == tasks.end()) {
      if (needed_by == nullptr) throw GraphError("dagflow::TaskGraph: key '" + key + "' is not in the graph", {key});
      throw GraphError(
          "dagflow::TaskGraph: task '" + *needed_by + "' depends on '" + key + "', which is not in the graph",
          {*needed_by, key});
    }
    const Vertex vertex = boost::add_vertex(needed.graph);
    index.emplace(task->first, vertex);
    needed.tasks.emplace_back(&task->first, &task->second);
    return vertex;
  };
  for (const auto& key : keys) needed.requested.push_back(vertex_of(key, nullptr));
  for (Vertex v = 0; v < needed.tasks.size(); ++v) {  // grows while we walk: a breadth-first search
    const auto [key, task] = needed.tasks[v];
    for (const auto& dep : task->deps) boost::add_edge(v, vertex_of(dep, key), needed.graph);
  }
  return needed;
}

// Depth-first search that stops at the first back edge and reports the cycle it closes.
struct CycleFinder : boost::default_dfs_visitor {
  std::vector<Vertex>* parent;
  std::vector<Vertex>* cycle;
  void tree_edge(KeyGraph::edge_descriptor e, const KeyGraph& g) const {
    (*parent)[boost::target(e, g)] = boost::source(e, g);
  }
  void back_edge(KeyGraph::edge_descriptor e, const KeyGraph& g) const {
    // The DFS stack from target to source is the cycle: walk the tree back from source to target.
    const Vertex from = boost::source(e, g), to = boost::target(e, g);
    for (Vertex v = from; v != to; v = (*parent)[v]) cycle->push_back(v);
    cycle->push_back(to);
    std::reverse(cycle->begin(), cycle->end());
    throw *this;  // Boost's DFS has no early exit; unwinding out of it is the documented way
  }
};

void check_acyclic(const Needed& needed) {
  std::vector<Vertex> parent(needed.tasks.size()), cycle;
  try {
    boost::depth_first_search(needed.graph, boost::visitor(CycleFinder{{}, &parent, &cycle}));
  } catch (const CycleFinder&) {
    std::vector<std::string> keys;
    std::string path;
    for (Vertex v : cycle) {
      keys.push_back(*needed.tasks[v].first);
      path += keys.back() + " -> ";
    }
    path += keys.front();
    throw GraphError("dagflow::TaskGraph: cycle (each task depends on the next): " + path, std::move(keys));
  }
}

// Out-edges of a vertex are in insertion order, which is the task's parameter order.
void check_types(const Needed& needed) {
  for (Vertex v = 0; v < needed.tasks.size(); ++v) {
    const auto [key, task] = needed.tasks[v];
    std::size_t k = 0;
    for (auto edge : boost::make_iterator_range(boost::out_edges(v, needed.graph))) {
      const auto [dep_key, dep] = needed.tasks[boost::target(edge, needed.graph)];
      const std::type_info& wanted = *task->param_types[k];
      if (*dep->result_type != wanted) {
        throw GraphError("dagflow::TaskGraph: task '" + *key + "' takes argument " + std::to_string(k + 1) + " as " +
                             type_name(wanted) + " but its dependency '" + *dep_key + "' gives " +
                             type_name(*dep->result_type),
                         {*key, *dep_key});
      }
      ++k;
    }
  }
}

// Builds the nodes dependencies-first, so each node's inputs exist when it is made.
std::vector<NodeRef> build_nodes(const Needed& needed) {
  std::vector<Vertex> order;  // topological_sort emits a vertex after everything it points to
  order.reserve(needed.tasks.size());
  boost::topological_sort(needed.graph, std::back_inserter(order));
  std::vector<NodeRef> nodes(needed.tasks.size());
  for (Vertex v : order) {
    DepList deps(static_cast<std::uint32_t>(boost::out_degree(v, needed.graph)));
    std::uint32_t k = 0;
    for (auto edge : boost::make_iterator_range(boost::out_edges(v, needed.graph)))
      deps.data()[k++] = NodeRef(nodes[boost::target(edge, needed.graph)]).detach();
    nodes[v] = NodeRef::adopt(needed.tasks[v].second->make_node(std::move(deps)));
  }
  return nodes;
}

}  // namespace

std::vector<NodeRef> lower(const TaskGraph& graph, std::span<const std::string> keys,
                           const std::type_info& result_type) {
  const Needed needed = collect_needed(graph.tasks_, keys);
  for (Vertex v : needed.requested) {
    const auto [key, task] = needed.tasks[v];
    if (*task->result_type != result_type) {
      throw UsageError("dagflow::TaskGraph: key '" + *key + "' gives " + type_name(*task->result_type) + ", not the " +
                       type_name(result_type) + " asked for");
    }
  }
  check_acyclic(needed);
  check_types(needed);
  const std::vector<NodeRef> nodes = build_nodes(needed);
  std::vector<NodeRef> roots;
  roots.reserve(keys.size());
  for (Vertex v : needed.requested) roots.push_back(nodes[v]);
  return roots;
}

}  // namespace detail
}  // namespace dagflow
