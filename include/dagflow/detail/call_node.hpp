// The node behind `delayed(f)(args...)`: a function, its constant arguments, and where the other
// arguments come from (one dependency, or a range of dependencies passed as a std::vector).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "dagflow/detail/node.hpp"

namespace dagflow::detail {

// --- Which parameters want an rvalue --------------------------------------------------------------
// When the parameter types of the user's function are known (a plain function or a lambda that is not
// generic) and a parameter takes its argument by value, the last consumer of a result may *move* it in
// instead of copying. For generic callables we pass const references and let the function copy.

template <class Signature>
struct SignatureParams {
  static constexpr bool known = false;
};
template <class R, class... P>
struct SignatureParams<R(P...)> {
  static constexpr bool known = true;
  using Types = std::tuple<P...>;
};

template <class M>
struct MemberSignature {};
#define DAGFLOW_DETAIL_MEMBER_SIGNATURE(QUALIFIERS)   \
  template <class R, class C, class... P>             \
  struct MemberSignature<R (C::*)(P...) QUALIFIERS> { \
    using type = R(P...);                             \
  };
DAGFLOW_DETAIL_MEMBER_SIGNATURE()
DAGFLOW_DETAIL_MEMBER_SIGNATURE(const)
DAGFLOW_DETAIL_MEMBER_SIGNATURE(noexcept)
DAGFLOW_DETAIL_MEMBER_SIGNATURE(const noexcept)
DAGFLOW_DETAIL_MEMBER_SIGNATURE(&)
DAGFLOW_DETAIL_MEMBER_SIGNATURE(const&)
DAGFLOW_DETAIL_MEMBER_SIGNATURE(& noexcept)
DAGFLOW_DETAIL_MEMBER_SIGNATURE(const& noexcept)
#undef DAGFLOW_DETAIL_MEMBER_SIGNATURE

template <class F, class = void>
struct CallableParams : SignatureParams<void> {};
template <class R, class... P>
struct CallableParams<R (*)(P...), void> : SignatureParams<R(P...)> {};
template <class R, class... P>
struct CallableParams<R (*)(P...) noexcept, void> : SignatureParams<R(P...)> {};
template <class F>
struct CallableParams<F, std::void_t<decltype(&F::operator())>>
    : SignatureParams<typename MemberSignature<decltype(&F::operator())>::type> {};

/// True when argument `I` of F is taken by value or by rvalue reference.
template <class F, std::size_t I>
constexpr bool wants_rvalue() {
  using Params = CallableParams<F>;
  if constexpr (!Params::known) {
    return false;
  } else if constexpr (I >= std::tuple_size_v<typename Params::Types>) {
    return false;
  } else {
    using P = std::tuple_element_t<I, typename Params::Types>;
    return !std::is_reference_v<P> || std::is_rvalue_reference_v<P>;
  }
}

// --- Argument specs ---------------------------------------------------------------------------------

/// A constant argument stored in the node.
template <class T>
struct ConstArg {
  T value;
};
/// An argument that is the result of dependency `index`.
template <class T>
struct DepArg {
  std::uint32_t index;
};
/// A std::vector<T> argument made of the results of dependencies [first, first + count).
template <class T>
struct DepVecArg {
  std::uint32_t first;
  std::uint32_t count;
};

/// Copies, or moves when this task is the result's last consumer.
template <class T>
T take_input(const InputView& inputs, std::uint32_t k) {
  Slot& slot = inputs.slot(k);
  if (inputs.movable(k)) return T(std::move(slot.get_mutable<T>()));
  if constexpr (std::is_copy_constructible_v<T>) {
    return T(slot.get<T>());
  } else {
    throw_not_copyable(typeid(T));
  }
}

template <bool rvalue, class T>
decltype(auto) fetch(const ConstArg<T>& arg, const InputView&) {
  if constexpr (rvalue) {
    static_assert(std::is_copy_constructible_v<T>,
                  "dagflow: a constant argument passed by value must be copyable (the graph may be "
                  "computed many times); wrap it in std::shared_ptr or take it by const reference");
    return T(arg.value);
  } else {
    return static_cast<const T&>(arg.value);
  }
}

template <bool rvalue, class T>
decltype(auto) fetch(const DepArg<T>& arg, const InputView& inputs) {
  if constexpr (rvalue) {
    return take_input<T>(inputs, arg.index);
  } else {
    return static_cast<const T&>(inputs.slot(arg.index).template get<T>());
  }
}

template <bool rvalue, class T>
std::vector<T> fetch(const DepVecArg<T>& arg, const InputView& inputs) {
  std::vector<T> values;
  values.reserve(arg.count);
  for (std::uint32_t k = arg.first; k < arg.first + arg.count; ++k) values.push_back(take_input<T>(inputs, k));
  return values;
}

/// Type an argument spec is passed to the function as.
template <class F, std::size_t I, class Spec>
using Fetched = decltype(fetch<wants_rvalue<F, I>()>(std::declval<const Spec&>(), std::declval<const InputView&>()));

/// Stores a function's result in a slot, constructing it in place (no extra move for large results).
template <class R, class Call>
void store_result(Slot& out, Call&& call) {
  if constexpr (std::is_void_v<R>) {
    std::forward<Call>(call)();
    out.set_void();
  } else {
    out.emplace_from<R>(std::forward<Call>(call));
  }
}

/// Node for `delayed(f)(args...)`. `Box` owns the function and the name shared by all its calls.
template <class F, class R, class... Specs>
class CallNode final : public Node {
 public:
  CallNode(Name name, const F* function, DepList deps, std::tuple<Specs...> specs, bool name_is_key = false)
      : Node(std::move(name), std::move(deps), name_is_key), function_(function), specs_(std::move(specs)) {}

  void run(const InputView& inputs, Slot& out) const override {
    run_impl(inputs, out, std::index_sequence_for<Specs...>{});
  }

  const ResultType& result_type() const noexcept override {
    return result_type_of<std::conditional_t<std::is_void_v<R>, VoidResult, R>>;
  }

 private:
  template <std::size_t... I>
  void run_impl(const InputView& inputs, Slot& out, std::index_sequence<I...>) const {
    store_result<R>(out, [&]() -> decltype(auto) {
      return std::invoke(*function_, fetch<wants_rvalue<F, I>()>(std::get<I>(specs_), inputs)...);
    });
  }

  const F* function_;  // kept alive by the name, which shares ownership of the function's box
  std::tuple<Specs...> specs_;
};

/// Node holding a constant (`value()`, `persist()`, TaskGraph values): consumers read it in place,
/// without copies. The constant is shared, so lowering a TaskGraph again does not copy it either.
template <class T>
class ValueNode final : public Node {
 public:
  ValueNode(Name name, std::shared_ptr<const T> value, bool name_is_key = false)
      : Node(std::move(name), DepList(), name_is_key), value_(std::move(value)) {}

  void run(const InputView&, Slot& out) const override { out.borrow(*value_); }

  const ResultType& result_type() const noexcept override { return result_type_of<T>; }

  /// Constants are the same on every process, so the MPI scheduler makes them everywhere, never sends them.
  bool constant() const noexcept override { return true; }

 private:
  std::shared_ptr<const T> value_;
};

}  // namespace dagflow::detail
