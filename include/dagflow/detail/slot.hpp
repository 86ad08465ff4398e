// Type-erased storage for one task result.
//
// A run keeps one Slot per task. Small trivially copyable results (numbers, small PODs) live inline so
// that the common case costs no allocation; everything else lives on the heap behind a pointer, which
// also lets a slot *borrow* a constant it does not own (a persisted result, a `value()`), so constants
// reach their consumers without a copy.
#pragma once

#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>
#include <typeinfo>
#include <utility>

namespace dagflow::detail {

/// Throws UsageError: a result of `type` had to be copied but cannot be.
[[noreturn]] void throw_not_copyable(const std::type_info& type);

/// Per-type operations of a slot; one static instance per stored type and ownership.
struct SlotOps {
  void (*destroy)(void* storage) noexcept;  // null when the slot borrows
  const std::type_info& type;
  bool owning;
};

/// Marker type of a slot that holds the "result" of a void task.
struct VoidResult {};

class Slot {
 public:
  static constexpr std::size_t inline_size = 24;

  template <class T>
  static constexpr bool stored_inline =
      std::is_trivially_copyable_v<T> && sizeof(T) <= inline_size && alignof(T) <= alignof(std::max_align_t);

  Slot() noexcept = default;
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;
  // Both layouts (inline trivially copyable value, or a pointer) are moved by copying the bytes.
  Slot(Slot&& other) noexcept : ops_(std::exchange(other.ops_, nullptr)) {
    std::memcpy(storage_, other.storage_, inline_size);
  }
  Slot& operator=(Slot&& other) noexcept {
    if (this != &other) {
      reset();
      std::memcpy(storage_, other.storage_, inline_size);
      ops_ = std::exchange(other.ops_, nullptr);
    }
    return *this;
  }
  ~Slot() { reset(); }

  /// Constructs an owned T in the slot (the slot must be empty).
  template <class T, class... Args>
  void emplace(Args&&... args) {
    if constexpr (stored_inline<T>) {
      ::new (static_cast<void*>(storage_)) T(std::forward<Args>(args)...);
    } else {
      T* object = new T(std::forward<Args>(args)...);
      std::memcpy(storage_, &object, sizeof(object));
    }
    ops_ = &owned_ops<T>;
  }

  /// Constructs an owned T from what `make()` returns; a returned prvalue is constructed in place.
  template <class T, class Make>
  void emplace_from(Make&& make) {
    if constexpr (stored_inline<T>) {
      ::new (static_cast<void*>(storage_)) T(std::forward<Make>(make)());
    } else {
      T* object = new T(std::forward<Make>(make)());
      std::memcpy(storage_, &object, sizeof(object));
    }
    ops_ = &owned_ops<T>;
  }

  /// Makes the slot refer to `object` without owning it; `object` must outlive the slot's use.
  template <class T>
  void borrow(const T& object) {
    if constexpr (stored_inline<T>) {
      emplace<T>(object);
    } else {
      const T* pointer = &object;
      std::memcpy(storage_, &pointer, sizeof(pointer));
      ops_ = &borrowed_ops<T>;
    }
  }

  void set_void() noexcept { ops_ = &owned_ops<VoidResult>; }

  template <class T>
  const T& get() const noexcept {
    if constexpr (stored_inline<T>) {
      return *std::launder(reinterpret_cast<const T*>(storage_));
    } else {
      const T* pointer;
      std::memcpy(&pointer, storage_, sizeof(pointer));
      return *pointer;
    }
  }

  /// Mutable access for moving out; only valid when owns().
  template <class T>
  T& get_mutable() noexcept {
    return const_cast<T&>(get<T>());
  }

  bool has_value() const noexcept { return ops_ != nullptr; }
  bool owns() const noexcept { return ops_ != nullptr && ops_->owning; }
  const std::type_info& type() const noexcept { return ops_ ? ops_->type : typeid(void); }

  void reset() noexcept {
    if (ops_ != nullptr) {
      if (ops_->destroy != nullptr) ops_->destroy(storage_);
      ops_ = nullptr;
    }
  }

 private:
  template <class T>
  static void destroy_owned(void* storage) noexcept {
    if constexpr (stored_inline<T>) {
      std::launder(reinterpret_cast<T*>(storage))->~T();
    } else {
      T* pointer;
      std::memcpy(&pointer, storage, sizeof(pointer));
      delete pointer;
    }
  }

  template <class T>
  static inline const SlotOps owned_ops{
      stored_inline<T> && std::is_trivially_destructible_v<T> ? nullptr : &destroy_owned<T>, typeid(T), true};
  template <class T>
  static inline const SlotOps borrowed_ops{nullptr, typeid(T), false};

  alignas(std::max_align_t) unsigned char storage_[inline_size];
  const SlotOps* ops_ = nullptr;
};

}  // namespace dagflow::detail
