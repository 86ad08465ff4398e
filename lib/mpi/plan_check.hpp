// Every rank must compute the same graph: a collective check of the plans' fingerprints.
#pragma once

#include <mpi.h>

#include "plan.hpp"

namespace dagflow::detail {

/// Compares `plan` with the plans of the other ranks of `comm` (a collective: every rank calls it for the
/// same compute). Throws UsageError on every rank when they differ, naming the first task that differs
/// (as this rank sees it). Costs one pass over the plan and one allreduce when they agree.
void check_same_plan(const Plan& plan, MPI_Comm comm);

}  // namespace dagflow::detail
