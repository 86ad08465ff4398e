// Which rank runs each task of a plan, and what each rank sends and receives: a pure function of the
// plan, so every rank computes the same answer without a message.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "dagflow/options.hpp"
#include "plan.hpp"

namespace dagflow::detail {

/// One rank's share of a plan.
class RankPlacement {
 public:
  /// Rank of a constant task: constants are made on every rank and never sent.
  static constexpr int everywhere = -1;

  /// Places `plan`, whose tasks are of `kinds` (TaskKind, from check_same_plan()), on `ranks` ranks as
  /// seen from rank `me`, dealing sources out as `placement` says. Every output must be able to reach
  /// `output_rank` (or every rank, for all_ranks): an output whose type cannot be serialized is placed on
  /// `output_rank`, and is a UsageError when it must reach all of several ranks.
  RankPlacement(const Plan& plan, std::span<const std::uint8_t> kinds, int me, int ranks, Placement placement,
                int output_rank);

  /// The rank that runs `task`, or `everywhere`.
  int owner(std::uint32_t task) const noexcept { return owner_[task]; }
  /// Non-zero for the tasks this rank runs (its own and the constants).
  std::span<const std::uint8_t> local() const noexcept { return local_; }
  /// Readers of each result on this rank, plus one per request as an output: what the run counts down.
  std::span<const std::uint32_t> uses() const noexcept { return uses_; }
  /// The ranks that read `task`'s result (ascending, without this one); empty for most tasks.
  std::span<const int> destinations(std::uint32_t task) const noexcept {
    return {send_to_.data() + send_start_[task], send_start_[task + 1] - send_start_[task]};
  }
  /// How many of this rank's tasks send their result somewhere.
  std::uint32_t senders() const noexcept { return senders_; }
  /// How many results of other ranks' tasks this rank reads.
  std::uint32_t receives() const noexcept { return receives_; }
  /// How many tasks this rank runs that are not constants.
  std::uint32_t own_tasks() const noexcept { return own_tasks_; }
  /// How many tasks read a result that cannot be serialized (and so run where it was made), and one
  /// such task, for the log.
  std::uint32_t kept_with_producer() const noexcept { return kept_with_producer_; }
  std::uint32_t example_kept() const noexcept { return example_kept_; }

 private:
  void assign_owners(const Plan& plan, std::span<const std::uint8_t> kinds, int ranks, Placement placement,
                     int output_rank);
  void list_transfers(const Plan& plan, int me);

  std::vector<int> owner_;
  std::vector<std::uint8_t> local_;
  std::vector<std::uint32_t> uses_;
  std::vector<std::uint32_t> send_start_;
  std::vector<int> send_to_;
  std::uint32_t senders_ = 0;
  std::uint32_t receives_ = 0;
  std::uint32_t own_tasks_ = 0;
  std::uint32_t kept_with_producer_ = 0;
  std::uint32_t example_kept_ = 0;
};

}  // namespace dagflow::detail
