// Partition-preserving operations of Bag: each emits one task per partition, all made from one delayed
// function per operation.
//
// Where an operation can reuse its input (map to the same type, filter, pluck, flatten), its task takes
// the partition *by value*: the core then moves the partition in when this task is its last reader, so
// a chain like map -> filter -> map runs without copying a single element.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <ranges>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "dagflow/delayed.hpp"
#include "dagflow/detail/bag_concepts.hpp"
#include "dagflow/detail/bag_partitions.hpp"
#include "dagflow/errors.hpp"

namespace dagflow::detail {

// --- extra arguments of map and map_partitions --------------------------------------------------------

template <class A>
struct ExtraArgument {
  using type = std::decay_t<A>;
};
template <class U>
struct ExtraArgument<Delayed<U>> {
  using type = U;
};
/// What an extra argument of map reaches the function as: U for a Delayed<U>, else the value's type.
template <class A>
using ExtraValue = typename ExtraArgument<std::remove_cvref_t<A>>::type;

/// An extra argument as a task: a Delayed stays as it is; a plain value becomes one constant task that
/// every partition's task reads in place (instead of one copy of the value per task).
template <class A>
Delayed<ExtraValue<A>> as_task(A&& argument, const char* operation) {
  if constexpr (std::is_same_v<std::remove_cvref_t<A>, Delayed<ExtraValue<A>>>) {
    if (!argument.valid())
      throw UsageError(std::string("dagflow: an extra argument of Bag::") + operation + " is an empty Delayed");
    return argument;
  } else {
    return value(std::forward<A>(argument), std::string(operation) + "-argument");
  }
}

// --- map -------------------------------------------------------------------------------------------------

/// map: f(element, extras...) for every element. Reuses the partition's storage when f returns the
/// element type, and moves elements into f when f takes them by value.
template <class T, class F, class... Extras>
auto map_elements(const Partitions<T>& parts, F f, const Delayed<Extras>&... extras) {
  using U = CallResult<F, T, Extras...>;
  if constexpr (std::is_same_v<U, T>) {
    auto task = delayed(
        [f = std::move(f)](std::vector<T> part, const Extras&... args) {
          for (auto&& x : part) x = std::invoke(f, std::move(x), args...);
          return part;
        },
        "map");
    return apply_each<U>(parts, task, extras...);
  } else if constexpr (wants_rvalue<F, 0>()) {
    auto task = delayed(
        [f = std::move(f)](std::vector<T> part, const Extras&... args) {
          std::vector<U> out;
          out.reserve(part.size());
          for (auto&& x : part) out.push_back(std::invoke(f, std::move(x), args...));
          return out;
        },
        "map");
    return apply_each<U>(parts, task, extras...);
  } else {
    auto task = delayed(
        [f = std::move(f)](const std::vector<T>& part, const Extras&... args) {
          std::vector<U> out;
          out.reserve(part.size());
          for (const auto& x : part) out.push_back(std::invoke(f, x, args...));
          return out;
        },
        "map");
    return apply_each<U>(parts, task, extras...);
  }
}

template <class F, class Tuple, class Indices>
struct ApplyResultOf;
template <class F, class Tuple, std::size_t... I>
struct ApplyResultOf<F, Tuple, std::index_sequence<I...>> {
  using type = CallResult<F, std::tuple_element_t<I, Tuple>...>;
};
/// What starmap's function returns for a tuple-like element T.
template <class F, class T>
using ApplyResult = typename ApplyResultOf<F, T, std::make_index_sequence<std::tuple_size_v<T>>>::type;

/// starmap: f(get<0>(x), get<1>(x), ...) for every element; the members are moved into f.
template <class T, class F>
auto starmap_elements(const Partitions<T>& parts, F f) {
  using U = ApplyResult<F, T>;
  auto task = delayed(
      [f = std::move(f)](std::vector<T> part) {
        std::vector<U> out;
        out.reserve(part.size());
        for (auto&& x : part) out.push_back(std::apply(f, std::move(x)));
        return out;
      },
      "starmap");
  return apply_each<U>(parts, task);
}

// --- filter ------------------------------------------------------------------------------------------------

/// filter (keep == true) and remove (keep == false): compacts the partition in place.
template <bool keep, class T, class F>
Partitions<T> filter_elements(const Partitions<T>& parts, F predicate, const char* name) {
  auto task = delayed(
      [predicate = std::move(predicate)](std::vector<T> part) {
        std::erase_if(part, [&](const auto& x) { return static_cast<bool>(std::invoke(predicate, x)) != keep; });
        return part;
      },
      name);
  return apply_each<T>(parts, task);
}

// --- flatten, pluck ------------------------------------------------------------------------------------

/// flatten: the items of every element, in order. Items are moved out of elements that own them
/// (containers), copied out of views (which only refer to them).
template <class T>
auto flatten_elements(const Partitions<T>& parts) {
  using U = std::ranges::range_value_t<T>;
  auto task = delayed(
      [](std::vector<T> part) {
        std::vector<U> out;
        if constexpr (std::ranges::sized_range<T>) {
          std::size_t total = 0;
          for (const auto& x : part) total += static_cast<std::size_t>(std::ranges::size(x));
          out.reserve(total);
        }
        for (auto&& x : part) {
          for (auto&& item : x) {
            if constexpr (std::ranges::view<T>) {
              out.push_back(item);
            } else {
              out.push_back(std::move(item));
            }
          }
        }
        return out;
      },
      "flatten");
  return apply_each<U>(parts, task);
}

/// pluck<I>: member I of every tuple-like element, moved out.
template <std::size_t I, class T>
auto pluck_member(const Partitions<T>& parts) {
  using U = std::remove_cvref_t<std::tuple_element_t<I, T>>;
  auto task = delayed(
      [](std::vector<T> part) {
        std::vector<U> out;
        out.reserve(part.size());
        for (auto&& x : part) out.push_back(std::get<I>(std::move(x)));
        return out;
      },
      "pluck");
  return apply_each<U>(parts, task);
}

/// pluck(i): item i of every element that is a random-access range (vector, array, string).
template <class T>
auto pluck_index(const Partitions<T>& parts, std::size_t index) {
  using U = std::ranges::range_value_t<T>;
  auto task = delayed(
      [](std::vector<T> part, std::size_t i) {
        std::vector<U> out;
        out.reserve(part.size());
        for (auto&& x : part) {
          const auto size = static_cast<std::size_t>(std::ranges::size(x));
          if (i >= size)
            throw UsageError("dagflow: Bag::pluck(" + std::to_string(i) + "): an element has only " +
                             std::to_string(size) + " items");
          if constexpr (std::ranges::view<T>) {
            out.push_back(std::ranges::begin(x)[i]);
          } else {
            out.push_back(std::move(std::ranges::begin(x)[i]));
          }
        }
        return out;
      },
      "pluck");
  return apply_each<U>(parts, task, index);
}

// --- map_partitions --------------------------------------------------------------------------------------

/// The std::vector a partition function's range result becomes; a std::vector is kept as it is, the
/// items of another owning range are moved out, those of a view copied.
template <class R>
auto to_vector(R&& range) {
  using U = std::ranges::range_value_t<std::remove_cvref_t<R>>;
  if constexpr (std::is_same_v<std::remove_cvref_t<R>, std::vector<U>>) {
    return std::vector<U>(std::forward<R>(range));
  } else {
    std::vector<U> out;
    if constexpr (std::ranges::sized_range<R>) out.reserve(static_cast<std::size_t>(std::ranges::size(range)));
    for (auto&& item : range) {
      if constexpr (std::ranges::view<std::remove_cvref_t<R>> || std::is_lvalue_reference_v<R>) {
        out.push_back(item);
      } else {
        out.push_back(std::move(item));
      }
    }
    return out;
  }
}

/// map_partitions: f(partition, extras...) for every partition; the partition is moved into f when f
/// takes it by value.
template <class T, class F, class... Extras>
auto map_whole_partitions(const Partitions<T>& parts, F f, const Delayed<Extras>&... extras) {
  using U = std::ranges::range_value_t<CallResult<F, std::vector<T>, Extras...>>;
  if constexpr (wants_rvalue<F, 0>()) {
    auto task = delayed(
        [f = std::move(f)](std::vector<T> part, const Extras&... args) {
          return to_vector(std::invoke(f, std::move(part), args...));
        },
        "map_partitions");
    return apply_each<U>(parts, task, extras...);
  } else {
    auto task = delayed([f = std::move(f)](const std::vector<T>& part,
                                           const Extras&... args) { return to_vector(std::invoke(f, part, args...)); },
                        "map_partitions");
    return apply_each<U>(parts, task, extras...);
  }
}

// --- accumulate ------------------------------------------------------------------------------------------

/// One partition's share of an accumulate: its output, and the running value after it. The next
/// partition's task reads `carry` while this partition's output task moves `items` out, which is why
/// both sit behind a shared pointer (see bag_handoff.hpp for the same idea).
template <class A>
struct AccumulateState {
  std::vector<A> items;
  std::optional<A> carry;
};

/// accumulate: the running binop over all partitions in order, as Dask (and Python's
/// itertools.accumulate): with an initial value the output starts with it and has one more element.
/// Partition i waits for partition i - 1's running value, so the chain is sequential by nature.
template <class A, class T, class F>
Partitions<A> accumulate_elements(const Partitions<T>& parts, F binop, std::optional<A> initial) {
  using State = std::shared_ptr<AccumulateState<A>>;
  auto part_task = delayed(
      [binop = std::move(binop), initial = std::move(initial)](std::vector<T> part, const State& previous) {
        auto state = std::make_shared<AccumulateState<A>>();
        std::optional<A> start = previous ? previous->carry : initial;
        auto& items = state->items;
        items.reserve(part.size() + (previous ? 0 : 1));
        if (!previous && initial) items.push_back(*initial);
        for (auto&& x : part) {
          if (!items.empty()) {
            items.push_back(std::invoke(binop, as_element<A>(items.back()), as_element<T>(x)));
          } else if (start) {
            items.push_back(std::invoke(binop, as_element<A>(*start), as_element<T>(x)));
          } else if constexpr (std::is_constructible_v<A, decltype(std::move(x))>) {
            // No initial value (then A is T): the first element starts the run.
            items.push_back(A(std::move(x)));
          }
        }
        state->carry = items.empty() ? std::move(start) : std::optional<A>(items.back());
        return state;
      },
      "accumulate-part");
  auto output_task = delayed([](const State& state) { return std::move(state->items); }, "accumulate");

  Partitions<A> out;
  out.reserve(parts.size());
  Delayed<State> previous;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    Delayed<State> state = i == 0 ? part_task(parts[i], State()) : part_task(parts[i], previous);
    out.push_back(output_task(state));
    previous = std::move(state);
  }
  return out;
}

// --- zip ---------------------------------------------------------------------------------------------

/// zip: partition i of the result holds tuples of the i-th elements of partition i of every input.
/// Throws UsageError (inside the task) when those partitions differ in length.
template <class... Ts>
Partitions<std::tuple<Ts...>> zip_partitions(const Partitions<Ts>&... parts) {
  auto task = delayed(
      [](std::vector<Ts>... columns) {
        const std::size_t sizes[] = {columns.size()...};
        for (std::size_t size : sizes) {
          if (size != sizes[0])
            throw UsageError("dagflow: bag::zip: partitions at the same position have different lengths (" +
                             std::to_string(sizes[0]) + " and " + std::to_string(size) + ")");
        }
        std::vector<std::tuple<Ts...>> out;
        out.reserve(sizes[0]);
        for (std::size_t i = 0; i < sizes[0]; ++i) out.emplace_back(std::move(columns[i])...);
        return out;
      },
      "zip");
  const std::size_t count = std::get<0>(std::forward_as_tuple(parts...)).size();
  Partitions<std::tuple<Ts...>> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) out.push_back(task(parts[i]...));
  return out;
}

}  // namespace dagflow::detail
