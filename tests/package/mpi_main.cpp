// The installed MPI scheduler, linked through dagflow::mpi: the same sum on every rank of the job.
#include <dagflow/mpi.hpp>

#include <cstdio>
#include <vector>

int main(int argc, char** argv) {
  dagflow::mpi::Session session(argc, argv);
  auto square = dagflow::delayed([](int x) { return x * x; }, "square");
  auto sum = dagflow::delayed(
      [](const std::vector<int>& values) {
        int total = 0;
        for (int v : values) total += v;
        return total;
      },
      "sum");
  std::vector<dagflow::Delayed<int>> squares;
  for (int i = 1; i <= 10; ++i) squares.push_back(square(i));
  const int total = sum(squares).compute({.scheduler = dagflow::Scheduler::mpi});
  std::printf("rank %d of %d: sum of squares 1..10 = %d\n", dagflow::mpi::rank(), dagflow::mpi::size(), total);
  return total == 385 ? 0 : 1;
}
