// The compiled entry points that the header-only front ends call. Everything behind them (planning,
// the executors, oneTBB) lives in lib/ and is never seen by user code.
#pragma once

#include <cstdint>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "dagflow/detail/node.hpp"
#include "dagflow/detail/slot.hpp"
#include "dagflow/options.hpp"

namespace dagflow::detail {

/// The results of one run, one per requested output (the same node requested twice shares a slot).
class Results {
 public:
  Results(std::vector<Slot> slots, std::vector<std::uint32_t> first, std::vector<bool> last_use)
      : slots_(std::move(slots)), first_(std::move(first)), last_use_(std::move(last_use)) {}
  Slot& slot(std::size_t output) noexcept { return slots_[first_[output]]; }
  /// True when no later output position refers to the same result, so it may be moved out.
  bool last_use(std::size_t output) const noexcept { return last_use_[output]; }

 private:
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> first_;
  std::vector<bool> last_use_;
};

/// With Scheduler::mpi: the outputs of a compute end up on every rank.
inline constexpr int all_ranks = -1;

/// Runs every task that `roots` need (and only those) and returns their results. The array `roots`
/// must outlive the call; the graph need not: the run holds a reference to each root, so a task may drop
/// the caller's last handle. With Scheduler::mpi the results are on rank `output_rank` only (empty
/// slots elsewhere) unless it is all_ranks. Throws TaskError when a task throws, CancelledError when the
/// oneTBB work around the call was cancelled before every task ran, UsageError for bad options.
Results compute_nodes(std::span<Node* const> roots, const ComputeOptions& options, int output_rank = all_ranks);

/// Moves (or, when it must, copies) output `output` out of `results` as a T.
template <class T>
T take_result(Results& results, std::size_t output) {
  Slot& slot = results.slot(output);
  if (results.last_use(output) && slot.owns()) return T(std::move(slot.get_mutable<T>()));
  if constexpr (std::is_copy_constructible_v<T>) {
    return T(slot.get<T>());
  } else {
    throw_not_copyable(typeid(T));
  }
}

}  // namespace dagflow::detail
