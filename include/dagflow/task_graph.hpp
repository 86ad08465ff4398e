// The low-level graph API, like Dask's custom graphs: tasks named by string keys, each a function and
// the keys of its inputs. Useful for graphs built from data (a workflow file, a build description) and
// for custom tasks that the Delayed front end does not express.
//
//   dagflow::TaskGraph graph;
//   graph.add_value("x", 1);
//   graph.add("y", [](int x) { return x + 1; }, {"x"});
//   graph.add("z", [](int x, int y) { return x * y; }, {"x", "y"});
//   int z = dagflow::get<int>(graph, "z");   // 2
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <new>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <typeinfo>
#include <utility>
#include <vector>

#include "dagflow/delayed.hpp"
#include "dagflow/detail/call_node.hpp"
#include "dagflow/errors.hpp"
#include "dagflow/options.hpp"

namespace dagflow {

class TaskGraph;

namespace detail {

/// Storage for the keys, functions and constants of a TaskGraph's tasks, placed one after another in
/// large blocks: one allocation per block instead of one per task. Nodes share ownership of the whole
/// arena (their names alias it), so it lives until its graphs and every node made from them are gone.
/// Only the graph that made it adds to it.
class BoxArena {
 public:
  BoxArena() = default;
  BoxArena(const BoxArena&) = delete;
  BoxArena& operator=(const BoxArena&) = delete;
  /// Destroys the objects, last made first.
  ~BoxArena();

  /// Constructs a T from `args` in the arena. Throws std::bad_alloc, or what T's constructor throws (its
  /// space is then left unused).
  template <class T, class... Args>
  const T* make(Args&&... args) {
    Entry* entry = allocate(sizeof(T), alignof(T));
    T* object = ::new (entry->object) T{std::forward<Args>(args)...};
    entry->destroy = [](void* p) noexcept { static_cast<T*>(p)->~T(); };
    entry->previous = last_;
    last_ = entry;
    return object;
  }

 private:
  struct Entry {  // placed before each object
    void (*destroy)(void*) noexcept;
    void* object;
    Entry* previous;
  };
  // Places an Entry and, after it, `size` bytes aligned to `alignment` (a power of two).
  Entry* allocate(std::size_t size, std::size_t alignment) {
    Entry* entry = place(free_, size, alignment);
    if (entry == nullptr) entry = place(new_block(size, alignment), size, alignment);
    return entry;
  }
  // The Entry at `at`, or null when it does not fit before end_.
  Entry* place(std::byte* at, std::size_t size, std::size_t alignment) noexcept {
    const auto start = reinterpret_cast<std::uintptr_t>(at);
    const std::uintptr_t entry = (start + alignof(Entry) - 1) & ~std::uintptr_t{alignof(Entry) - 1};
    const std::uintptr_t object = (entry + sizeof(Entry) + alignment - 1) & ~std::uintptr_t{alignment - 1};
    if (at == nullptr || object + size > reinterpret_cast<std::uintptr_t>(end_)) return nullptr;
    free_ = at + (object + size - start);
    return ::new (at + (entry - start)) Entry{nullptr, at + (object - start), nullptr};
  }
  std::byte* new_block(std::size_t size, std::size_t alignment);

  std::vector<std::unique_ptr<std::byte[]>> blocks_;
  std::byte* free_ = nullptr;  // in the last block
  std::byte* end_ = nullptr;   // of the last block
  Entry* last_ = nullptr;
  std::size_t next_block_ = std::size_t{1} << 12;  // blocks grow with the graph, up to 1 MiB
};

/// What tasks of one signature share: the types they take and give, and how to make their node once the
/// dependencies' nodes exist. One static table per signature, so a task record holds only a pointer.
struct TaskKind {
  const std::type_info* const* param_types;  // one per parameter
  const std::type_info* result_type;
  Node* (*make_node)(const std::shared_ptr<BoxArena>& arena, const void* box, DepList deps);
};

/// A task of a TaskGraph before lowering: plain data pointing into an arena, so that adding a million
/// tasks costs a million small records rather than a million type-erased closures and shared boxes.
struct GraphTask {
  const void* box;         // the function (or constant) and the key, in arena number `arena` of the graph
  const std::string* key;  // inside *box, so it stays put when the task table grows
  std::vector<std::string> deps;
  const TaskKind* kind;
  std::uint32_t first_dep;  // the deps' task numbers start at this index of TaskGraph's edge table
  std::uint32_t arena;
};

/// The tasks of a TaskGraph by number, in chunks that never move: growing a vector moves every record
/// (in a vector, relocations caused half the cache misses of adding a chain of a million keys), and a
/// std::deque holds only nine records per block and divides by nine on every access.
class GraphTasks {
 public:
  GraphTasks() = default;
  /// Copies every record. Throws std::bad_alloc.
  GraphTasks(const GraphTasks& other);
  /// Replaces the records by copies of `other`'s. Throws std::bad_alloc.
  GraphTasks& operator=(const GraphTasks& other) {
    GraphTasks copy(other);
    return *this = std::move(copy);
  }
  /// Takes `other`'s records, leaving it empty.
  GraphTasks(GraphTasks&& other) noexcept : chunks_(std::move(other.chunks_)), size_(std::exchange(other.size_, 0)) {}
  /// Takes `other`'s records, leaving it empty.
  GraphTasks& operator=(GraphTasks&& other) noexcept {
    chunks_ = std::move(other.chunks_);
    size_ = std::exchange(other.size_, 0);
    return *this;
  }
  ~GraphTasks() = default;

  /// Number of records.
  std::size_t size() const noexcept { return size_; }
  /// Record `i` (less than size()).
  const GraphTask& operator[](std::size_t i) const noexcept { return chunks_[i >> chunk_bits][i & chunk_mask]; }
  /// The last record (size() > 0).
  GraphTask& back() noexcept { return chunks_[(size_ - 1) >> chunk_bits][(size_ - 1) & chunk_mask]; }
  /// Appends `task`. Throws std::bad_alloc, and then has no effect.
  void push_back(GraphTask&& task) {
    if (size_ == chunks_.size() << chunk_bits) add_chunk();
    chunks_[size_ >> chunk_bits][size_ & chunk_mask] = std::move(task);
    ++size_;
  }
  /// Removes the last record (size() > 0).
  void pop_back() noexcept {
    back() = GraphTask{};
    --size_;
  }

 private:
  static constexpr std::size_t chunk_bits = 10, chunk_mask = (std::size_t{1} << chunk_bits) - 1;
  void add_chunk();

  std::vector<std::unique_ptr<GraphTask[]>> chunks_;
  std::size_t size_ = 0;
};

/// Maps keys to task numbers: open addressing over a flat array, so that a million keys cost no
/// per-key allocation (a node-based map allocates one per key and chases pointers on every look-up).
class KeyIndex {
 public:
  static constexpr std::uint32_t none = 0xffffffffU;

  /// Task number of `key` in `tasks`, or `none`.
  std::uint32_t find(std::string_view key, const GraphTasks& tasks) const noexcept {
    return find(key, hash(key), tasks);
  }
  /// find() of a key whose hash() is `hash`.
  std::uint32_t find(std::string_view key, std::uint32_t hash, const GraphTasks& tasks) const noexcept;
  /// Makes room for `count` keys, so that insert() cannot throw. Throws std::bad_alloc.
  void reserve(std::size_t count) {
    if (2 * count > slots_.size()) grow(count);  // at most half full: short probe sequences
  }
  /// The hash that find() and insert() take.
  static std::uint32_t hash(std::string_view key) noexcept;
  /// Starts loading the slot where a key of hash `hash` goes, so that an insert() later finds it cached.
  void prefetch(std::uint32_t hash) const noexcept {
    if (!slots_.empty()) __builtin_prefetch(slots_.data() + (hash & (slots_.size() - 1)));
  }
  /// Records that `tasks[task]` has key `key` (of hash `hash`) unless another task already has it; returns
  /// the number of the task that has the key afterwards. Needs room (reserve()).
  std::uint32_t insert(std::string_view key, std::uint32_t hash, std::uint32_t task, const GraphTasks& tasks) noexcept;

 private:
  void grow(std::size_t count);
  std::vector<std::uint64_t> slots_;  // (32 bits of hash << 32) | (task number + 1); 0 is empty
};

/// Lowers the tasks that `keys` need into nodes, one per key. Throws GraphError when a key or a
/// dependency is missing, when the needed tasks form a cycle (naming the whole cycle), or when a
/// dependency's result type is not the type its consumer's parameter takes; UsageError when a key's
/// result type is not `result_type`.
std::vector<NodeRef> lower(const TaskGraph& graph, std::span<const std::string> keys,
                           const std::type_info& result_type);

/// Throws the UsageError of a task given a number of dependencies other than its number of parameters.
[[noreturn]] void throw_arity_mismatch(const std::string& key, std::size_t params, std::size_t deps);
/// Throws the UsageError of an empty key.
[[noreturn]] void throw_empty_key();

/// The parameter types of a task, one table per signature (no allocation per task).
template <class... P>
inline constexpr const std::type_info* param_type_table[] = {&typeid(P)..., nullptr};

/// The node of function task `box`, whose name shares ownership of the arena holding the function.
template <class F, class R, class... P, std::size_t... I>
Node* make_call_node(const std::shared_ptr<BoxArena>& arena, const FunctionBox<F>* box, DepList deps,
                     std::index_sequence<I...>) {
  return new CallNode<F, R, DepArg<P>...>(Node::Name(arena, &box->name), &box->function, std::move(deps),
                                          std::tuple<DepArg<P>...>{DepArg<P>{I}...}, /*name_is_key=*/true);
}

/// TaskKind::make_node of a function task.
template <class F, class R, class... P>
Node* make_graph_node(const std::shared_ptr<BoxArena>& arena, const void* box, DepList deps) {
  return make_call_node<F, R, P...>(arena, static_cast<const FunctionBox<F>*>(box), std::move(deps),
                                    std::index_sequence_for<P...>{});
}

/// A constant and its key, side by side in the arena.
template <class V>
struct ValueBox {
  V value;
  std::string name;
};

/// TaskKind::make_node of a constant.
template <class V>
Node* make_value_node(const std::shared_ptr<BoxArena>& arena, const void* box, DepList) {
  const auto* values = static_cast<const ValueBox<V>*>(box);
  return new ValueNode<V>(Node::Name(arena, &values->name), std::shared_ptr<const V>(arena, &values->value),
                          /*name_is_key=*/true);
}

/// The TaskKind of functions F taking P... and returning R.
template <class F, class R, class... P>
inline constexpr TaskKind call_kind{param_type_table<P...>, &typeid(R), &make_graph_node<F, R, P...>};

/// The TaskKind of constants of type V.
template <class V>
inline constexpr TaskKind value_kind{param_type_table<>, &typeid(V), &make_value_node<V>};

/// The record of function task `key` (its box made in `arena`). Throws UsageError when the number of
/// dependencies is not the number of parameters P or the key is empty.
template <class F, class... P>
GraphTask make_graph_task(BoxArena& arena, F function, std::string&& key, std::vector<std::string>&& deps,
                          std::tuple<P...>*) {
  if (deps.size() != sizeof...(P)) throw_arity_mismatch(key, sizeof...(P), deps.size());
  if (key.empty()) throw_empty_key();
  using R = std::remove_cvref_t<std::invoke_result_t<const F&, P...>>;
  const auto* box = arena.make<FunctionBox<F>>(std::move(function), std::move(key));
  return GraphTask{box, &box->name, std::move(deps), &call_kind<F, R, std::remove_cvref_t<P>...>, 0, 0};
}

}  // namespace detail

/// A task graph of string keys. Each task is a function whose parameters receive, in order, the results
/// of the keys it depends on; a key's result type must match the parameter type exactly (checked when
/// the graph is computed). Adding tasks is not thread-safe; computing a graph from several threads is.
class TaskGraph {
 public:
  /// An empty graph.
  TaskGraph() = default;
  /// A copy that shares the tasks' functions and constants with `other` (they are immutable) and keeps
  /// its own additions apart. Throws std::bad_alloc.
  TaskGraph(const TaskGraph& other);
  /// Replaces this graph by a copy of `other`, like the copy constructor. Throws std::bad_alloc.
  TaskGraph& operator=(const TaskGraph& other);
  /// Takes `other`'s tasks, leaving it empty.
  TaskGraph(TaskGraph&& other) = default;
  /// Takes `other`'s tasks, leaving it empty.
  TaskGraph& operator=(TaskGraph&& other) = default;
  ~TaskGraph() = default;

  /// Adds task `key`: `function` called with the results of `deps`. The function needs fixed parameter
  /// types (a plain function or a non-generic lambda) since they are matched to the dependencies' result
  /// types. Throws UsageError when the key is empty or already used, or when the number of dependencies
  /// differs from the number of parameters. Dependencies need not exist yet.
  template <class F>
  TaskGraph& add(std::string key, F function, std::vector<std::string> deps = {}) {
    using Params = detail::CallableParams<F>;
    static_assert(Params::known,
                  "dagflow::TaskGraph::add: the function needs fixed parameter types (a plain function or a "
                  "non-generic lambda): they are matched to the dependencies' result types");
    const std::uint32_t hash = start_insert(key);
    return insert(detail::make_graph_task(arena(), std::move(function), std::move(key), std::move(deps),
                                          static_cast<typename Params::Types*>(nullptr)),
                  hash);
  }

  /// Adds task `key` whose result is the constant `value`. Throws UsageError like add().
  template <class T>
  TaskGraph& add_value(std::string key, T value) {
    using V = std::decay_t<T>;
    if (key.empty()) detail::throw_empty_key();
    const std::uint32_t hash = start_insert(key);
    const auto* box = arena().make<detail::ValueBox<V>>(std::move(value), std::move(key));
    return insert(detail::GraphTask{box, &box->name, {}, &detail::value_kind<V>, 0, 0}, hash);
  }

  /// True when a task named `key` was added.
  bool contains(const std::string& key) const noexcept { return index_.find(key, tasks_) != detail::KeyIndex::none; }
  /// Number of tasks.
  std::size_t size() const noexcept { return tasks_.size(); }
  /// Every key, sorted.
  std::vector<std::string> keys() const;
  /// Keys that `key` depends on, in parameter order. Throws GraphError when `key` is not in the graph.
  const std::vector<std::string>& dependencies(const std::string& key) const;

 private:
  friend std::vector<detail::NodeRef> detail::lower(const TaskGraph&, std::span<const std::string>,
                                                    const std::type_info&);
  /// Hashes `key` and starts loading its index slot: in a large graph that slot is a cache miss, which
  /// the rest of the addition (making the task, resolving its dependencies) then hides.
  std::uint32_t start_insert(std::string_view key) const noexcept {
    const std::uint32_t hash = detail::KeyIndex::hash(key);
    index_.prefetch(hash);
    return hash;
  }
  /// Adds `task`, whose key has hash `hash`. Throws UsageError when the key is already used.
  TaskGraph& insert(detail::GraphTask task, std::uint32_t hash);
  /// The arena this graph adds to, made on the first addition and after a copy. Throws std::bad_alloc.
  detail::BoxArena& arena() { return adds_to_last_arena_ && !arenas_.empty() ? *arenas_.back() : new_arena(); }
  detail::BoxArena& new_arena();

  detail::GraphTasks tasks_;  // in the order they were added
  // The task number of each dependency, task by task (GraphTask::first_dep), resolved when the task is
  // added; KeyIndex::none for a key not added yet, which lowering looks up by name.
  std::vector<std::uint32_t> dep_tasks_;
  detail::KeyIndex index_;
  // Arenas holding the tasks' boxes (GraphTask::arena). A copy shares them with its original; only the
  // graph that made the last one adds to it, so that neither sees the other's additions.
  std::vector<std::shared_ptr<detail::BoxArena>> arenas_;
  bool adds_to_last_arena_ = false;
};

/// A Delayed for the result of `key`, so that a TaskGraph can feed Delayed code and be visualized. It
/// shares ownership of the graph's functions and constants (not of the graph), so it may outlive the graph.
/// Throws GraphError (missing key or dependency, cycle, type mismatch) and UsageError when the task's
/// result type is not T.
template <class T>
Delayed<T> to_delayed(const TaskGraph& graph, const std::string& key) {
  auto roots = detail::lower(graph, std::span<const std::string>(&key, 1), typeid(T));
  return detail::DelayedAccess::make<T>(std::move(roots.front()));
}

/// Computes the result of `key`, running only the tasks it needs. Throws like to_delayed() and
/// Delayed::compute().
template <class T>
T get(const TaskGraph& graph, const std::string& key, const ComputeOptions& options = {}) {
  return to_delayed<T>(graph, key).compute(options);
}

/// Computes the results of several keys of the same type in one run (shared tasks run once).
template <class T>
std::vector<T> get(const TaskGraph& graph, const std::vector<std::string>& keys, const ComputeOptions& options = {}) {
  std::vector<Delayed<T>> values;
  values.reserve(keys.size());
  for (auto& root : detail::lower(graph, keys, typeid(T)))
    values.push_back(detail::DelayedAccess::make<T>(std::move(root)));
  return compute(values, options);
}

/// get() of a braced list of keys, `get<int>(graph, {"y", "z"})`: without this overload two string
/// literals would also match the single-key get (as a std::string built from a pair of pointers).
template <class T>
std::vector<T> get(const TaskGraph& graph, std::initializer_list<std::string> keys,
                   const ComputeOptions& options = {}) {
  return get<T>(graph, std::vector<std::string>(keys), options);
}

}  // namespace dagflow
