#include "mpi/placement.hpp"

#include <algorithm>
#include <boost/core/demangle.hpp>
#include <numeric>
#include <string>
#include <utility>

#include "dagflow/detail/run_api.hpp"
#include "dagflow/errors.hpp"
#include "mpi/plan_check.hpp"

namespace dagflow::detail {

namespace {

// Tasks joined by a result that cannot cross processes must share a rank: the producer of such a result
// and every reader of it form one group (union-find with path halving).
class Groups {
 public:
  explicit Groups(std::uint32_t tasks) : parent_(tasks) { std::iota(parent_.begin(), parent_.end(), 0U); }
  std::uint32_t find(std::uint32_t task) noexcept {
    while (parent_[task] != task) task = parent_[task] = parent_[parent_[task]];
    return task;
  }
  void unite(std::uint32_t a, std::uint32_t b) noexcept { parent_[find(a)] = find(b); }

 private:
  std::vector<std::uint32_t> parent_;
};

bool fed_by_constants(const Plan& plan, std::span<const std::uint8_t> kinds, std::uint32_t task) noexcept {
  const auto deps = plan.deps(task);
  return std::all_of(deps.begin(), deps.end(), [&](std::uint32_t dep) { return kinds[dep] == constant_task; });
}

[[noreturn]] void throw_unsendable_output(const Node& node) {
  throw UsageError("dagflow: Scheduler::mpi: output '" + node.key() + "' has type " +
                   boost::core::demangle(node.result_type().type->name()) +
                   ", which cannot be sent to the other ranks (it has no cereal serialize() function, or it is a "
                   "pointer type whose sharing would be lost); give it a serialize() function, or compute it on "
                   "one rank with dagflow::mpi::compute_at");
}

}  // namespace

RankPlacement::RankPlacement(const Plan& plan, std::span<const std::uint8_t> kinds, int me, int ranks,
                             Placement placement, int output_rank) {
  assign_owners(plan, kinds, ranks, placement, output_rank);
  list_transfers(plan, me);
}

void RankPlacement::assign_owners(const Plan& plan, std::span<const std::uint8_t> kinds, int ranks, Placement placement,
                                  int output_rank) {
  const std::uint32_t tasks = plan.size();
  owner_.assign(tasks, 0);

  const bool any_group = std::find(kinds.begin(), kinds.end(), unsendable_result) != kinds.end();
  Groups groups(any_group ? tasks : 0);
  std::vector<int> group_rank;
  if (any_group) {
    for (std::uint32_t task = 0; task < tasks; ++task) {
      for (std::uint32_t dep : plan.deps(task)) {
        if (kinds[dep] != unsendable_result) continue;
        groups.unite(dep, task);
        if (kept_with_producer_++ == 0) example_kept_ = dep;
      }
    }
    group_rank.assign(tasks, everywhere);
    for (std::uint32_t output : plan.outputs()) {
      if (kinds[output] != unsendable_result) continue;
      if (output_rank == all_ranks && ranks > 1) throw_unsendable_output(plan.node(output));
      group_rank[groups.find(output)] = output_rank == all_ranks ? 0 : output_rank;
    }
  }

  std::uint64_t sources = 0;
  for (std::uint32_t task = 0; task < tasks; ++task)
    if (kinds[task] != constant_task && fed_by_constants(plan, kinds, task)) ++sources;

  std::vector<std::uint32_t> votes(static_cast<std::size_t>(ranks), 0);
  std::uint64_t dealt = 0;
  for (std::uint32_t task = 0; task < tasks; ++task) {
    if (kinds[task] == constant_task) {
      owner_[task] = everywhere;
      continue;
    }
    int chosen = 0;
    if (fed_by_constants(plan, kinds, task)) {
      // Sources are dealt out in plan order, which follows the order the graph was built in.
      chosen = placement == Placement::cyclic ? static_cast<int>(dealt % static_cast<std::uint64_t>(ranks))
                                              : static_cast<int>(dealt * static_cast<std::uint64_t>(ranks) / sources);
      ++dealt;
    } else {
      // The rank holding most inputs; on a tie the one that reached the count first (the earlier input).
      std::uint32_t best_votes = 0;
      for (std::uint32_t dep : plan.deps(task)) {
        const int rank = owner_[dep];
        if (rank == everywhere) continue;
        if (++votes[static_cast<std::size_t>(rank)] > best_votes) {
          best_votes = votes[static_cast<std::size_t>(rank)];
          chosen = rank;
        }
      }
      for (std::uint32_t dep : plan.deps(task))
        if (owner_[dep] != everywhere) votes[static_cast<std::size_t>(owner_[dep])] = 0;
    }
    if (any_group) {
      int& group = group_rank[groups.find(task)];
      if (group == everywhere) group = chosen;
      chosen = group;
    }
    owner_[task] = chosen;
  }
}

void RankPlacement::list_transfers(const Plan& plan, int me) {
  const std::uint32_t tasks = plan.size();
  local_.assign(tasks, 0);
  uses_.assign(tasks, 0);
  std::vector<std::uint8_t> received(tasks, 0);
  std::vector<std::pair<std::uint32_t, int>> sends;  // (task, reader's rank), with repeats
  for (std::uint32_t task = 0; task < tasks; ++task) {
    const int owner = owner_[task];
    if (owner == everywhere || owner == me) {
      local_[task] = 1;
      if (owner == me) ++own_tasks_;
      for (std::uint32_t dep : plan.deps(task)) {
        ++uses_[dep];
        if (owner == me && owner_[dep] != me && owner_[dep] != everywhere && received[dep] == 0) {
          received[dep] = 1;
          ++receives_;
        }
      }
    } else {
      for (std::uint32_t dep : plan.deps(task))
        if (owner_[dep] == me) sends.emplace_back(dep, owner);
    }
  }
  for (std::uint32_t output : plan.outputs()) ++uses_[output];

  std::sort(sends.begin(), sends.end());
  sends.erase(std::unique(sends.begin(), sends.end()), sends.end());
  send_start_.assign(tasks + 1, 0);
  send_to_.reserve(sends.size());
  for (const auto& [task, rank] : sends) {
    ++send_start_[task + 1];
    send_to_.push_back(rank);
  }
  for (std::uint32_t task = 0; task < tasks; ++task) {
    if (send_start_[task + 1] != 0) ++senders_;
    send_start_[task + 1] += send_start_[task];
  }
}

}  // namespace dagflow::detail
