// Per-task cost of Scheduler::mpi, run under mpiexec (not Google Benchmark: its adaptive iteration
// counts would differ between ranks, and every compute is a collective that all ranks must call).
//
//   mpiexec -n 1 build/bench/mpi/bench_mpi            -n 1: against Scheduler::threads in the same process
//   mpiexec -n 2 --bind-to none build/bench/mpi/bench_mpi --workers 1
//
// Shapes, with trivial task bodies so that the machinery is what is measured:
//   wide      N independent tasks computed as a list (every value ends up on every rank)
//   tree      a binary reduction tree over 2^17 leaves
//   layered   40 layers of 1000 tasks, each reading 4 random tasks of the layer below, and a sum
//   crossing  a chain of 2000 steps, each reading the previous step and a source dealt cyclically, so
//             that every step runs on the next rank: microseconds per remote edge
// Each graph is built once and computed `--repeat` times; the table gives the median, in ns per task
// (µs per step for crossing), printed by rank 0.
#include <mpi.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "dagflow/dagflow.hpp"
#include "dagflow/mpi.hpp"

namespace {

using Value = std::uint64_t;
using dagflow::Delayed;

const auto leaf = dagflow::delayed([](Value i) -> Value { return i * 2654435761ULL % 1000003ULL; }, "leaf");
const auto add = dagflow::delayed([](Value a, Value b) { return a + b; }, "add");
const auto add4 = dagflow::delayed([](Value a, Value b, Value c, Value d) { return a + b + c + d; }, "add4");
const auto sum = dagflow::delayed(
    [](const std::vector<Value>& values) { return std::accumulate(values.begin(), values.end(), Value{0}); }, "sum");
const auto step = dagflow::delayed([](Value source, Value previous) { return previous * 3 + source; }, "step");

struct Shape {
  std::string name;
  std::size_t tasks;
  std::vector<Delayed<Value>> outputs;
  dagflow::Placement placement = dagflow::Placement::block;
};

Shape wide(std::size_t n) {
  Shape shape{"wide", n, {}};
  for (std::size_t i = 0; i < n; ++i) shape.outputs.push_back(leaf(i));
  return shape;
}

Shape tree(std::size_t leaves) {
  std::vector<Delayed<Value>> level;
  for (std::size_t i = 0; i < leaves; ++i) level.push_back(leaf(i));
  while (level.size() > 1) {
    for (std::size_t i = 0; i < level.size() / 2; ++i) level[i] = add(level[2 * i], level[2 * i + 1]);
    level.resize(level.size() / 2);
  }
  return {"tree", 2 * leaves - 1, {level.front()}};
}

Shape layered(std::size_t layers, std::size_t width) {
  std::mt19937 random(42);  // the same graph on every rank
  std::vector<Delayed<Value>> below;
  for (std::size_t i = 0; i < width; ++i) below.push_back(leaf(i));
  for (std::size_t layer = 1; layer < layers; ++layer) {
    std::vector<Delayed<Value>> above;
    for (std::size_t i = 0; i < width; ++i) {
      std::vector<std::size_t> picks(width);
      std::iota(picks.begin(), picks.end(), 0);
      std::shuffle(picks.begin(), picks.end(), random);
      above.push_back(add4(below[picks[0]], below[picks[1]], below[picks[2]], below[picks[3]]));
    }
    below = std::move(above);
  }
  return {"layered", layers * width + 1, {sum(below)}};
}

Shape crossing(std::size_t steps) {
  Delayed<Value> chain = dagflow::value(Value{1});
  for (std::size_t i = 0; i < steps; ++i) chain = step(leaf(i), chain);
  return {"crossing", steps, {chain}, dagflow::Placement::cyclic};
}

// Median seconds of `repeat` computes; every rank starts each one together.
double time_computes(const Shape& shape, dagflow::ComputeOptions options, int repeat, Value& checksum) {
  options.placement = shape.placement;
  dagflow::compute(shape.outputs, options);  // untimed: arenas, threads and allocator warmed up
  std::vector<double> seconds;
  for (int r = 0; r < repeat; ++r) {
    MPI_Barrier(MPI_COMM_WORLD);
    const auto start = std::chrono::steady_clock::now();
    const std::vector<Value> values = dagflow::compute(shape.outputs, options);
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    checksum = std::accumulate(values.begin(), values.end(), Value{0});
  }
  std::sort(seconds.begin(), seconds.end());
  double slowest = seconds[seconds.size() / 2];
  MPI_Allreduce(MPI_IN_PLACE, &slowest, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);  // the job's time
  return slowest;
}

}  // namespace

int main(int argc, char** argv) {
  dagflow::mpi::Session session(argc, argv);
  CLI::App app{"Per-task cost of dagflow's MPI scheduler (run it under mpiexec)"};
  int workers = 0;
  int repeat = 5;
  std::size_t wide_tasks = 200000;
  app.add_option("--workers", workers, "worker threads per rank (0: every core)")->check(CLI::Range(0, 4096));
  app.add_option("--repeat", repeat, "computes per shape (the median is reported)")->check(CLI::Range(1, 1000));
  app.add_option("--wide", wide_tasks, "tasks of the wide shape")->check(CLI::Range(1, 10000000));
  CLI11_PARSE(app, argc, argv);

  const int ranks = dagflow::mpi::size();
  const bool root = dagflow::mpi::rank() == 0;
  if (root) {
    std::printf("ranks %d, workers per rank %d\n\n", ranks, workers);
    std::printf("| shape | tasks | mpi ns/task | threads ns/task (one process) | mpi / threads |\n|---|---|---|---|---|\n");
  }
  for (const Shape& shape : {wide(wide_tasks), tree(std::size_t{1} << 17), layered(40, 1000), crossing(2000)}) {
    Value mpi_sum = 0;
    Value threads_sum = 0;
    const double mpi = time_computes(shape, {.scheduler = dagflow::Scheduler::mpi, .workers = workers}, repeat, mpi_sum);
    // The same graph on one process, for scale (each rank runs it; the slowest counts).
    const double threads =
        time_computes(shape, {.scheduler = dagflow::Scheduler::threads, .workers = workers}, repeat, threads_sum);
    if (mpi_sum != threads_sum) {
      if (root) std::fprintf(stderr, "%s: MPI gave %llu, threads %llu\n", shape.name.c_str(),
                             static_cast<unsigned long long>(mpi_sum), static_cast<unsigned long long>(threads_sum));
      return 1;
    }
    if (root) {
      const double per = 1e9 / static_cast<double>(shape.tasks);
      if (shape.name == "crossing") {
        std::printf("| crossing (µs per remote step) | %zu | %.2f µs | %.2f µs | %.1f |\n", shape.tasks, mpi * per / 1e3,
                    threads * per / 1e3, mpi / threads);
      } else {
        std::printf("| %s | %zu | %.0f | %.0f | %.2f |\n", shape.name.c_str(), shape.tasks, mpi * per, threads * per,
                    mpi / threads);
      }
    }
  }
  return 0;
}
