// dagflow's view of MPI while a Session lives: its own communicator, this rank and the rank count.
#pragma once

#include <mpi.h>

namespace dagflow::detail {

/// The communicator dagflow's computes use (a duplicate of MPI_COMM_WORLD). Only valid while a
/// dagflow::mpi::Session lives.
MPI_Comm mpi_comm() noexcept;
int mpi_rank() noexcept;
int mpi_size() noexcept;

}  // namespace dagflow::detail
