// Lazy function calls: `delayed(f)` wraps a function so that calling it records a task instead of
// running it, and `compute()` runs the recorded graph in parallel.
//
//   auto add = dagflow::delayed([](int a, int b) { return a + b; }, "add");
//   dagflow::Delayed<int> x = add(1, 2);   // nothing runs yet
//   auto z = add(x, add(x, 10));           // x is shared, and will run once
//   int r = z.compute();                   // 14
#pragma once

#include <concepts>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "dagflow/detail/call_node.hpp"
#include "dagflow/detail/node.hpp"
#include "dagflow/detail/run_api.hpp"
#include "dagflow/errors.hpp"
#include "dagflow/options.hpp"
#include "dagflow/visualize.hpp"

namespace dagflow {

template <class T>
class Delayed;

namespace detail {

/// The one door through which library code (gather, Bag, TaskGraph) reaches a Delayed's node.
struct DelayedAccess {
  template <class T>
  static Node* node(const Delayed<T>& delayed) {
    return delayed.checked_node();
  }
  template <class T>
  static Delayed<T> make(NodeRef node) noexcept {
    return Delayed<T>(std::move(node));
  }
};

[[noreturn]] void throw_empty_delayed(const std::string& context);

template <class A>
struct ArgTraits {
  using Spec = ConstArg<std::decay_t<A>>;
  static std::uint32_t deps(const A&) noexcept { return 0; }
};
template <class U>
struct ArgTraits<Delayed<U>> {
  using Spec = DepArg<U>;
  static std::uint32_t deps(const Delayed<U>&) noexcept { return 1; }
};
template <class U>
struct ArgTraits<std::vector<Delayed<U>>> {
  using Spec = DepVecArg<U>;
  static std::uint32_t deps(const std::vector<Delayed<U>>& parts) noexcept {
    return static_cast<std::uint32_t>(parts.size());
  }
};
template <class A>
using ArgSpec = typename ArgTraits<std::remove_cvref_t<A>>::Spec;

/// A Delayed<void> or a vector of them: an argument with no value to pass to the function.
template <class A>
inline constexpr bool is_void_delayed = std::is_same_v<std::remove_cvref_t<A>, Delayed<void>> ||
                                        std::is_same_v<std::remove_cvref_t<A>, std::vector<Delayed<void>>>;

template <class A>
concept plain_argument = std::is_same_v<ArgSpec<A>, ConstArg<std::decay_t<A>>>;

/// Throws UsageError, naming the function, when a Delayed argument is empty.
template <class A>
void check_argument(const A& arg, const std::string& function) {
  if constexpr (!plain_argument<A>) {
    bool empty = false;
    if constexpr (std::is_same_v<ArgSpec<A>, DepArg<typename A::value_type>>) {
      empty = !arg.valid();
    } else {
      for (const auto& part : arg) empty = empty || !part.valid();
    }
    if (empty) throw_empty_delayed("an argument of '" + function + "' is an empty Delayed (default-constructed)");
  }
}

// make_spec fills `deps` from position `next` on, taking one reference per dependency.
template <class A>
  requires plain_argument<A>
ConstArg<std::decay_t<A>> make_spec(A&& arg, Node**, std::uint32_t&) {
  return {std::forward<A>(arg)};
}
template <class U>
DepArg<U> make_spec(const Delayed<U>& arg, Node** deps, std::uint32_t& next) {
  deps[next] = NodeRef(DelayedAccess::node(arg)).detach();
  return {next++};
}
template <class U>
DepVecArg<U> make_spec(const std::vector<Delayed<U>>& parts, Node** deps, std::uint32_t& next) {
  const std::uint32_t first = next;
  for (const auto& part : parts) deps[next++] = NodeRef(DelayedAccess::node(part)).detach();
  return {first, static_cast<std::uint32_t>(parts.size())};
}

template <class F, class Specs, class Indices>
struct CallWithSpecs;
template <class F, class... Specs, std::size_t... I>
struct CallWithSpecs<F, std::tuple<Specs...>, std::index_sequence<I...>> {
  static constexpr bool invocable = std::is_invocable_v<const F&, Fetched<F, I, Specs>...>;
  using type = std::remove_cvref_t<std::invoke_result_t<const F&, Fetched<F, I, Specs>...>>;
};

/// Owns a delayed function and its name; every node made from it shares this box.
template <class F>
struct FunctionBox {
  F function;
  std::string name;
};

}  // namespace detail

/// A promise of a value of type T: a task in a graph that nothing has run yet.
///
/// A Delayed is a cheap handle (one pointer); copies share the same task. A default-constructed
/// Delayed holds no task, and using it throws UsageError.
template <class T>
class Delayed {
  static_assert(!std::is_reference_v<T>, "dagflow::Delayed<T>: T must not be a reference");
  // A result is destroyed inside the library (by its last reader, on a worker thread, or while a failed
  // run unwinds), where an exception from its destructor could only end in std::terminate.
  static_assert(std::is_void_v<T> || std::is_nothrow_destructible_v<T>,
                "dagflow::Delayed<T>: T's destructor must not throw (std::is_nothrow_destructible_v<T>): "
                "dagflow destroys results on worker threads, where such an exception would terminate the "
                "program");

 public:
  /// The type of the value, T (void for a task run only for its effect).
  using value_type = T;

  /// An empty handle; assign a real one before use.
  Delayed() noexcept = default;

  /// Runs the graph this value needs and returns the value. Tasks it does not need are not run.
  /// Throws TaskError when a task throws (other tasks are cancelled), UsageError when empty.
  T compute(const ComputeOptions& options = {}) const;

  /// Computes the value now and returns a Delayed that holds it, so later graphs built on the result
  /// do not recompute it. Throws like compute().
  Delayed persist(const ComputeOptions& options = {}) const;

  /// The task's unique key, `<name>-<8 hex digits>`. Throws UsageError when empty.
  std::string key() const { return checked_node()->key(); }
  /// The task's name (the function's name given to `delayed`). Throws UsageError when empty.
  const std::string& name() const { return checked_node()->name(); }
  /// True unless default-constructed.
  bool valid() const noexcept { return static_cast<bool>(node_); }

  /// Graphviz DOT text of the graph this value needs. Throws UsageError when empty.
  std::string to_dot(const VisualizeOptions& options = {}) const {
    detail::Node* roots[] = {checked_node()};
    return detail::to_dot(roots, options);
  }
  /// Draws the graph to `path` (.dot, .svg, .png or .pdf), which appears complete or not at all. Throws
  /// UsageError for another extension, Error when Graphviz is needed and missing or fails, or the file
  /// cannot be written.
  void visualize(const std::filesystem::path& path, const VisualizeOptions& options = {}) const {
    detail::Node* roots[] = {checked_node()};
    detail::visualize(roots, path, options);
  }

 private:
  friend struct detail::DelayedAccess;
  explicit Delayed(detail::NodeRef node) noexcept : node_(std::move(node)) {}
  detail::Node* checked_node() const {
    if (!node_) detail::throw_empty_delayed("Delayed<T> used before it was given a task");
    return node_.get();
  }

  detail::NodeRef node_;
};

/// A function made lazy by `delayed()`; calling it records a task and returns its Delayed result.
template <class F>
class DelayedFunction {
 public:
  /// Wraps `function`, naming its tasks `name`; delayed() makes one with the function's type deduced.
  DelayedFunction(F function, std::string name)
      : box_(std::make_shared<detail::FunctionBox<F>>(detail::FunctionBox<F>{std::move(function), std::move(name)})) {}

  /// Records a call. Each argument may be a plain value (copied into the task), a `Delayed<U>` (the
  /// function receives a `U`) or a `std::vector<Delayed<U>>` (the function receives a `std::vector<U>`).
  /// Throws UsageError when a Delayed argument is empty.
  template <class... Args>
  auto operator()(Args&&... args) const {
    static_assert((!detail::is_void_delayed<Args> && ...),
                  "dagflow::delayed: a Delayed<void> cannot be an argument: its task returns no value to pass. "
                  "Make that task return a value, or compute it before this call.");
    using Specs = std::tuple<detail::ArgSpec<Args>...>;
    using Call = detail::CallWithSpecs<F, Specs, std::index_sequence_for<Args...>>;
    static_assert(Call::invocable,
                  "dagflow::delayed: the function cannot be called with these arguments. A Delayed<U> "
                  "argument reaches the function as a U (by const reference, or moved in for a by-value "
                  "parameter) and a std::vector<Delayed<U>> as a std::vector<U>.");
    using R = typename Call::type;
    static_assert(std::is_void_v<R> || std::is_nothrow_destructible_v<R>,
                  "dagflow::delayed: the function's result type has a destructor that may throw; dagflow "
                  "destroys results on worker threads, where that would terminate the program. Make the "
                  "destructor noexcept.");

    (detail::check_argument(args, box_->name), ...);
    const std::uint32_t dep_count = (detail::ArgTraits<std::remove_cvref_t<Args>>::deps(args) + ... + 0u);
    detail::DepList deps(dep_count);
    std::uint32_t next = 0;
    try {
      Specs specs{detail::make_spec(std::forward<Args>(args), deps.data(), next)...};
      detail::Node::Name name(box_, &box_->name);
      auto* node = new detail::CallNode<F, R, detail::ArgSpec<Args>...>(std::move(name), &box_->function,
                                                                        std::move(deps), std::move(specs));
      return detail::DelayedAccess::make<R>(detail::NodeRef::adopt(node));
    } catch (...) {
      // Copying a constant or allocating the node threw: give back the references taken so far.
      if (deps.size() == dep_count)
        for (std::uint32_t k = 0; k < next; ++k) detail::release(deps[k]);
      throw;
    }
  }

  /// The name given to `delayed`, shown in keys and pictures.
  const std::string& name() const noexcept { return box_->name; }

 private:
  std::shared_ptr<detail::FunctionBox<F>> box_;
};

/// Wraps `function` (any callable: function pointer, lambda, function object) so that calls to it are
/// recorded as tasks. `name` labels its tasks in keys and pictures. The function is called from worker
/// threads, possibly concurrently, through a const reference: it must be safe to call that way. Its
/// result type must have a non-throwing destructor (checked at compile time when the function is
/// called): results are destroyed on worker threads, where an exception would terminate the program.
template <class F>
DelayedFunction<std::decay_t<F>> delayed(F&& function, std::string name = "task") {
  return DelayedFunction<std::decay_t<F>>(std::forward<F>(function), std::move(name));
}

/// A Delayed holding a constant, e.g. `value(std::string("hi"))`. Consumers read it without copying.
template <class T>
Delayed<std::decay_t<T>> value(T&& constant, std::string name = "value") {
  using V = std::decay_t<T>;
  auto node = new detail::ValueNode<V>(std::make_shared<const std::string>(std::move(name)),
                                       std::make_shared<const V>(std::forward<T>(constant)));
  return detail::DelayedAccess::make<V>(detail::NodeRef::adopt(node));
}

/// Turns a list of promises into a promise of a list: the values in the same order.
/// Throws UsageError when an element is empty.
template <class T>
Delayed<std::vector<T>> gather(const std::vector<Delayed<T>>& parts) {
  static const auto gather_list = delayed([](std::vector<T> values) { return values; }, "gather");
  return gather_list(parts);
}

/// Turns several promises into a promise of a tuple of their values.
template <class... Ts>
  requires(sizeof...(Ts) > 0)
Delayed<std::tuple<Ts...>> gather(const Delayed<Ts>&... parts) {
  static const auto gather_tuple =
      delayed([](Ts... values) { return std::tuple<Ts...>(std::move(values)...); }, "gather");
  return gather_tuple(parts...);
}

/// Computes several values in one run: tasks they share run once. Throws like Delayed::compute().
template <class... Ts>
std::tuple<Ts...> compute(const ComputeOptions& options, const Delayed<Ts>&... values) {
  static_assert((!std::is_void_v<Ts> && ...), "dagflow::compute(a, b, ...): use a.compute() for Delayed<void>");
  detail::Node* roots[] = {detail::DelayedAccess::node(values)...};
  detail::Results results = detail::compute_nodes(roots, options);
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return std::tuple<Ts...>{detail::take_result<Ts>(results, I)...};
  }(std::index_sequence_for<Ts...>{});
}

/// Computes several values in one run with the default options.
template <class... Ts>
std::tuple<Ts...> compute(const Delayed<Ts>&... values) {
  return compute(ComputeOptions{}, values...);
}

/// Computes a list of values in one run and returns them in order.
template <class T>
std::vector<T> compute(const std::vector<Delayed<T>>& values, const ComputeOptions& options = {}) {
  std::vector<detail::Node*> roots;
  roots.reserve(values.size());
  for (const auto& value : values) roots.push_back(detail::DelayedAccess::node(value));
  detail::Results results = detail::compute_nodes(roots, options);
  // Counted from `roots`, not `values`: a task may have changed the caller's list during the run.
  std::vector<T> out;
  out.reserve(roots.size());
  for (std::size_t i = 0; i < roots.size(); ++i) out.push_back(detail::take_result<T>(results, i));
  return out;
}

/// DOT text of the graph that computes all of `values`.
template <class... Ts>
std::string to_dot(const VisualizeOptions& options, const Delayed<Ts>&... values) {
  detail::Node* roots[] = {detail::DelayedAccess::node(values)...};
  return detail::to_dot(roots, options);
}

/// Draws the graph that computes all of `values` to `path` (.dot, .svg, .png or .pdf).
template <class... Ts>
void visualize(const std::filesystem::path& path, const VisualizeOptions& options, const Delayed<Ts>&... values) {
  detail::Node* roots[] = {detail::DelayedAccess::node(values)...};
  detail::visualize(roots, path, options);
}

template <class T>
T Delayed<T>::compute(const ComputeOptions& options) const {
  detail::Node* roots[] = {checked_node()};
  detail::Results results = detail::compute_nodes(roots, options);
  if constexpr (!std::is_void_v<T>) return detail::take_result<T>(results, 0);
}

template <class T>
Delayed<T> Delayed<T>::persist(const ComputeOptions& options) const {
  if constexpr (std::is_void_v<T>) {
    compute(options);
    return *this;
  } else {
    auto node = new detail::ValueNode<T>(std::make_shared<const std::string>(name()),
                                         std::make_shared<const T>(compute(options)));
    return Delayed<T>(detail::NodeRef::adopt(node));
  }
}

}  // namespace dagflow
