// Estimating π with delayed tasks: the course's chapters "Computing π" and "Delayed evaluation".
//
//   pi_p = mean(*(delayed(calc_pi)(N) for i in range(10)))
//   pi_p.compute()
//
// Each calc_pi call is an independent task; `mean` waits for all of them:
//
//        calc_pi  calc_pi  ...  calc_pi      (--tasks of them, --samples points each)
//             \      |            /
//              +-----+-----------+
//                    |
//                   mean                     -> π ≈ 3.1416
//
// With --bag it is the course's bag version instead, `from_sequence(repeat(N, 24)).map(calc_pi).mean()`:
// one calc_pi task per partition, then a tree of partial means.
//
//   pi                          # 10 tasks x 10^7 samples on all cores
//   pi --serial                 # the same estimates from a plain loop, for comparison
//   pi --bag --tasks 24         # the bag version
//   pi --graph pi.svg           # draw the task graph (.dot, .svg, .png or .pdf)
//   mpirun -n 4 pi --mpi        # the same graph computed by the 4 processes of an MPI job
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <numbers>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <dagflow/bag.hpp>
#include <dagflow/dagflow.hpp>
#if DAGFLOW_WITH_MPI  // (from <dagflow/config.hpp>) only builds with MPI have dagflow::mpi to link
#include <dagflow/mpi.hpp>
#endif

#include "calc_pi.hpp"

namespace {

using pi_example::calc_pi;
using pi_example::mean;

struct Options {
  std::uint64_t samples = 10'000'000;  // per task: the course's bag chapter and its Dask benchmark
  std::uint64_t tasks = 10;            // as `for i in range(10)`; the bag version uses 24
  int workers = 0;                     // 0: all cores
  std::uint64_t seed = 2023;
  std::string graph;
  bool serial = false;
  bool bag = false;
  bool mpi = false;
};

// Whether this process prints and writes files. With --mpi every rank runs the whole program and
// computes the same result, so rank 0 alone reports it; a plain run is a single process.
bool reports() {
#if DAGFLOW_WITH_MPI
  return !dagflow::mpi::active() || dagflow::mpi::rank() == 0;
#else
  return true;
#endif
}

// The delayed version: one task per estimate and one task for their mean.
dagflow::Delayed<double> delayed_pi(const Options& o) {
  const auto calc_pi_p = dagflow::delayed(calc_pi, "calc_pi");
  const auto mean_p = dagflow::delayed(mean, "mean");
  std::vector<dagflow::Delayed<double>> estimates;
  for (std::uint64_t task = 0; task < o.tasks; ++task) estimates.push_back(calc_pi_p(o.samples, o.seed, task));
  return mean_p(estimates);  // a vector of promises reaches `mean` as a vector of values
}

// The bag version: a bag of task numbers (the course's bag holds N repeated; the task number picks
// each element's random streams), mapped by calc_pi and averaged.
dagflow::Delayed<double> bag_pi(const Options& o) {
  std::vector<std::uint64_t> task_numbers(o.tasks);
  for (std::uint64_t task = 0; task < o.tasks; ++task) task_numbers[task] = task;
  const std::uint64_t samples = o.samples, seed = o.seed;
  return dagflow::bag::from_sequence(std::move(task_numbers))
      .map([samples, seed](std::uint64_t task) { return calc_pi(samples, seed, task); })
      .mean();
}

// The plain loop the tasks replace.
double serial_pi(const Options& o) {
  std::vector<double> estimates;
  for (std::uint64_t task = 0; task < o.tasks; ++task) estimates.push_back(calc_pi(o.samples, o.seed, task));
  return mean(estimates);
}

int run(const Options& o) {
  const auto start = std::chrono::steady_clock::now();
  double pi = 0;
  const char* how = "serial loop";
  if (o.serial) {
    pi = serial_pi(o);
  } else {
    const dagflow::Delayed<double> pi_p = o.bag ? bag_pi(o) : delayed_pi(o);
    // With --mpi the ranks share the calc_pi tasks, and every rank gets the mean.
    pi = pi_p.compute(
        {.scheduler = o.mpi ? dagflow::Scheduler::mpi : dagflow::Scheduler::threads, .workers = o.workers});
    how = o.bag ? "dagflow bag" : "dagflow delayed";
  }
  const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - start;
  if (!reports()) return 0;

  // Drawn after computing (and not timed): with --mpi only rank 0 draws, and should that fail, the other
  // ranks must not be left waiting for it in compute().
  if (!o.graph.empty() && !o.serial) (o.bag ? bag_pi(o) : delayed_pi(o)).visualize(o.graph);

  std::printf("pi ~ %.8f  error %.2e  (%llu tasks x %llu samples, %s, %.1f ms)\n", pi,
              std::abs(pi - std::numbers::pi), static_cast<unsigned long long>(o.tasks),
              static_cast<unsigned long long>(o.samples), how, elapsed.count());
  if (!o.graph.empty() && !o.serial) std::printf("task graph written to %s\n", o.graph.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"Estimate pi by Monte-Carlo sampling in dagflow tasks (the course's calc_pi)."};
  // Limits a person can read in --help and in the message, and that refuse what would run for days
  // (10^12 samples take about three hours per core) or not fit in memory, before anything starts.
  app.add_option("-n,--samples", o.samples, "Random points per task, 1 to 10^12")
      ->capture_default_str()
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1'000'000'000'000}));
  auto* tasks =
      app.add_option("-t,--tasks", o.tasks, "Number of calc_pi tasks, 1 to 10^6 (default 10; 24 with --bag, as the course)")
          ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1'000'000}));
  app.add_option("-w,--workers", o.workers, "Worker threads; 0 uses all cores")->capture_default_str()->check(CLI::NonNegativeNumber);
  app.add_option("-s,--seed", o.seed, "Seed; task i draws from PCG streams picked by (seed, i)")->capture_default_str();
  app.add_option("-g,--graph", o.graph, "Draw the task graph to FILE (.dot; .svg/.png/.pdf need Graphviz's dot)");
  auto* serial = app.add_flag("--serial", o.serial, "Run the plain loop instead of the task graph");
  app.add_flag("--bag", o.bag, "Use the course's bag version: from_sequence(...).map(calc_pi).mean()")->excludes(serial);
  app.add_flag("--mpi", o.mpi,
               "Run on every rank of an MPI job (start with mpirun/srun); results printed and files written by rank 0")
      ->excludes(serial);
  CLI11_PARSE(app, argc, argv);
  if (o.bag && tasks->count() == 0) o.tasks = 24;  // the course's from_sequence(repeat(N, 24))

#if DAGFLOW_WITH_MPI
  // MPI runs while `session` lives: outside the try block, so that the handler can still ask for the rank.
  std::optional<dagflow::mpi::Session> session;
#else
  if (o.mpi) {
    std::fprintf(stderr, "pi: this build of dagflow has no MPI (configure with -DDAGFLOW_WITH_MPI=ON)\n");
    return 2;
  }
#endif
  try {
#if DAGFLOW_WITH_MPI
    if (o.mpi) session.emplace(argc, argv);
#endif
    return run(o);
  } catch (const std::exception& e) {
    // With --mpi every rank fails with the same error: rank 0 says it, and every rank exits with 1.
    if (reports()) std::fprintf(stderr, "pi: %s\n", e.what());
    return 1;
  }
}
