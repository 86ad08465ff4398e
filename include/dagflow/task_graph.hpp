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
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <span>
#include <string>
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

/// A task of a TaskGraph before lowering: its inputs, the types it expects and gives, and a factory
/// that makes its node once the dependencies' nodes exist.
struct GraphTask {
  std::vector<std::string> deps;
  std::vector<const std::type_info*> param_types;
  const std::type_info* result_type;
  std::function<Node*(DepList)> make_node;
};

/// Lowers the tasks that `keys` need into nodes, one per key. Throws GraphError when a key or a
/// dependency is missing, when the needed tasks form a cycle (naming the whole cycle), or when a
/// dependency's result type is not the type its consumer's parameter takes; UsageError when a key's
/// result type is not `result_type`.
std::vector<NodeRef> lower(const TaskGraph& graph, std::span<const std::string> keys,
                           const std::type_info& result_type);

[[noreturn]] void throw_arity_mismatch(const std::string& key, std::size_t params, std::size_t deps);

template <class F, class R, class... P, std::size_t... I>
Node* make_graph_node(const std::shared_ptr<FunctionBox<F>>& box, DepList deps, std::index_sequence<I...>) {
  return new CallNode<F, R, DepArg<P>...>(Node::Name(box, &box->name), &box->function, std::move(deps),
                                          std::tuple<DepArg<P>...>{DepArg<P>{I}...}, /*name_is_key=*/true);
}

template <class F, class... P>
GraphTask make_graph_task(F function, const std::string& key, std::vector<std::string> deps, std::tuple<P...>*) {
  if (deps.size() != sizeof...(P)) throw_arity_mismatch(key, sizeof...(P), deps.size());
  using R = std::remove_cvref_t<std::invoke_result_t<const F&, P...>>;
  auto box = std::make_shared<FunctionBox<F>>(FunctionBox<F>{std::move(function), key});
  return GraphTask{std::move(deps), {&typeid(std::remove_cvref_t<P>)...}, &typeid(R), [box](DepList inputs) {
                     return make_graph_node<F, R, std::remove_cvref_t<P>...>(box, std::move(inputs),
                                                                             std::index_sequence_for<P...>{});
                   }};
}

}  // namespace detail

/// A task graph of string keys. Each task is a function whose parameters receive, in order, the results
/// of the keys it depends on; a key's result type must match the parameter type exactly (checked when
/// the graph is computed). Adding tasks is not thread-safe; computing a graph from several threads is.
class TaskGraph {
 public:
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
    auto task = detail::make_graph_task(std::move(function), key, std::move(deps),
                                        static_cast<typename Params::Types*>(nullptr));
    return insert(std::move(key), std::move(task));
  }

  /// Adds task `key` whose result is the constant `value`. Throws UsageError like add().
  template <class T>
  TaskGraph& add_value(std::string key, T value) {
    using V = std::decay_t<T>;
    auto constant = std::make_shared<const V>(std::move(value));
    auto name = std::make_shared<const std::string>(key);
    detail::GraphTask task{{}, {}, &typeid(V), [constant, name](detail::DepList) -> detail::Node* {
                             return new detail::ValueNode<V>(name, constant, /*name_is_key=*/true);
                           }};
    return insert(std::move(key), std::move(task));
  }

  /// True when a task named `key` was added.
  bool contains(const std::string& key) const { return tasks_.contains(key); }
  /// Number of tasks.
  std::size_t size() const noexcept { return tasks_.size(); }
  /// Every key, sorted.
  std::vector<std::string> keys() const;
  /// Keys that `key` depends on, in parameter order. Throws GraphError when `key` is not in the graph.
  const std::vector<std::string>& dependencies(const std::string& key) const;

 private:
  friend std::vector<detail::NodeRef> detail::lower(const TaskGraph&, std::span<const std::string>,
                                                    const std::type_info&);
  TaskGraph& insert(std::string key, detail::GraphTask task);

  std::map<std::string, detail::GraphTask, std::less<>> tasks_;
};

/// A Delayed for the result of `key`, so that a TaskGraph can feed Delayed code and be visualized.
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
