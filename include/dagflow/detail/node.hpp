// The immutable task node that every front end (Delayed, TaskGraph, Bag) builds.
//
// A node knows its dependencies and how to compute its result from theirs; it never holds a result.
// Results belong to a run (see lib/run.hpp), which is what lets several threads compute the same graph
// at once. Nodes are reference counted intrusively because a `Delayed` handle is copied all the time
// and one atomic counter in the node is the cheapest way to share it.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <utility>

#include "dagflow/detail/serialize.hpp"
#include "dagflow/detail/slot.hpp"

namespace dagflow::detail {

class Node;

/// Drops one reference; deletes the node and, iteratively, every dependency it kept alive. Iteration
/// (not recursion) is what lets a chain of a million tasks be destroyed without overflowing the stack.
void release(Node* node) noexcept;

/// A fresh process-wide unique id for a new node.
std::uint64_t new_node_id() noexcept;

/// Owning handle to a node (intrusive reference count).
class NodeRef {
 public:
  NodeRef() noexcept = default;
  /// Adopts one reference that the caller already holds.
  static NodeRef adopt(Node* node) noexcept {
    NodeRef ref;
    ref.node_ = node;
    return ref;
  }
  explicit NodeRef(Node* node) noexcept;
  NodeRef(const NodeRef& other) noexcept;
  NodeRef(NodeRef&& other) noexcept : node_(std::exchange(other.node_, nullptr)) {}
  NodeRef& operator=(NodeRef other) noexcept {
    std::swap(node_, other.node_);
    return *this;
  }
  ~NodeRef() {
    if (node_ != nullptr) release(node_);
  }
  Node* get() const noexcept { return node_; }
  Node* operator->() const noexcept { return node_; }
  explicit operator bool() const noexcept { return node_ != nullptr; }
  /// Gives up ownership without releasing.
  Node* detach() noexcept { return std::exchange(node_, nullptr); }

 private:
  Node* node_ = nullptr;
};

/// Dependencies of a node, in argument order; most tasks have at most two, so those stay inline.
class DepList {
 public:
  static constexpr std::uint32_t inline_capacity = 2;

  DepList() noexcept = default;
  explicit DepList(std::uint32_t size) : size_(size) {
    if (size_ > inline_capacity) heap_ = new Node*[size_];
  }
  DepList(const DepList&) = delete;
  DepList& operator=(const DepList&) = delete;
  DepList(DepList&& other) noexcept : size_(std::exchange(other.size_, 0)) {
    std::memcpy(&inline_, &other.inline_, sizeof(inline_));
  }
  ~DepList() {
    if (size_ > inline_capacity) delete[] heap_;
  }

  std::uint32_t size() const noexcept { return size_; }
  Node** data() noexcept { return size_ > inline_capacity ? heap_ : inline_; }
  Node* const* data() const noexcept { return size_ > inline_capacity ? heap_ : inline_; }
  Node* operator[](std::uint32_t i) const noexcept { return data()[i]; }

 private:
  std::uint32_t size_ = 0;
  // The anonymous union's members are private members of DepList, but clang-tidy 14 names them as public.
  // NOLINTBEGIN(readability-identifier-naming)
  union {
    Node* inline_[inline_capacity]{};  // zeroed so that moving an empty or short list copies no garbage
    Node** heap_;
  };
  // NOLINTEND(readability-identifier-naming)
};

/// What a running node sees of its inputs: the run's result slots, reached through the node's edges.
class InputView {
 public:
  InputView(Slot* slots, const std::atomic<std::uint32_t>* unread, const std::uint32_t* deps) noexcept
      : slots_(slots), unread_(unread), deps_(deps) {}
  /// Result of the k-th dependency (argument order).
  Slot& slot(std::uint32_t k) const noexcept { return slots_[deps_[k]]; }
  /// True when no one else will read the k-th dependency's result and the run owns it, so the value
  /// may be moved out instead of copied. Readers count themselves out only after they ran, so a count
  /// of one means this task is the last reader.
  bool movable(std::uint32_t k) const noexcept {
    return unread_[deps_[k]].load(std::memory_order_acquire) == 1 && slot(k).owns();
  }

 private:
  Slot* slots_;
  const std::atomic<std::uint32_t>* unread_;
  const std::uint32_t* deps_;
};

/// A task: a name, its dependencies, and how to compute its result from theirs.
class Node {
 public:
  using Name = std::shared_ptr<const std::string>;

  /// Takes ownership of one reference to each dependency in `deps`.
  Node(Name name, DepList deps, bool name_is_key = false) noexcept
      : deps_(std::move(deps)), name_(std::move(name)), id_(new_node_id()), name_is_key_(name_is_key) {}
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;
  virtual ~Node() = default;

  /// Computes the result into `out` (empty on entry) from the dependencies' results in `inputs`.
  virtual void run(const InputView& inputs, Slot& out) const = 0;

  /// The type of the result that run() stores, and how it crosses processes when it can.
  virtual const ResultType& result_type() const noexcept = 0;

  /// True for a node that only hands out a constant it holds (value(), persist(), TaskGraph values).
  virtual bool constant() const noexcept { return false; }

  /// The task's unique key, e.g. "add-5c1f0e2a" (or the exact key of a TaskGraph task).
  std::string key() const;
  const std::string& name() const noexcept { return *name_; }
  std::uint64_t id() const noexcept { return id_; }
  std::span<Node* const> deps() const noexcept { return {deps_.data(), deps_.size()}; }

 private:
  friend class NodeRef;
  friend void release(Node* node) noexcept;
  friend struct Traversal;

  mutable std::atomic<std::uint32_t> refs_{1};
  DepList deps_;
  Name name_;
  std::uint64_t id_;
  bool name_is_key_;
  // Written only by a traversal, under the traversal lock (lib/plan.cpp).
  mutable std::uint64_t visit_epoch_ = 0;
  mutable std::uint32_t visit_index_ = 0;
};

inline NodeRef::NodeRef(Node* node) noexcept : node_(node) {
  if (node_ != nullptr) node_->refs_.fetch_add(1, std::memory_order_relaxed);
}
inline NodeRef::NodeRef(const NodeRef& other) noexcept : NodeRef(other.node_) {}

}  // namespace dagflow::detail
