// Per-task overhead of dagflow against a hand-written oneTBB flow graph of the same shape.
//
// Four shapes, each with trivial task bodies (integer additions) so that what is measured is the cost
// of the machinery, not of the work:
//   wide     N = 10^6 independent tasks and one join that sums them
//   chain    N = 10^6 tasks, each adding one to its predecessor's result
//   tree     a binary reduction tree over 2^20 leaves (2^21 - 1 tasks)
//   layered  100 layers of 1000 tasks, each reading 4 distinct random tasks of the layer below (fixed
//            seed), and one join that sums the last layer
//
// dagflow is timed in two phases: BUILD (the `delayed(f)(args)` calls that record the graph) and
// COMPUTE (`compute()`, which culls, numbers, builds its own flow graph and runs it). The raw flow graph
// is a natural hand-written one: one default-policy `continue_node` per task writing into a vector of
// results, timed as BUILD (nodes and edges) and RUN (`try_put` to the sources, `wait_for_all`).
// Destroying the graphs is not timed; both report it as an extra counter, destroy_ns/task.
//
// Both use every core (dagflow's default ComputeOptions, the raw graph's default arena).
//
// Two more measurements: dagflow/chain_scaling (the chain from 10^4 to 10^7 tasks, threads and sync
// schedulers: per-task cost against graph size, and the bytes a built graph holds per task) and
// dagflow/small_graph (a four-task graph computed 20000 times with workers = 0, 1 and 2: the latency of
// one small compute, and whether it stays flat).
//
// Every iteration checks its result; a wrong answer aborts the benchmark with an error instead of
// reporting a time. Counters are nanoseconds per task, averaged over the iterations; after the run a
// Markdown table gives the medians and compares dagflow's compute() with the raw flow graph's
// build + run (the target ratio is at most 1.5). One shape: --benchmark_filter=chain; one system:
// --benchmark_filter=dagflow; steadier numbers: --benchmark_repetitions=3.
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <oneapi/tbb/flow_graph.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "dagflow/dagflow.hpp"

namespace {

using Value = std::uint64_t;  // unsigned so that the layered sums may wrap without undefined behaviour
using Clock = std::chrono::steady_clock;

// --- Shapes -------------------------------------------------------------------------------------------

constexpr std::size_t wide_tasks = 1'000'000;
constexpr std::size_t chain_tasks = 1'000'000;
constexpr std::size_t tree_leaves = std::size_t{1} << 20;
constexpr std::size_t layer_count = 100;
constexpr std::size_t layer_width = 1000;
constexpr std::size_t layer_fan_in = 4;
constexpr std::uint32_t layer_seed = 20240601;

using LayerDeps = std::vector<std::array<std::uint32_t, layer_fan_in>>;  // per task of layers 1..99

// Each task of layer k > 0 reads 4 distinct tasks of layer k - 1. The first is drawn from a random
// permutation, so that every task is read by someone and culling removes nothing (the raw flow graph
// runs every node, so both sides then run the same tasks).
const std::vector<LayerDeps>& layered_deps() {
  static const std::vector<LayerDeps> deps = [] {
    std::mt19937 engine(layer_seed);  // mt19937's output is fixed by the standard; no distributions used
    std::vector<LayerDeps> layers(layer_count);
    std::vector<std::uint32_t> permutation(layer_width);
    for (std::size_t layer = 1; layer < layer_count; ++layer) {
      std::iota(permutation.begin(), permutation.end(), 0U);
      for (std::size_t i = layer_width - 1; i > 0; --i) std::swap(permutation[i], permutation[engine() % (i + 1)]);
      layers[layer].resize(layer_width);
      for (std::size_t task = 0; task < layer_width; ++task) {
        auto& picks = layers[layer][task];
        picks[0] = permutation[task];
        for (std::size_t k = 1; k < layer_fan_in; ++k) {
          bool fresh = false;
          while (!fresh) {
            picks[k] = static_cast<std::uint32_t>(engine() % layer_width);
            fresh = std::find(picks.begin(), picks.begin() + static_cast<std::ptrdiff_t>(k), picks[k]) ==
                    picks.begin() + static_cast<std::ptrdiff_t>(k);
          }
        }
      }
    }
    return layers;
  }();
  return deps;
}

Value leaf_value(std::size_t i) { return static_cast<Value>(i) + 1; }

// Expected results, computed serially.
Value expected_sum_of_leaves(std::size_t n) { return static_cast<Value>(n) * (n + 1) / 2; }
Value expected_layered() {
  static const Value expected = [] {
    std::vector<Value> below(layer_width), above(layer_width);
    for (std::size_t i = 0; i < layer_width; ++i) below[i] = leaf_value(i);
    for (std::size_t layer = 1; layer < layer_count; ++layer) {
      for (std::size_t task = 0; task < layer_width; ++task) {
        const auto& picks = layered_deps()[layer][task];
        above[task] = below[picks[0]] + below[picks[1]] + below[picks[2]] + below[picks[3]];
      }
      std::swap(below, above);
    }
    return std::accumulate(below.begin(), below.end(), Value{0});
  }();
  return expected;
}

struct Shape {
  const char* name;
  std::size_t tasks;
  Value expected;
};

enum ShapeId : int { wide, chain, tree, layered };

Shape shape(int id) {
  switch (id) {
    case wide:
      return {"wide", wide_tasks + 1, expected_sum_of_leaves(wide_tasks)};
    case chain:
      return {"chain", chain_tasks, static_cast<Value>(chain_tasks)};
    case tree:
      return {"tree", 2 * tree_leaves - 1, expected_sum_of_leaves(tree_leaves)};
    default:
      return {"layered", layer_count * layer_width + 1, expected_layered()};
  }
}

// --- dagflow ------------------------------------------------------------------------------------------

const auto leaf = dagflow::delayed([](std::size_t i) { return leaf_value(i); }, "leaf");
const auto inc = dagflow::delayed([](Value x) { return x + 1; }, "inc");
const auto add = dagflow::delayed([](Value a, Value b) { return a + b; }, "add");
const auto add4 = dagflow::delayed([](Value a, Value b, Value c, Value d) { return a + b + c + d; }, "add4");
const auto sum = dagflow::delayed(
    [](const std::vector<Value>& values) { return std::accumulate(values.begin(), values.end(), Value{0}); },
    "sum");

dagflow::Delayed<Value> build_dagflow(int id) {
  switch (id) {
    case wide: {
      std::vector<dagflow::Delayed<Value>> parts;
      parts.reserve(wide_tasks);
      for (std::size_t i = 0; i < wide_tasks; ++i) parts.push_back(leaf(i));
      return sum(parts);
    }
    case chain: {
      auto x = leaf(0);
      for (std::size_t i = 1; i < chain_tasks; ++i) x = inc(x);
      return x;
    }
    case tree: {
      std::vector<dagflow::Delayed<Value>> level;
      level.reserve(tree_leaves);
      for (std::size_t i = 0; i < tree_leaves; ++i) level.push_back(leaf(i));
      while (level.size() > 1) {
        for (std::size_t i = 0; i < level.size() / 2; ++i) level[i] = add(level[2 * i], level[2 * i + 1]);
        level.resize(level.size() / 2);
      }
      return level.front();
    }
    default: {
      std::vector<dagflow::Delayed<Value>> below, above;
      below.reserve(layer_width);
      for (std::size_t i = 0; i < layer_width; ++i) below.push_back(leaf(i));
      for (std::size_t layer = 1; layer < layer_count; ++layer) {
        above.clear();
        for (const auto& p : layered_deps()[layer]) above.push_back(add4(below[p[0]], below[p[1]], below[p[2]], below[p[3]]));
        std::swap(below, above);
      }
      return sum(below);
    }
  }
}

// After a graph is destroyed glibc holds its many small chunks in "fast bins" and merges them on the
// next large request, which would bill the destruction to whatever the next iteration times first.
// Making that request right after the destruction keeps the cost in the (untimed) destroy phase.
void settle_allocator() {
  auto block = std::make_unique<char[]>(std::size_t{1} << 16);
  benchmark::DoNotOptimize(block.get());
}

double nanoseconds_since(Clock::time_point start) {
  return std::chrono::duration<double, std::nano>(Clock::now() - start).count();
}

// Every timed iteration of every run of each benchmark, in ns/task, for the summary table printed at
// the end: its medians shrug off the odd iteration slowed by another process on a small machine.
struct Samples {
  std::vector<double> build, compute, raw_build, raw_run;
};
std::map<int, Samples>& samples() {
  static std::map<int, Samples> table;
  return table;
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  return *middle;
}

void BM_dagflow(benchmark::State& state, int id) {
  const Shape s = shape(id);
  double build_ns = 0, compute_ns = 0, destroy_ns = 0;
  for (auto _ : state) {
    auto start = Clock::now();
    auto graph = std::make_optional(build_dagflow(id));
    const double build = nanoseconds_since(start);
    start = Clock::now();
    const Value result = graph->compute();
    const double compute = nanoseconds_since(start);
    start = Clock::now();
    graph.reset();
    settle_allocator();
    destroy_ns += nanoseconds_since(start);
    if (result != s.expected) {
      state.SkipWithError((std::string(s.name) + ": dagflow computed a wrong result").c_str());
      return;
    }
    build_ns += build;
    compute_ns += compute;
    samples()[id].build.push_back(build / static_cast<double>(s.tasks));
    samples()[id].compute.push_back(compute / static_cast<double>(s.tasks));
    state.SetIterationTime((build + compute) * 1e-9);
  }
  const auto tasks = static_cast<double>(s.tasks);
  using benchmark::Counter;
  state.counters["build_ns/task"] = Counter(build_ns / tasks, Counter::kAvgIterations);
  state.counters["compute_ns/task"] = Counter(compute_ns / tasks, Counter::kAvgIterations);
  state.counters["destroy_ns/task"] = Counter(destroy_ns / tasks, Counter::kAvgIterations);
  state.counters["tasks"] = tasks;
}

// --- The hand-written flow graph -----------------------------------------------------------------------

using tbb::flow::continue_msg;
using FlowNode = tbb::flow::continue_node<continue_msg>;

// What a flow-graph user writes: nodes in a std::deque (stable addresses, no relocation), one result
// per task in a vector (the last task's is the answer), sources started by try_put.
struct RawGraph {
  tbb::flow::graph graph;
  std::deque<FlowNode> nodes;
  std::vector<Value> values;
  std::vector<FlowNode*> sources;

  explicit RawGraph(std::size_t tasks) : values(tasks) {}

  template <class Body>
  FlowNode& add(Body body) {
    return nodes.emplace_back(graph, body);
  }
  template <class Body>
  FlowNode& add_source(Body body) {
    sources.push_back(&add(body));
    return *sources.back();
  }
  Value run() {
    for (FlowNode* source : sources) source->try_put(continue_msg());
    graph.wait_for_all();
    return values.back();
  }
};

void build_raw(int id, RawGraph& g) {
  Value* v = g.values.data();
  switch (id) {
    case wide: {
      auto& join = g.add([v](continue_msg) { v[wide_tasks] = std::accumulate(v, v + wide_tasks, Value{0}); });
      for (std::size_t i = 0; i < wide_tasks; ++i)
        tbb::flow::make_edge(g.add_source([v, i](continue_msg) { v[i] = leaf_value(i); }), join);
      break;
    }
    case chain: {
      FlowNode* previous = &g.add_source([v](continue_msg) { v[0] = leaf_value(0); });
      for (std::size_t i = 1; i < chain_tasks; ++i) {
        auto& node = g.add([v, i](continue_msg) { v[i] = v[i - 1] + 1; });
        tbb::flow::make_edge(*previous, node);
        previous = &node;
      }
      break;
    }
    case tree: {
      // Leaves at 0..L-1, then each level after the one below it; the root is the last task.
      for (std::size_t i = 0; i < tree_leaves; ++i) g.add_source([v, i](continue_msg) { v[i] = leaf_value(i); });
      std::size_t level_begin = 0, next = tree_leaves;
      for (std::size_t level_size = tree_leaves; level_size > 1; level_size /= 2) {
        for (std::size_t k = 0; k < level_size / 2; ++k, ++next) {
          const std::size_t a = level_begin + 2 * k, b = a + 1;
          auto& node = g.add([v, a, b, next](continue_msg) { v[next] = v[a] + v[b]; });
          tbb::flow::make_edge(g.nodes[a], node);
          tbb::flow::make_edge(g.nodes[b], node);
        }
        level_begin += level_size;
      }
      break;
    }
    default: {
      for (std::size_t i = 0; i < layer_width; ++i) g.add_source([v, i](continue_msg) { v[i] = leaf_value(i); });
      for (std::size_t layer = 1; layer < layer_count; ++layer) {
        const std::size_t below = (layer - 1) * layer_width;
        for (std::size_t task = 0; task < layer_width; ++task) {
          const auto& p = layered_deps()[layer][task];
          const std::size_t self = layer * layer_width + task;
          auto& node = g.add([v, below, p, self](continue_msg) {
            v[self] = v[below + p[0]] + v[below + p[1]] + v[below + p[2]] + v[below + p[3]];
          });
          for (std::uint32_t dep : p) tbb::flow::make_edge(g.nodes[below + dep], node);
        }
      }
      const std::size_t last = (layer_count - 1) * layer_width, join_index = layer_count * layer_width;
      auto& join = g.add([v, last, join_index](continue_msg) {
        v[join_index] = std::accumulate(v + last, v + last + layer_width, Value{0});
      });
      for (std::size_t task = 0; task < layer_width; ++task) tbb::flow::make_edge(g.nodes[last + task], join);
      break;
    }
  }
}

void BM_flow_graph(benchmark::State& state, int id) {
  const Shape s = shape(id);
  double build_ns = 0, run_ns = 0, destroy_ns = 0;
  for (auto _ : state) {
    auto start = Clock::now();
    auto g = std::make_unique<RawGraph>(s.tasks);
    build_raw(id, *g);
    const double build = nanoseconds_since(start);
    start = Clock::now();
    const Value result = g->run();
    const double run = nanoseconds_since(start);
    start = Clock::now();
    g.reset();
    settle_allocator();
    destroy_ns += nanoseconds_since(start);
    if (result != s.expected) {
      state.SkipWithError((std::string(s.name) + ": the raw flow graph computed a wrong result").c_str());
      return;
    }
    build_ns += build;
    run_ns += run;
    samples()[id].raw_build.push_back(build / static_cast<double>(s.tasks));
    samples()[id].raw_run.push_back(run / static_cast<double>(s.tasks));
    state.SetIterationTime((build + run) * 1e-9);
  }
  const auto tasks = static_cast<double>(s.tasks);
  using benchmark::Counter;
  state.counters["build_ns/task"] = Counter(build_ns / tasks, Counter::kAvgIterations);
  state.counters["run_ns/task"] = Counter(run_ns / tasks, Counter::kAvgIterations);
  state.counters["destroy_ns/task"] = Counter(destroy_ns / tasks, Counter::kAvgIterations);
  state.counters["tasks"] = tasks;
}

// --- Latency of small graphs --------------------------------------------------------------------------

// A diamond of four tasks computed 20000 times in a row, with all cores (workers = 0) and with explicit
// worker counts, which need an arena of their own: what a program that computes many small graphs pays
// per compute, and whether that cost stays flat (counters: the mean of the first and of the last 1000).
void BM_small_graph(benchmark::State& state) {
  const dagflow::ComputeOptions options{.workers = static_cast<int>(state.range(0))};
  const auto a = leaf(1);
  const auto graph = add(inc(a), add(a, leaf(2)));
  std::vector<double> micros;
  micros.reserve(static_cast<std::size_t>(state.max_iterations));
  for (auto _ : state) {
    const auto start = Clock::now();
    const Value result = graph.compute(options);
    const double elapsed = nanoseconds_since(start) * 1e-3;
    if (result != (leaf_value(1) + 1) + (leaf_value(1) + leaf_value(2))) {
      state.SkipWithError("small graph: wrong result");
      return;
    }
    micros.push_back(elapsed);
    state.SetIterationTime(elapsed * 1e-6);
  }
  const std::size_t window = std::min<std::size_t>(1000, micros.size());
  const auto mean = [](auto first, auto last) { return std::accumulate(first, last, 0.0) / static_cast<double>(last - first); };
  state.counters["first_us"] = mean(micros.begin(), micros.begin() + static_cast<std::ptrdiff_t>(window));
  state.counters["last_us"] = mean(micros.end() - static_cast<std::ptrdiff_t>(window), micros.end());
}

// --- Chains of growing length ---------------------------------------------------------------------------

// The chain from 10^4 to 10^7 tasks on each scheduler: does the cost per task stay flat as the graph
// outgrows the caches? graph_bytes/task is the heap the built graph holds (glibc's count of bytes in
// use, before and after building); the run adds its own arrays on top while it computes.
void BM_chain_scaling(benchmark::State& state, dagflow::Scheduler scheduler) {
  const auto tasks = static_cast<std::size_t>(state.range(0));
  double build_ns = 0, compute_ns = 0, graph_bytes = 0;
  for (auto _ : state) {
    const std::size_t heap_before = mallinfo2().uordblks;
    auto start = Clock::now();
    std::optional<dagflow::Delayed<Value>> x = leaf(0);
    for (std::size_t i = 1; i < tasks; ++i) x = inc(*x);
    const double build = nanoseconds_since(start);
    graph_bytes += static_cast<double>(mallinfo2().uordblks - heap_before);
    start = Clock::now();
    const Value result = x->compute({.scheduler = scheduler});
    const double compute = nanoseconds_since(start);
    x.reset();
    if (result != static_cast<Value>(tasks)) {
      state.SkipWithError("chain: wrong result");
      return;
    }
    build_ns += build;
    compute_ns += compute;
    state.SetIterationTime(compute * 1e-9);
  }
  const auto n = static_cast<double>(tasks);
  using benchmark::Counter;
  state.counters["build_ns/task"] = Counter(build_ns / n, Counter::kAvgIterations);
  state.counters["compute_ns/task"] = Counter(compute_ns / n, Counter::kAvgIterations);
  state.counters["graph_bytes/task"] = Counter(graph_bytes / n, Counter::kAvgIterations);
}

// Registered shape by shape, dagflow then the raw graph, so that both meet the allocator in a similar
// state (a long run of one kind leaves the heap fragmented for the next).
void register_benchmarks() {
  for (int id : {wide, chain, tree, layered}) {
    for (auto [system, function] : {std::pair{"dagflow", &BM_dagflow}, std::pair{"flow_graph", &BM_flow_graph}}) {
      benchmark::RegisterBenchmark((std::string(system) + "/" + shape(id).name).c_str(), function, id)
          ->UseManualTime()
          ->Unit(benchmark::kMillisecond)
          ->MinTime(1.0);
    }
  }
  for (auto [name, scheduler] : {std::pair{"dagflow/chain_scaling/threads", dagflow::Scheduler::threads},
                                 std::pair{"dagflow/chain_scaling/sync", dagflow::Scheduler::sync}}) {
    benchmark::RegisterBenchmark(name, BM_chain_scaling, scheduler)
        ->ArgName("tasks")
        ->RangeMultiplier(10)
        ->Range(10'000, 10'000'000)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond)
        ->MinTime(0.5);
  }
  benchmark::RegisterBenchmark("dagflow/small_graph", BM_small_graph)
      ->ArgName("workers")
      ->Args({0})
      ->Args({1})
      ->Args({2})
      ->UseManualTime()
      ->Unit(benchmark::kMicrosecond)
      ->Iterations(20000);
}

void print_summary() {
  if (samples().empty()) return;
  std::printf("\nMedian ns/task over every timed iteration. ratio = dagflow compute / (raw build + raw run), "
              "target <= 1.5; dagflow total = build + compute.\n\n");
  std::printf("| shape | tasks | dagflow build | dagflow compute | raw build | raw run | ratio | dagflow total | raw total |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (const auto& [id, row] : samples()) {
    const double build = median(row.build), compute = median(row.compute);
    const double raw = median(row.raw_build) + median(row.raw_run);
    char ratio[16] = "-";
    if (compute > 0 && raw > 0) std::snprintf(ratio, sizeof ratio, "%.2f", compute / raw);
    std::printf("| %s | %zu | %.0f | %.0f | %.0f | %.0f | %s | %.0f | %.0f |\n", shape(id).name, shape(id).tasks, build,
                compute, median(row.raw_build), median(row.raw_run), ratio, build + compute, raw);
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
