// Bag::groupby, a shuffle: 10^5 integers in n partitions, grouped by x % 25000 into n partitions
// (from_sequence(items, n).groupby(key, n).compute(), default threads scheduler). Rows:
//
//   groupby/partitions:n/max_branch:0   the default max_branch (32): for n = 10^3, 2 stages of base 32;
//                                       for n = 10^4, 3 stages of base 22
//   groupby/partitions:n/max_branch:k   max_branch = k: 8 gives 5 stages of base 7 for n = 10^4; 1000
//                                       (>= n) the one-stage, all-to-all shuffle for n = 10^3
//
// The one-stage shuffle links every input to every output partition: n^2 edges, 10^8 for n = 10^4
// (32 s and 3.9 GB, so it has no row for 10^4). The staged one has about stages x base x n edges
// (660 000 for n = 10^4). Every iteration checks the number of groups and elements. Peak memory is not
// measured here: run one row under /usr/bin/time -v, e.g.
//   /usr/bin/time -v bench/bench_shuffle --benchmark_filter='partitions:10000/max_branch:0'
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <numeric>
#include <optional>
#include <vector>

#include "dagflow/dagflow.hpp"

namespace {

constexpr std::size_t elements = 100'000;
constexpr std::int64_t distinct_keys = 25'000;

void check(benchmark::State& state, const std::vector<std::pair<std::int64_t, std::vector<std::int64_t>>>& groups) {
  std::size_t members = 0;
  for (const auto& group : groups) members += group.second.size();
  if (groups.size() != static_cast<std::size_t>(distinct_keys) || members != elements)
    state.SkipWithError("wrong groups");
}

void groupby(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::optional<std::size_t> max_branch;
  if (state.range(1) > 0) max_branch = static_cast<std::size_t>(state.range(1));
  std::vector<std::int64_t> items(elements);
  std::iota(items.begin(), items.end(), std::int64_t{0});
  const auto bag = dagflow::bag::from_sequence(items, {.npartitions = n});
  auto key = [](std::int64_t x) { return x % distinct_keys; };
  for (auto _ : state) {
    auto grouped = max_branch ? bag.groupby(key, n, *max_branch) : bag.groupby(key, n);
    check(state, grouped.compute());
  }
}

BENCHMARK(groupby)
    ->ArgNames({"partitions", "max_branch"})
    ->Args({1000, 0})
    ->Args({1000, 1000})
    ->Args({10000, 0})
    ->Args({10000, 8})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
