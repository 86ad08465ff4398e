// A task result cut into pieces, each of which exactly one consumer task takes (moves) out.
//
// Why: when one task's result feeds several consumers, the core can move it only into the last one and
// must copy it for the others. A shuffle (groupby) or a split (repartition) produces one result that n
// consumers each need a disjoint part of; returning the parts behind a shared pointer lets every
// consumer move its own part out instead of copying the whole result. Consumers touch disjoint
// elements of `pieces`, so they need no lock; each run of the graph builds a fresh Handoff, so a part
// is never taken twice.
#pragma once

#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

namespace dagflow::detail {

template <class T>
class Handoff {
 public:
  explicit Handoff(std::vector<std::vector<T>> pieces) noexcept : pieces_(std::move(pieces)) {}

  std::size_t size() const noexcept { return pieces_.size(); }

  /// Moves piece `i` out; only the one task that owns piece `i` may call this, once per run.
  std::vector<T> take(std::size_t i) noexcept { return std::move(pieces_[i]); }

 private:
  std::vector<std::vector<T>> pieces_;
};

template <class T>
using HandoffPtr = std::shared_ptr<Handoff<T>>;

}  // namespace dagflow::detail
