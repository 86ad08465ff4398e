// The cost of a string-keyed TaskGraph against the same graph built with `delayed`.
//
// Two shapes of 10^6 tasks with trivial bodies, so that what is measured is the machinery:
//   chain  task "inc-i" adds one to "inc-(i-1)"; "inc-0" is a constant (10^6 tasks)
//   wide   10^6 independent leaves "leaf-i", all requested at once and summed by the caller. A TaskGraph
//          task has a fixed number of parameters, so a join of 10^6 keys cannot be one task: the join
//          is the get of all the keys (Dask's `get(graph, keys)`). The delayed side does the same,
//          `dagflow::compute(leaves)`, so both pay for a million outputs (a `sum(std::vector<Delayed>)`
//          join is cheaper for delayed: see bench_overhead's wide shape)
//
// TaskGraph is timed in three phases: ADD (the add() calls, building each task's dependency list),
// LOWER (`to_delayed` / the lowering inside `get`: culling, the Boost.Graph checks, building nodes) and
// RUN (computing the lowered graph); GET is LOWER + RUN, what `dagflow::get` costs. The key strings are
// made before the clock starts (they are the input, e.g. read from a workflow file). delayed is timed as
// BUILD (the `delayed(f)(args)` calls) and COMPUTE. Destroying either graph is not timed.
//
// Every iteration checks its result; a wrong answer aborts the benchmark with an error. After the run a
// Markdown table gives the fastest ns/task of each phase over every iteration (other processes only
// ever slow a run down, so on a shared machine the minimum is the steadiest figure) and the ratios
// TaskGraph / delayed. One shape: --benchmark_filter=chain; more samples: --benchmark_repetitions=3.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dagflow/dagflow.hpp"

namespace {

using Value = std::uint64_t;
using Clock = std::chrono::steady_clock;

constexpr std::size_t task_count = 1'000'000;

enum ShapeId : int { chain, wide };
const char* shape_name(int id) { return id == chain ? "chain" : "wide"; }
std::size_t shape_tasks(int id) { return id == chain ? task_count : task_count + 1; }
Value expected(int id) {
  return id == chain ? static_cast<Value>(task_count - 1) : static_cast<Value>(task_count) * (task_count + 1) / 2;
}

double nanoseconds_since(Clock::time_point start) {
  return std::chrono::duration<double, std::nano>(Clock::now() - start).count();
}

// glibc merges the chunks a destroyed graph freed on the next large request; making it right away keeps
// that cost in the untimed destruction instead of the next timed phase.
void settle_allocator() {
  auto block = std::make_unique<char[]>(std::size_t{1} << 16);
  benchmark::DoNotOptimize(block.get());
}

const std::vector<std::string>& keys(const char* prefix) {
  static std::map<std::string, std::vector<std::string>> made;
  auto& out = made[prefix];
  if (out.empty()) {
    out.reserve(task_count);
    for (std::size_t i = 0; i < task_count; ++i) out.push_back(prefix + std::to_string(i));
  }
  return out;
}

// ns/task of every timed iteration, per shape, for the summary table.
struct Samples {
  std::vector<double> add, lower, run, build, compute;
};
std::map<int, Samples>& samples() {
  static std::map<int, Samples> table;
  return table;
}
double fastest(const std::vector<double>& values) {
  return values.empty() ? 0 : *std::min_element(values.begin(), values.end());
}

// --- TaskGraph ---------------------------------------------------------------------------------------

void add_tasks(dagflow::TaskGraph& graph, int id) {
  if (id == chain) {
    const auto& k = keys("inc-");
    graph.add_value(k[0], Value{0});
    for (std::size_t i = 1; i < task_count; ++i) graph.add(k[i], [](Value x) { return x + 1; }, {k[i - 1]});
  } else {
    const auto& k = keys("leaf-");
    for (std::size_t i = 0; i < task_count; ++i) graph.add(k[i], [i] { return static_cast<Value>(i) + 1; });
  }
}

Value get_result(const dagflow::TaskGraph& graph, int id, double& lower_ns, double& run_ns) {
  if (id == chain) {
    auto start = Clock::now();
    auto value = dagflow::to_delayed<Value>(graph, keys("inc-")[task_count - 1]);
    lower_ns = nanoseconds_since(start);
    start = Clock::now();
    const Value result = value.compute();
    run_ns = nanoseconds_since(start);
    return result;
  }
  // get(graph, keys) lowers and runs in one call (to_delayed takes one key): LOWER is reported as 0 and
  // RUN as all of GET.
  const auto start = Clock::now();
  const std::vector<Value> values = dagflow::get<Value>(graph, keys("leaf-"));
  const Value result = std::accumulate(values.begin(), values.end(), Value{0});
  lower_ns = 0;
  run_ns = nanoseconds_since(start);
  return result;
}

void BM_task_graph(benchmark::State& state, int id) {
  double add_ns = 0, get_ns = 0, destroy_ns = 0;
  const auto tasks = static_cast<double>(shape_tasks(id));
  keys(id == chain ? "inc-" : "leaf-");  // made before the clock starts
  for (auto _ : state) {
    auto start = Clock::now();
    auto graph = std::make_optional<dagflow::TaskGraph>();
    add_tasks(*graph, id);
    const double add = nanoseconds_since(start);
    double lower = 0, run = 0;
    const Value result = get_result(*graph, id, lower, run);
    start = Clock::now();
    graph.reset();
    settle_allocator();
    destroy_ns += nanoseconds_since(start);
    if (result != expected(id)) {
      state.SkipWithError((std::string(shape_name(id)) + ": TaskGraph computed a wrong result").c_str());
      return;
    }
    add_ns += add;
    get_ns += lower + run;
    samples()[id].add.push_back(add / tasks);
    samples()[id].lower.push_back(lower / tasks);
    samples()[id].run.push_back(run / tasks);
    state.SetIterationTime((add + lower + run) * 1e-9);
  }
  using benchmark::Counter;
  state.counters["add_ns/task"] = Counter(add_ns / tasks, Counter::kAvgIterations);
  state.counters["get_ns/task"] = Counter(get_ns / tasks, Counter::kAvgIterations);
  state.counters["destroy_ns/task"] = Counter(destroy_ns / tasks, Counter::kAvgIterations);
}

// --- delayed ------------------------------------------------------------------------------------------

const auto leaf = dagflow::delayed([](std::size_t i) { return static_cast<Value>(i) + 1; }, "leaf");
const auto inc = dagflow::delayed([](Value x) { return x + 1; }, "inc");

std::vector<dagflow::Delayed<Value>> build_delayed(int id) {
  std::vector<dagflow::Delayed<Value>> out;
  if (id == chain) {
    auto x = dagflow::value(Value{0});
    for (std::size_t i = 1; i < task_count; ++i) x = inc(x);
    out.push_back(std::move(x));
    return out;
  }
  out.reserve(task_count);
  for (std::size_t i = 0; i < task_count; ++i) out.push_back(leaf(i));
  return out;
}

Value compute_delayed(const std::vector<dagflow::Delayed<Value>>& values) {
  if (values.size() == 1) return values.front().compute();
  const std::vector<Value> results = dagflow::compute(values);
  return std::accumulate(results.begin(), results.end(), Value{0});
}

void BM_delayed(benchmark::State& state, int id) {
  double build_ns = 0, compute_ns = 0, destroy_ns = 0;
  const auto tasks = static_cast<double>(shape_tasks(id));
  for (auto _ : state) {
    auto start = Clock::now();
    auto graph = std::make_optional(build_delayed(id));
    const double build = nanoseconds_since(start);
    start = Clock::now();
    const Value result = compute_delayed(*graph);
    const double compute = nanoseconds_since(start);
    start = Clock::now();
    graph.reset();
    settle_allocator();
    destroy_ns += nanoseconds_since(start);
    if (result != expected(id)) {
      state.SkipWithError((std::string(shape_name(id)) + ": delayed computed a wrong result").c_str());
      return;
    }
    build_ns += build;
    compute_ns += compute;
    samples()[id].build.push_back(build / tasks);
    samples()[id].compute.push_back(compute / tasks);
    state.SetIterationTime((build + compute) * 1e-9);
  }
  using benchmark::Counter;
  state.counters["build_ns/task"] = Counter(build_ns / tasks, Counter::kAvgIterations);
  state.counters["compute_ns/task"] = Counter(compute_ns / tasks, Counter::kAvgIterations);
  state.counters["destroy_ns/task"] = Counter(destroy_ns / tasks, Counter::kAvgIterations);
}

// Shape by shape, TaskGraph then delayed, so that both meet the allocator in a similar state.
void register_benchmarks() {
  for (int id : {chain, wide}) {
    for (auto [system, function] : {std::pair{"task_graph", &BM_task_graph}, std::pair{"delayed", &BM_delayed}}) {
      benchmark::RegisterBenchmark((std::string(system) + "/" + shape_name(id)).c_str(), function, id)
          ->UseManualTime()
          ->Unit(benchmark::kMillisecond)
          ->MinTime(1.0);
    }
  }
}

void print_summary() {
  if (samples().empty()) return;
  std::printf(
      "\nFastest ns/task of each phase over every timed iteration; totals are sums of phases. TaskGraph: add,\n"
      "lower (to_delayed; 0 for wide, whose lowering is inside get), run, get = lower + run. delayed: build,\n"
      "compute. ratio = TaskGraph / delayed.\n\n");
  std::printf(
      "| shape | TG add | TG lower | TG run | TG get | TG total | delayed build | delayed compute | "
      "delayed total | add/build | get/compute | total ratio |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (const auto& [id, row] : samples()) {
    const double add = fastest(row.add), lower = fastest(row.lower), run = fastest(row.run);
    const double get = lower + run, build = fastest(row.build), compute = fastest(row.compute);
    auto ratio = [](double a, double b) { return b > 0 ? a / b : 0.0; };
    std::printf("| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.2f | %.2f | %.2f |\n", shape_name(id),
                add, lower, run, get, add + get, build, compute, build + compute, ratio(add, build),
                ratio(get, compute), ratio(add + get, build + compute));
  }
}

}  // namespace

int main(int argc, char** argv) {
  register_benchmarks();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  print_summary();
  return 0;
}
