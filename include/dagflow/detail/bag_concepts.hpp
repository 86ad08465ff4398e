// The requirements Bag's operations put on the functions and element types they are given.
//
// They are named concepts (not static_asserts) so that a misuse is rejected at the call, with the
// compiler naming the requirement that failed, e.g. "bag_predicate<F, std::string>" evaluated to false.
#pragma once

#include <concepts>
#include <cstddef>
#include <functional>
#include <ranges>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace dagflow::detail {

/// The decayed result of calling a const F with const references to Args.
template <class F, class... Args>
using CallResult = std::remove_cvref_t<std::invoke_result_t<const F&, const Args&...>>;

/// F can be called (through a const reference, from several threads) with const references to Args and
/// returns a value. Bag calls every function it is given this way.
template <class F, class... Args>
concept bag_function =
    std::invocable<const F&, const Args&...> && !std::is_void_v<std::invoke_result_t<const F&, const Args&...>>;

/// F maps an element (and the values of any extra arguments) to a new element.
template <class F, class T, class... Extras>
concept element_function = bag_function<F, T, Extras...>;

/// F answers true or false for an element.
template <class F, class T>
concept bag_predicate = std::predicate<const F&, const T&>;

/// K can be a key of a hash table: hashed by std::hash, compared with ==, and moved.
template <class K>
concept hashable_key = std::equality_comparable<K> && std::move_constructible<K> && requires(const K& key) {
  { std::hash<K>{}(key) } -> std::convertible_to<std::size_t>;
};

/// F computes a hashable key from an element (foldby, groupby, distinct, join).
template <class F, class T>
concept key_function = bag_function<F, T> && hashable_key<CallResult<F, T>>;

/// F computes a totally ordered sort key from an element (topk).
template <class F, class T>
concept ordering_key = bag_function<F, T> && std::totally_ordered<CallResult<F, T>>;

/// T has std::tuple_size, like std::pair, std::tuple and std::array.
template <class T>
concept tuple_like = requires { std::tuple_size<std::remove_cvref_t<T>>::value; };

template <class F, class Tuple, class Indices>
struct ApplicableImpl : std::false_type {};
template <class F, class Tuple, std::size_t... I>
struct ApplicableImpl<F, Tuple, std::index_sequence<I...>>
    : std::bool_constant<bag_function<F, std::tuple_element_t<I, Tuple>...>> {};

/// F can be called with the members of the tuple-like element T as its arguments (starmap).
template <class F, class T>
concept applicable_function =
    tuple_like<T> && ApplicableImpl<F, T, std::make_index_sequence<std::tuple_size_v<T>>>::value;

/// F maps a whole partition to a range of new elements (map_partitions).
template <class F, class T, class... Extras>
concept partition_function =
    bag_function<F, std::vector<T>, Extras...> && std::ranges::input_range<CallResult<F, std::vector<T>, Extras...>>;

/// F combines an accumulator A with an element T into a new accumulator (fold, accumulate, foldby).
template <class F, class A, class T>
concept fold_operator =
    std::invocable<const F&, A, const T&> && std::convertible_to<std::invoke_result_t<const F&, A, const T&>, A>;

/// Binop folds elements T into an accumulator A, and Combine folds two accumulators into one (fold,
/// foldby). A is copied: every partition (and, in foldby, every key) starts from a copy of the initial
/// value.
template <class Binop, class Combine, class A, class T>
concept fold_operators = fold_operator<Binop, A, T> && fold_operator<Combine, A, A> && std::copy_constructible<A>;

/// Key finds each element T's group, and Binop and Combine fold the group's elements into a V (foldby).
template <class Key, class Binop, class Combine, class V, class T>
concept foldby_functions = key_function<Key, T> && fold_operators<Binop, Combine, V, T>;

/// Key and OtherKey compute keys of the same type from elements T and U, which are copied into the
/// joined pairs (join).
template <class Key, class T, class OtherKey, class U>
concept join_keys =
    key_function<Key, T> && key_function<OtherKey, U> && std::same_as<CallResult<Key, T>, CallResult<OtherKey, U>> &&
    std::copy_constructible<T> && std::copy_constructible<U>;

/// F combines the running value A with the next element T into the next running value (accumulate).
template <class F, class A, class T>
concept accumulate_operator = std::invocable<const F&, const A&, const T&> &&
                              std::convertible_to<std::invoke_result_t<const F&, const A&, const T&>, A>;

/// F turns the list of partial results of a reduction into one partial result (reduction's aggregate).
template <class F, class P>
concept aggregate_function =
    std::invocable<const F&, std::vector<P>> && std::convertible_to<std::invoke_result_t<const F&, std::vector<P>>, P>;

/// T supports a + b, and T{} is the sum of nothing (sum).
template <class T>
concept summable = std::default_initializable<T> && requires(const T& a, const T& b) { a + b; };

/// T converts to double (mean, var, std).
template <class T>
concept real_valued = std::convertible_to<const T&, double>;

/// T can be tested for truth, like `if (x)` (any, all).
template <class T>
concept truth_valued = std::constructible_from<bool, const T&>;

}  // namespace dagflow::detail
