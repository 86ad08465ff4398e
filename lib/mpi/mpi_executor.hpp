// The executor of Scheduler::mpi (see mpi_executor.cpp).
#pragma once

#include <memory>

#include "dagflow/options.hpp"
#include "executor.hpp"

namespace dagflow::detail {

/// The executor of one Scheduler::mpi compute whose outputs go to `output_rank` (or all_ranks). Throws
/// UsageError when another MPI compute is running in this process, or `output_rank` is not a rank.
std::unique_ptr<Executor> make_mpi_executor(const ComputeOptions& options, int output_rank);

}  // namespace dagflow::detail
