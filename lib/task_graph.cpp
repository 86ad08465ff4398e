// Storing a TaskGraph's tasks, and lowering it: culling to what the requested keys need while checking
// that every key exists and every dependency gives the type its consumer takes, finding cycles and the
// build order with Boost.Graph, and building nodes dependencies-first.
//
// Adding a task costs one record in a chunked table, one object in an arena and one slot in a flat hash
// index; lowering allocates a few flat arrays (and the nodes), never a container per task. The walks
// are iterative (a breadth-first cull, Boost's non-recursive depth-first search), so a deep chain
// cannot overflow the stack.
#include "dagflow/task_graph.hpp"

#include <algorithm>
#include <boost/core/demangle.hpp>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <boost/range/iterator_range.hpp>
#include <cstring>
#include <optional>

namespace dagflow {

namespace {
std::string type_name(const std::type_info& type) { return boost::core::demangle(type.name()); }

// MurmurHash3's finaliser: every input bit affects every output bit.
std::uint64_t mix(std::uint64_t x) noexcept {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  return x ^ (x >> 33);
}

}  // namespace

namespace detail {

GraphTasks::GraphTasks(const GraphTasks& other) {
  chunks_.reserve(other.chunks_.size());
  for (std::size_t i = 0; i < other.size_; ++i) push_back(GraphTask(other[i]));
}

void GraphTasks::add_chunk() {
  auto chunk = std::make_unique_for_overwrite<GraphTask[]>(chunk_mask + 1);  // assigned before read
  chunks_.push_back(std::move(chunk));
}

// The key read eight bytes at a time, inline: keys are short ("inc-123456") and every add() hashes its
// key and its dependencies, which with std::hash (an out-of-line Murmur2) cost some 50 instructions each.
std::uint32_t KeyIndex::hash(std::string_view key) noexcept {
  std::uint64_t hash = key.size();
  const char* at = key.data();
  std::size_t left = key.size();
  for (; left >= 8; at += 8, left -= 8) {
    std::uint64_t word;
    std::memcpy(&word, at, 8);
    hash = (hash ^ word) * 0x9e3779b97f4a7c15ULL;
    hash ^= hash >> 29;
  }
  std::uint64_t tail = 0;
  if (left > 0 && key.size() >= 8) {
    std::memcpy(&tail, key.data() + key.size() - 8, 8);  // the last eight bytes, overlapping the loop's
  } else {
    for (std::size_t k = 0; k < left; ++k) tail |= std::uint64_t{static_cast<unsigned char>(at[k])} << (8 * k);
  }
  return static_cast<std::uint32_t>(mix(hash ^ tail));
}

std::uint32_t KeyIndex::find(std::string_view key, std::uint32_t hash, const GraphTasks& tasks) const noexcept {
  if (slots_.empty()) return none;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t at = hash & mask;; at = (at + 1) & mask) {
    const std::uint64_t slot = slots_[at];
    if (slot == 0) return none;
    // Comparing the stored hash first keeps most probes away from the keys' memory.
    const auto task = static_cast<std::uint32_t>(slot) - 1;
    if (static_cast<std::uint32_t>(slot >> 32) == hash && *tasks[task].key == key) return task;
  }
}

void KeyIndex::grow(std::size_t count) {
  std::size_t size = std::max<std::size_t>(16, slots_.size());
  while (size < 2 * count) size *= 2;
  std::vector<std::uint64_t> old(size, 0);
  old.swap(slots_);
  // Re-place each entry by its stored hash: no key is read or hashed again.
  const std::size_t mask = slots_.size() - 1;
  for (std::uint64_t slot : old) {
    if (slot == 0) continue;
    std::size_t at = (slot >> 32) & mask;
    while (slots_[at] != 0) at = (at + 1) & mask;
    slots_[at] = slot;
  }
}

std::uint32_t KeyIndex::insert(std::string_view key, std::uint32_t hash, std::uint32_t task,
                               const GraphTasks& tasks) noexcept {
  const std::size_t mask = slots_.size() - 1;
  std::size_t at = hash & mask;
  for (; slots_[at] != 0; at = (at + 1) & mask) {
    const auto other = static_cast<std::uint32_t>(slots_[at]) - 1;
    if (static_cast<std::uint32_t>(slots_[at] >> 32) == hash && *tasks[other].key == key) return other;
  }
  slots_[at] = (std::uint64_t{hash} << 32) | (std::uint64_t{task} + 1);
  return task;
}

BoxArena::~BoxArena() {
  for (Entry* entry = last_; entry != nullptr; entry = entry->previous) entry->destroy(entry->object);
}

std::byte* BoxArena::new_block(std::size_t size, std::size_t alignment) {
  // Small graphs stay small; large ones allocate once per MiB.
  const std::size_t bytes = std::max(next_block_, sizeof(Entry) + alignof(Entry) + alignment + size);
  next_block_ = std::min(std::size_t{1} << 20, 2 * next_block_);
  blocks_.reserve(blocks_.size() + 1);
  blocks_.push_back(std::make_unique_for_overwrite<std::byte[]>(bytes));
  free_ = blocks_.back().get();
  end_ = free_ + bytes;
  return free_;
}

}  // namespace detail

namespace {
// Room for `extra` more elements, doubling: reserve(size + extra) alone would grow one element at a time.
template <class T>
void make_room(std::vector<T>& vector, std::size_t extra) {
  if (vector.size() + extra > vector.capacity())
    vector.reserve(std::max({std::size_t{16}, 2 * vector.capacity(), vector.size() + extra}));
}
}  // namespace

TaskGraph::TaskGraph(const TaskGraph& other)
    : tasks_(other.tasks_), dep_tasks_(other.dep_tasks_), index_(other.index_), arenas_(other.arenas_) {}

TaskGraph& TaskGraph::operator=(const TaskGraph& other) {
  TaskGraph copy(other);
  *this = std::move(copy);
  adds_to_last_arena_ = false;  // the last arena is the original's
  return *this;
}

detail::BoxArena& TaskGraph::new_arena() {
  if (arenas_.size() >= detail::KeyIndex::none) throw UsageError("dagflow::TaskGraph: too many copies");
  arenas_.reserve(arenas_.size() + 1);
  arenas_.push_back(std::make_shared<detail::BoxArena>());
  adds_to_last_arena_ = true;
  return *arenas_.back();
}

TaskGraph& TaskGraph::insert(detail::GraphTask task, std::uint32_t hash) {
  task.arena = static_cast<std::uint32_t>(arenas_.size() - 1);  // the box was just made in arena()
  if (tasks_.size() >= detail::KeyIndex::none - 1) throw UsageError("dagflow::TaskGraph: too many tasks");
  // Allocate first: once the task is in the table nothing may throw, so a failed add changes nothing.
  make_room(dep_tasks_, task.deps.size());
  index_.reserve(tasks_.size() + 1);
  const auto number = static_cast<std::uint32_t>(tasks_.size());
  tasks_.push_back(std::move(task));  // has no effect when it throws
  detail::GraphTask& added = tasks_.back();
  // Resolve the dependencies added before this task now, while their index entries are likely cached;
  // the others (and the task itself) are looked up by name when the graph is lowered.
  added.first_dep = static_cast<std::uint32_t>(dep_tasks_.size());
  for (const auto& dep : added.deps) dep_tasks_.push_back(index_.find(dep, tasks_));
  if (index_.insert(*added.key, hash, number, tasks_) != number) {
    const std::string& key = *added.key;  // in the arena, which outlives the record
    dep_tasks_.resize(added.first_dep);
    tasks_.pop_back();
    throw UsageError("dagflow::TaskGraph: key '" + key + "' was already added");
  }
  return *this;
}

std::vector<std::string> TaskGraph::keys() const {
  std::vector<std::string> out;
  out.reserve(tasks_.size());
  for (std::size_t i = 0; i < tasks_.size(); ++i) out.push_back(*tasks_[i].key);
  std::sort(out.begin(), out.end());
  return out;
}

const std::vector<std::string>& TaskGraph::dependencies(const std::string& key) const {
  const std::uint32_t task = index_.find(key, tasks_);
  if (task == detail::KeyIndex::none)
    throw GraphError("dagflow::TaskGraph: key '" + key + "' is not in the graph", {key});
  return tasks_[task].deps;
}

namespace detail {

void throw_empty_key() { throw UsageError("dagflow::TaskGraph: a task key must not be empty"); }

void throw_arity_mismatch(const std::string& key, std::size_t params, std::size_t deps) {
  throw UsageError("dagflow::TaskGraph: task '" + key + "' takes " + std::to_string(params) + " arguments but " +
                   std::to_string(deps) + " dependencies were given");
}

namespace {

using Vertex = std::uint32_t;
// Compressed sparse rows: two flat arrays for the whole graph. Edges go from a task to its dependencies;
// a vertex's out-edges keep the order they were given in, which is the task's parameter order.
using KeyGraph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                                    boost::no_property, Vertex, Vertex>;

// What lowering reads of a TaskGraph.
struct Tasks {
  const GraphTasks& tasks;
  const std::vector<std::uint32_t>& dep_tasks;
  const KeyIndex& index;
};

// A dependency whose result type is not the one its consumer's parameter takes.
struct Mismatch {
  Vertex task;
  std::size_t argument;  // from 0
  Vertex dependency;
};

// The tasks that the requested keys need, numbered in the order a breadth-first walk meets them, and
// one more vertex, the root, with an edge to each requested task: one depth-first visit from it sees
// every needed task, instead of one visit (and one stack allocation) per requested key.
struct Needed {
  std::vector<const GraphTask*> tasks;  // by vertex; the root is vertex tasks.size()
  KeyGraph graph;
  std::vector<Vertex> requested;  // vertex of each requested key, in request order
  // The first type mismatch in vertex and parameter order, found during the walk (where both tasks are
  // at hand) but reported after the cycle check, which comes first.
  std::optional<Mismatch> mismatch;
  Vertex root() const noexcept { return static_cast<Vertex>(tasks.size()); }
};

[[noreturn]] void throw_missing(const std::string& key, const std::string* needed_by) {
  if (needed_by == nullptr) throw GraphError("dagflow::TaskGraph: key '" + key + "' is not in the graph", {key});
  throw GraphError("dagflow::TaskGraph: task '" + *needed_by + "' depends on '" + key + "', which is not in the graph",
                   {*needed_by, key});
}

// Vertex numbers of task numbers, given as tasks are met. A small get from a large graph must not cost
// a pass over the whole graph, and a large one must not hash every task: the numbers are kept in a hash
// table while few tasks are needed, then in an array over the whole graph once a sixteenth of it is.
class Numbering {
 public:
  explicit Numbering(std::size_t tasks) : graph_size_(tasks) {}
  Vertex operator()(std::uint32_t task) {
    if (!dense_.empty()) {
      if (dense_[task] == KeyIndex::none) dense_[task] = add(task);
      return dense_[task];
    }
    if (16 * (tasks_.size() + 1) > graph_size_) {
      go_dense();
      return (*this)(task);
    }
    if (2 * (tasks_.size() + 1) > sparse_.size()) rehash(std::max<std::size_t>(64, 2 * sparse_.size()));
    std::size_t at = slot(task);
    for (; sparse_[at].first != 0; at = (at + 1) & (sparse_.size() - 1))
      if (sparse_[at].first == task + 1) return sparse_[at].second;
    sparse_[at] = {task + 1, add(task)};
    return sparse_[at].second;
  }
  std::size_t size() const noexcept { return tasks_.size(); }
  std::uint32_t task(Vertex v) const noexcept { return tasks_[v]; }

 private:
  Vertex add(std::uint32_t task) {
    tasks_.push_back(task);
    return static_cast<Vertex>(tasks_.size() - 1);
  }
  std::size_t slot(std::uint32_t task) const noexcept {
    return (std::uint64_t{task} * 0x9e3779b97f4a7c15ULL >> 32) & (sparse_.size() - 1);
  }
  void rehash(std::size_t size) {
    sparse_.assign(size, {0, 0});
    for (Vertex v = 0; v < tasks_.size(); ++v) {
      std::size_t at = slot(tasks_[v]);
      while (sparse_[at].first != 0) at = (at + 1) & (sparse_.size() - 1);
      sparse_[at] = {tasks_[v] + 1, v};
    }
  }
  void go_dense() {
    dense_.assign(graph_size_, KeyIndex::none);
    for (Vertex v = 0; v < tasks_.size(); ++v) dense_[tasks_[v]] = v;
    sparse_ = {};
    tasks_.reserve(graph_size_);  // address space only, where few tasks are needed
  }

  std::size_t graph_size_;
  std::vector<std::pair<std::uint32_t, Vertex>> sparse_;  // (task number + 1, vertex); 0 is empty
  std::vector<Vertex> dense_;                             // by task number, once in use
  std::vector<std::uint32_t> tasks_;                      // by vertex
};

// Looks the requested keys up. Each look-up is a cache miss in a large graph, so the slots of the keys a
// few places ahead are loaded while the current one is compared.
void find_requested(const Tasks& all, std::span<const std::string> keys, Numbering& number, Needed& needed) {
  constexpr std::size_t ahead = 8;
  std::vector<std::uint32_t> hashes(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    hashes[i] = KeyIndex::hash(keys[i]);
    if (i < ahead) all.index.prefetch(hashes[i]);
  }
  needed.requested.reserve(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i + ahead < keys.size()) all.index.prefetch(hashes[i + ahead]);
    const std::uint32_t task = all.index.find(keys[i], hashes[i], all.tasks);
    if (task == KeyIndex::none) throw_missing(keys[i], nullptr);
    needed.requested.push_back(number(task));
  }
}

Needed collect_needed(const Tasks& all, std::span<const std::string> keys) {
  Needed needed;
  Numbering number(all.tasks.size());
  find_requested(all, keys, number, needed);
  std::vector<std::pair<Vertex, Vertex>> edges;  // sorted by source, as the walk makes them
  edges.reserve(std::min<std::size_t>(all.dep_tasks.size(), 1 << 16) + keys.size());
  for (Vertex v = 0; v < number.size(); ++v) {  // grows while we walk: a breadth-first search
    const GraphTask& task = all.tasks[number.task(v)];
    for (std::size_t k = 0; k < task.deps.size(); ++k) {
      std::uint32_t dep = all.dep_tasks[task.first_dep + k];
      if (dep == KeyIndex::none) dep = all.index.find(task.deps[k], all.tasks);  // added after the task
      if (dep == KeyIndex::none) throw_missing(task.deps[k], task.key);
      edges.emplace_back(v, number(dep));
      if (!needed.mismatch && *all.tasks[dep].kind->result_type != *task.kind->param_types[k])
        needed.mismatch = Mismatch{v, k, edges.back().second};
    }
  }
  const auto root = static_cast<Vertex>(number.size());
  for (Vertex v : needed.requested) edges.emplace_back(root, v);
  needed.tasks.reserve(number.size());
  for (Vertex v = 0; v < root; ++v) needed.tasks.push_back(&all.tasks[number.task(v)]);
  needed.graph = KeyGraph(boost::edges_are_sorted, edges.begin(), edges.end(), number.size() + 1);
  return needed;
}

// Depth-first search that records the order in which vertices finish (each after everything it depends
// on: the order to build nodes in) and stops at the first back edge, reporting the cycle it closes.
struct OrderAndCycle : boost::default_dfs_visitor {
  std::vector<Vertex>* parent;
  std::vector<Vertex>* order;
  std::vector<Vertex>* cycle;
  void tree_edge(KeyGraph::edge_descriptor e, const KeyGraph& g) const {
    (*parent)[boost::target(e, g)] = boost::source(e, g);
  }
  void finish_vertex(Vertex v, const KeyGraph&) const { order->push_back(v); }
  void back_edge(KeyGraph::edge_descriptor e, const KeyGraph& g) const {
    // The DFS stack from target to source is the cycle: walk the tree back from source to target.
    const Vertex from = boost::source(e, g), to = boost::target(e, g);
    for (Vertex v = from; v != to; v = (*parent)[v]) cycle->push_back(v);
    cycle->push_back(to);
    std::reverse(cycle->begin(), cycle->end());
    throw *this;  // Boost's DFS has no early exit; unwinding out of it is the documented way
  }
};

// The needed tasks' vertices, dependencies-first. Throws GraphError naming the whole cycle when there is one.
std::vector<Vertex> dependencies_first(const Needed& needed) {
  const std::size_t n = needed.tasks.size() + 1;
  std::vector<Vertex> parent(n), order, cycle;
  order.reserve(n);
  std::vector<boost::default_color_type> colors(n, boost::white_color);
  try {
    boost::depth_first_visit(
        needed.graph, needed.root(), OrderAndCycle{{}, &parent, &order, &cycle},
        boost::make_iterator_property_map(colors.begin(), boost::get(boost::vertex_index, needed.graph)));
  } catch (const OrderAndCycle&) {
    std::vector<std::string> keys;
    std::string path;
    for (Vertex v : cycle) {
      keys.push_back(*needed.tasks[v]->key);
      path += keys.back() + " -> ";
    }
    path += keys.front();
    throw GraphError("dagflow::TaskGraph: cycle (each task depends on the next): " + path, std::move(keys));
  }
  order.pop_back();  // the root finishes last
  return order;
}

void check_types(const Needed& needed) {
  if (!needed.mismatch) return;
  const GraphTask& task = *needed.tasks[needed.mismatch->task];
  const GraphTask& dep = *needed.tasks[needed.mismatch->dependency];
  const std::size_t k = needed.mismatch->argument;
  throw GraphError("dagflow::TaskGraph: task '" + *task.key + "' takes argument " + std::to_string(k + 1) + " as " +
                       type_name(*task.kind->param_types[k]) + " but its dependency '" + *dep.key + "' gives " +
                       type_name(*dep.kind->result_type),
                   {*task.key, *dep.key});
}

// Builds the nodes in `order`, so that each node's inputs exist when it is made, and returns those of
// the requested keys. A node's first reference goes to its first consumer (or the first request for it)
// instead of to a table released at the end: two atomic operations fewer per task.
std::vector<NodeRef> build_nodes(const Needed& needed, const std::vector<Vertex>& order,
                                 const std::vector<std::shared_ptr<BoxArena>>& arenas) {
  std::vector<Node*> nodes(needed.tasks.size());
  std::vector<bool> handed_over(needed.tasks.size(), false);
  auto reference = [&](Vertex v) {
    if (handed_over[v]) return NodeRef(nodes[v]).detach();
    handed_over[v] = true;
    return nodes[v];
  };
  std::vector<NodeRef> roots;
  roots.reserve(needed.requested.size());  // before any node exists: nothing below but make_node throws
  std::size_t made = 0;
  try {
    for (Vertex v : order) {
      DepList deps(static_cast<std::uint32_t>(boost::out_degree(v, needed.graph)));
      std::uint32_t k = 0;
      for (auto edge : boost::make_iterator_range(boost::out_edges(v, needed.graph)))
        deps.data()[k++] = reference(boost::target(edge, needed.graph));
      const GraphTask& task = *needed.tasks[v];
      nodes[v] = task.kind->make_node(arenas[task.arena], task.box, std::move(deps));
      ++made;
    }
  } catch (...) {  // std::bad_alloc: give back what was made and not handed over
    for (std::size_t i = 0; i < made; ++i)
      if (!handed_over[order[i]]) release(nodes[order[i]]);
    throw;
  }
  for (Vertex v : needed.requested) roots.push_back(NodeRef::adopt(reference(v)));
  return roots;
}

}  // namespace

std::vector<NodeRef> lower(const TaskGraph& graph, std::span<const std::string> keys,
                           const std::type_info& result_type) {
  const Needed needed = collect_needed(Tasks{graph.tasks_, graph.dep_tasks_, graph.index_}, keys);
  for (Vertex v : needed.requested) {
    const GraphTask& task = *needed.tasks[v];
    if (*task.kind->result_type != result_type) {
      throw UsageError("dagflow::TaskGraph: key '" + *task.key + "' gives " + type_name(*task.kind->result_type) +
                       ", not the " + type_name(result_type) + " asked for");
    }
  }
  const std::vector<Vertex> order = dependencies_first(needed);
  check_types(needed);
  return build_nodes(needed, order, graph.arenas_);
}

}  // namespace detail
}  // namespace dagflow
