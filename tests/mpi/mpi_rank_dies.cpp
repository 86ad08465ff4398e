// Rank 1 kills itself while its tasks run; the job must end (non-zero) instead of waiting for it.
#include <csignal>
#include <cstdio>

#include <dagflow/mpi.hpp>

int main(int argc, char** argv) {
  dagflow::mpi::Session session(argc, argv);
  auto square = dagflow::delayed(
      [](int x) {
        if (dagflow::mpi::rank() == 1) std::raise(SIGKILL);
        return x * x;
      },
      "square");
  auto add = dagflow::delayed([](int a, int b) { return a + b; }, "add");
  auto total = add(square(1), square(2));  // one square on each rank
  const int result = total.compute({.scheduler = dagflow::Scheduler::mpi, .workers = 1});
  std::printf("%d\n", result);
  return 0;
}
