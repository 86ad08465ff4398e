// What a task's result type is, and, when it can cross processes, how it becomes bytes and back.
//
// Every node describes its result type with one static ResultType. The MPI scheduler uses it to send a
// result to the ranks that read it, to check that every rank built the same graph (the type's name is
// part of the plan's hash) and to keep the producer and readers of a type it cannot send on one rank.
// The converters are cereal's binary archives; they exist only when dagflow was built with MPI, so that
// single-machine builds neither include nor need cereal.
#pragma once

#include <array>
#include <complex>
#include <cstddef>
#include <cstring>
#include <deque>
#include <istream>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <streambuf>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include "dagflow/config.hpp"
#include "dagflow/detail/slot.hpp"

#if DAGFLOW_WITH_MPI
#include <cereal/archives/binary.hpp>
#include <cereal/types/array.hpp>
#include <cereal/types/complex.hpp>
#include <cereal/types/deque.hpp>
#include <cereal/types/list.hpp>
#include <cereal/types/map.hpp>
#include <cereal/types/optional.hpp>
#include <cereal/types/set.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/tuple.hpp>
#include <cereal/types/unordered_map.hpp>
#include <cereal/types/unordered_set.hpp>
#include <cereal/types/utility.hpp>
#include <cereal/types/variant.hpp>
#include <cereal/types/vector.hpp>
#endif

namespace dagflow::detail {

/// A task's result type: its identity, and (when it can be serialized) its conversion to and from bytes.
struct ResultType {
  const std::type_info* type;
  /// Appends the value in `slot` to `bytes`; null when the type cannot be serialized.
  void (*save)(const Slot& slot, std::string& bytes);
  /// Constructs an owned value in the empty `slot` from `bytes`; null when the type cannot be serialized.
  /// Throws when the bytes do not hold such a value.
  void (*load)(std::string_view bytes, Slot& slot);

  bool serializable() const noexcept { return save != nullptr; }
};

// --- Which types cross processes ----------------------------------------------------------------------
// cereal's own traits would call std::vector<T> serializable whatever T is, and then fail to compile
// deep inside cereal for a T without serialize(). This trait looks inside the standard containers that
// cereal supports, so a result type is serializable exactly when all of its parts are; it is false (and
// the producer stays with its readers) for anything else: pointers, shared_ptr, functions, user types
// without serialize(). Loading default-constructs before reading, hence the default-constructible parts.

template <class T>
struct Serializable;

template <class... Ts>
constexpr bool all_serializable = (Serializable<Ts>::value && ...);

template <class T>
constexpr bool serializable = Serializable<std::remove_cv_t<T>>::value;

#if DAGFLOW_WITH_MPI
template <class T>
struct Serializable {
  static constexpr bool value = [] {
    if constexpr (std::is_same_v<T, VoidResult> || std::is_arithmetic_v<T> || std::is_enum_v<T>) {
      return true;
    } else if constexpr (std::is_class_v<T> && std::is_default_constructible_v<T>) {
      // A user type with its own serialize() (or save()/load()), as cereal finds them.
      return cereal::traits::is_output_serializable<T, cereal::BinaryOutputArchive>::value &&
             cereal::traits::is_input_serializable<T, cereal::BinaryInputArchive>::value;
    } else {
      return false;
    }
  }();
};
#else
template <class T>
struct Serializable {
  static constexpr bool value = false;
};
#endif

#if DAGFLOW_WITH_MPI
template <class C, class T, class A>
struct Serializable<std::basic_string<C, T, A>> : std::bool_constant<std::is_arithmetic_v<C>> {};
template <class T, class A>
struct Serializable<std::vector<T, A>> : std::bool_constant<all_serializable<T>> {};
template <class T, class A>
struct Serializable<std::deque<T, A>> : std::bool_constant<all_serializable<T>> {};
template <class T, class A>
struct Serializable<std::list<T, A>> : std::bool_constant<all_serializable<T>> {};
template <class T, std::size_t N>
struct Serializable<std::array<T, N>> : std::bool_constant<all_serializable<T>> {};
template <class A, class B>
struct Serializable<std::pair<A, B>> : std::bool_constant<all_serializable<A, B>> {};
template <class... Ts>
struct Serializable<std::tuple<Ts...>> : std::bool_constant<all_serializable<Ts...>> {};
template <class T>
struct Serializable<std::optional<T>> : std::bool_constant<all_serializable<T>> {};
template <class... Ts>
struct Serializable<std::variant<Ts...>> : std::bool_constant<all_serializable<Ts...>> {};
template <class T>
struct Serializable<std::complex<T>> : std::bool_constant<all_serializable<T>> {};
template <class K, class V, class C, class A>
struct Serializable<std::map<K, V, C, A>> : std::bool_constant<all_serializable<K, V>> {};
template <class K, class V, class C, class A>
struct Serializable<std::multimap<K, V, C, A>> : std::bool_constant<all_serializable<K, V>> {};
template <class K, class V, class H, class E, class A>
struct Serializable<std::unordered_map<K, V, H, E, A>> : std::bool_constant<all_serializable<K, V>> {};
template <class K, class C, class A>
struct Serializable<std::set<K, C, A>> : std::bool_constant<all_serializable<K>> {};
template <class K, class C, class A>
struct Serializable<std::multiset<K, C, A>> : std::bool_constant<all_serializable<K>> {};
template <class K, class H, class E, class A>
struct Serializable<std::unordered_set<K, H, E, A>> : std::bool_constant<all_serializable<K>> {};
// Shared ownership is the point of these (hand-offs between tasks, state shared with a closure): a copy
// in another process would silently stop sharing, so they never cross, even when a program includes
// cereal's own pointer support.
template <class T>
struct Serializable<std::shared_ptr<T>> : std::false_type {};
template <class T>
struct Serializable<std::weak_ptr<T>> : std::false_type {};
template <class T, class D>
struct Serializable<std::unique_ptr<T, D>> : std::false_type {};

/// An output stream buffer that appends to a std::string (cereal writes through std::ostream).
class StringSink final : public std::streambuf {
 public:
  explicit StringSink(std::string& bytes) noexcept : bytes_(bytes) {}

 protected:
  std::streamsize xsputn(const char* data, std::streamsize count) override {
    bytes_.append(data, static_cast<std::size_t>(count));
    return count;
  }
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof())) bytes_.push_back(traits_type::to_char_type(c));
    return traits_type::not_eof(c);
  }

 private:
  std::string& bytes_;
};

/// An input stream buffer over bytes it does not own (cereal reads through std::istream).
class BytesSource final : public std::streambuf {
 public:
  explicit BytesSource(std::string_view bytes) noexcept {
    // std::streambuf wants char*, but only ever reads through the get area.
    char* begin = const_cast<char*>(bytes.data());
    setg(begin, begin, begin + bytes.size());
  }
};

// Numbers and enums are their bytes (cereal's binary archive writes the same), without the cost of a
// stream per value, which dominates a graph of many small results.
template <class T>
constexpr bool raw_bytes = std::is_arithmetic_v<T> || std::is_enum_v<T>;

template <class T>
void save_result(const Slot& slot, std::string& bytes) {
  if constexpr (raw_bytes<T>) {
    const T& value = slot.get<T>();
    bytes.append(reinterpret_cast<const char*>(&value), sizeof(T));
  } else if constexpr (!std::is_same_v<T, VoidResult>) {
    StringSink sink(bytes);
    std::ostream out(&sink);
    cereal::BinaryOutputArchive archive(out);
    archive(slot.get<T>());
  }
}

template <class T>
void load_result(std::string_view bytes, Slot& slot) {
  if constexpr (std::is_same_v<T, VoidResult>) {
    slot.set_void();
  } else if constexpr (raw_bytes<T>) {
    if (bytes.size() != sizeof(T)) throw cereal::Exception("dagflow: a number's bytes have the wrong size");
    T value;
    std::memcpy(&value, bytes.data(), sizeof(T));
    slot.emplace<T>(value);
  } else {
    BytesSource source(bytes);
    std::istream in(&source);
    cereal::BinaryInputArchive archive(in);
    T value;
    archive(value);
    slot.emplace<T>(std::move(value));
  }
}
#endif

template <class T>
constexpr ResultType make_result_type() noexcept {
#if DAGFLOW_WITH_MPI
  if constexpr (serializable<T>) return {&typeid(T), &save_result<T>, &load_result<T>};
#endif
  return {&typeid(T), nullptr, nullptr};
}

/// The one ResultType of T (VoidResult for tasks that return nothing).
template <class T>
inline constexpr ResultType result_type_of = make_result_type<T>();

}  // namespace dagflow::detail
