// dagflow::mpi::Session: MPI's start and end, dagflow's communicator, and the MPI executor's registration.
#include <sched.h>

#include <atomic>
#include <string>
#include <thread>

#include "dagflow/errors.hpp"
#include "dagflow/mpi.hpp"
#include "executor.hpp"
#include "log.hpp"
#include "mpi/mpi_executor.hpp"
#include "mpi/world.hpp"

namespace dagflow::detail {

namespace {

struct World {
  std::atomic<bool> live{false};
  MPI_Comm comm = MPI_COMM_NULL;
  int rank = 0;
  int size = 1;
};

World& world() noexcept {
  static World instance;
  return instance;
}

int cores_allowed() noexcept {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return 0;
  return CPU_COUNT(&set);
}

// Open MPI binds each rank to one core when there are at most two ranks, and to a socket otherwise: a
// rank of a dagflow program then runs all its workers on one core, which looks like a slow scheduler.
void warn_if_bound() {
  const int allowed = cores_allowed();
  const auto machine = static_cast<int>(std::thread::hardware_concurrency());
  if (allowed > 0 && allowed < machine)
    logger().warn(
        "dagflow::mpi: rank {} may run on {} of this machine's {} cores (the MPI launcher bound it), so its "
        "workers share them; give each rank its cores with `mpirun --bind-to none` (or `--map-by "
        "slot:PE=<cores>`) or `srun --cpus-per-task=<cores>`",
        world().rank, allowed, machine);
}

}  // namespace

MPI_Comm mpi_comm() noexcept { return world().comm; }
int mpi_rank() noexcept { return world().rank; }
int mpi_size() noexcept { return world().size; }

}  // namespace dagflow::detail

namespace dagflow::mpi {

namespace {

void require_session(const char* function) {
  if (!detail::world().live.load(std::memory_order_acquire))
    throw UsageError(std::string("dagflow::mpi::") + function +
                     "(): no dagflow::mpi::Session is alive; create one at the start of main()");
}

// Initializes MPI unless the program did, and readies dagflow's communicator. Returns whether the Session
// must finalize MPI.
bool start(int* argc, char*** argv) {
  auto& world = detail::world();
  bool finalize = false;
  if (world.live.load(std::memory_order_acquire))
    throw UsageError("dagflow::mpi::Session: a Session already exists in this process (one at a time)");
  int initialized = 0;
  int finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  if (finalized != 0) throw UsageError("dagflow::mpi::Session: MPI was already finalized in this process");
  int provided = MPI_THREAD_SINGLE;
  if (initialized == 0) {
    MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &provided);
    finalize = true;
  } else {
    MPI_Query_thread(&provided);
  }
  if (provided < MPI_THREAD_SERIALIZED) {
    if (finalize) MPI_Finalize();
    throw UsageError(
        "dagflow::mpi::Session: MPI provides less than MPI_THREAD_SERIALIZED, which dagflow needs (its worker "
        "threads run tasks while one thread at a time talks to MPI); initialize MPI with MPI_Init_thread");
  }
  MPI_Comm_dup(MPI_COMM_WORLD, &world.comm);
  MPI_Comm_rank(world.comm, &world.rank);
  MPI_Comm_size(world.comm, &world.size);
  world.live.store(true, std::memory_order_release);
  detail::set_mpi_executor_factory(&detail::make_mpi_executor);
  detail::logger().debug("dagflow::mpi: rank {} of {} ready", world.rank, world.size);
  detail::warn_if_bound();
  return finalize;
}

}  // namespace

Session::Session(int& argc, char**& argv) : finalize_(start(&argc, &argv)) {}

Session::Session() : finalize_(start(nullptr, nullptr)) {}

Session::~Session() {
  auto& world = detail::world();
  detail::set_mpi_executor_factory(nullptr);
  world.live.store(false, std::memory_order_release);
  MPI_Comm_free(&world.comm);
  world.rank = 0;
  world.size = 1;
  if (finalize_) MPI_Finalize();
}

int rank() {
  require_session("rank");
  return detail::world().rank;
}

int size() {
  require_session("size");
  return detail::world().size;
}

bool active() noexcept { return detail::world().live.load(std::memory_order_acquire); }

}  // namespace dagflow::mpi
