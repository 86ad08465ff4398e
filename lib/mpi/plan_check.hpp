// Every rank must compute the same graph: a collective check of the plans' fingerprints.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <vector>

#include "plan.hpp"

namespace dagflow::detail {

/// What placement needs to know about a task besides its inputs.
enum TaskKind : std::uint8_t {
  ordinary_task = 0,
  constant_task = 1,      ///< made on every rank, never sent
  unsendable_result = 2,  ///< a result that cannot be serialized: its readers run where it is made
};

/// Compares `plan` with the plans of the other ranks of `comm` (a collective: every rank calls it for the
/// same compute), and returns each task's kind, gathered in the same pass (for a large graph, visiting
/// the nodes is most of the cost). Throws UsageError on every rank when the plans differ, naming the
/// first task that differs (as this rank sees it). Costs one pass over the plan and one allreduce when
/// they agree.
std::vector<std::uint8_t> check_same_plan(const Plan& plan, MPI_Comm comm);

}  // namespace dagflow::detail
