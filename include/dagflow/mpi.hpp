// Running dagflow graphs on many processes with MPI: every rank builds the same graph and runs its share.
//
//   int main(int argc, char** argv) {
//     dagflow::mpi::Session session(argc, argv);          // MPI_Init_thread ... MPI_Finalize
//     auto total = build_graph();                          // the same graph on every rank
//     double x = total.compute({.scheduler = dagflow::Scheduler::mpi});   // on every rank
//     if (dagflow::mpi::rank() == 0) std::printf("%g\n", x);
//   }
//
// Link `dagflow::mpi` and start the program with `mpirun -n 4 ./program` (or Slurm's `srun`). See
// docs/distributed.md for the model: placement, which types cross ranks, failures.
#pragma once

#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "dagflow/bag.hpp"
#include "dagflow/delayed.hpp"
#include "dagflow/detail/run_api.hpp"
#include "dagflow/options.hpp"

namespace dagflow::mpi {

/// MPI for the lifetime of the object: initializes it (MPI_THREAD_SERIALIZED or better) unless the
/// program already did, and finalizes it on destruction if it initialized it. While a Session lives,
/// `Scheduler::mpi` computes across all ranks of MPI_COMM_WORLD (on a communicator of dagflow's own, so
/// dagflow's messages never meet the program's). One Session at a time per process.
class Session {
 public:
  /// Initializes MPI from the program's arguments (MPI may remove the ones it consumed). Throws
  /// UsageError when a Session already exists, when MPI was already initialized with less than
  /// MPI_THREAD_SERIALIZED, or when it was already finalized.
  Session(int& argc, char**& argv);
  /// Initializes MPI without the program's arguments.
  Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  /// Finalizes MPI if this Session initialized it.
  ~Session();

 private:
  bool finalize_ = false;
};

/// This process's rank in MPI_COMM_WORLD (0 .. size() - 1). Throws UsageError without a live Session.
int rank();

/// The number of ranks in MPI_COMM_WORLD. Throws UsageError without a live Session.
int size();

/// True while a Session is alive.
bool active() noexcept;

/// Computes `value` across all ranks (a collective, like compute() with Scheduler::mpi) and returns it
/// on rank `root` only (std::nullopt elsewhere): for a large result, such as an image or a big map,
/// that one rank writes out. `options.scheduler` is ignored (always Scheduler::mpi). Throws UsageError
/// when `root` is not a rank, and like Delayed::compute() otherwise.
template <class T>
  requires(!std::is_void_v<T>)
std::optional<T> compute_at(int root, const Delayed<T>& value, ComputeOptions options = {}) {
  options.scheduler = Scheduler::mpi;
  dagflow::detail::Node* roots[] = {dagflow::detail::DelayedAccess::node(value)};
  dagflow::detail::Results results = dagflow::detail::compute_nodes(roots, options, root);
  if (rank() != root) return std::nullopt;
  return dagflow::detail::take_result<T>(results, 0);
}

/// Computes all elements of `bag` across all ranks and returns them, in order, on rank `root` only.
template <class T>
std::optional<std::vector<T>> compute_at(int root, const Bag<T>& bag, ComputeOptions options = {}) {
  options.scheduler = Scheduler::mpi;
  const std::vector<Delayed<std::vector<T>>> parts = bag.to_delayed();
  std::vector<dagflow::detail::Node*> roots;
  roots.reserve(parts.size());
  for (const auto& part : parts) roots.push_back(dagflow::detail::DelayedAccess::node(part));
  dagflow::detail::Results results = dagflow::detail::compute_nodes(roots, options, root);
  if (rank() != root) return std::nullopt;
  std::vector<T> out;
  for (std::size_t i = 0; i < roots.size(); ++i) {
    std::vector<T> part = dagflow::detail::take_result<std::vector<T>>(results, i);
    out.insert(out.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
  }
  return out;
}

}  // namespace dagflow::mpi
