// The course's π workflows with the calc_pi kernel of examples/pi:
//
//   serial         10 calc_pi(10^7) calls in a plain loop, then their mean: the plain C++ baseline
//   delayed        mean(*(delayed(calc_pi)(N) for i in range(10))) on all cores
//   bag            from_sequence(repeat(N, 24)).map(calc_pi).mean() on all cores (24 x 10^7 samples)
//
// The benchmarks are built with the default x86-64 flags, the example program with -march=native,
// which makes calc_pi about 1.8 times faster (wider vectors, BMI2 multiplies).
//
// Every iteration checks its estimate (the delayed graph must equal the loop exactly). Every run
// reports `best_ms`, its fastest iteration; `delayed` also reports `speedup` over `serial` and
// `efficiency` (speedup / cores), from the fastest iterations. For comparison, measured with
// Dask 2022.12 + numba 0.56 on a 2-core machine like ours: delayed 10 x 10^7 samples 0.36-0.42 s, bag
// 24 x 10^7 samples (threads) 0.9-1.2 s.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <thread>
#include <vector>

#include "dagflow/bag.hpp"
#include "dagflow/dagflow.hpp"

#include "../examples/pi/calc_pi.hpp"

namespace {

using pi_example::calc_pi;
using pi_example::mean;
using Clock = std::chrono::steady_clock;

constexpr std::uint64_t samples = 10'000'000;
constexpr std::uint64_t seed = 2023;

int cores() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

double serial_pi(std::uint64_t tasks) {
  std::vector<double> estimates;
  for (std::uint64_t task = 0; task < tasks; ++task) estimates.push_back(calc_pi(samples, seed, task));
  return mean(estimates);
}

double serial_result = 0;
double serial_best = 0;  // seconds, fastest iteration

void serial(benchmark::State& state) {
  double best = 1e300;
  for (auto _ : state) {
    const auto start = Clock::now();
    serial_result = serial_pi(10);
    best = std::min(best, std::chrono::duration<double>(Clock::now() - start).count());
    if (std::abs(serial_result - std::numbers::pi) > 1e-3) state.SkipWithError("estimate too far from pi");
  }
  serial_best = best;
  state.counters["best_ms"] = best * 1e3;
}

void delayed(benchmark::State& state) {
  const auto calc_pi_p = dagflow::delayed(calc_pi, "calc_pi");
  const auto mean_p = dagflow::delayed(mean, "mean");
  double best = 1e300;
  for (auto _ : state) {
    const auto start = Clock::now();
    std::vector<dagflow::Delayed<double>> estimates;
    for (std::uint64_t task = 0; task < 10; ++task) estimates.push_back(calc_pi_p(samples, seed, task));
    const double pi = mean_p(estimates).compute();
    best = std::min(best, std::chrono::duration<double>(Clock::now() - start).count());
    if (serial_result != 0 && pi != serial_result) state.SkipWithError("delayed estimate differs from the loop's");
  }
  state.counters["best_ms"] = best * 1e3;
  if (serial_best > 0) {
    state.counters["speedup"] = serial_best / best;
    state.counters["efficiency"] = serial_best / best / cores();
  }
}

void bag(benchmark::State& state) {
  std::vector<std::uint64_t> task_numbers(24);
  for (std::uint64_t task = 0; task < 24; ++task) task_numbers[task] = task;
  double best = 1e300;
  for (auto _ : state) {
    const auto start = Clock::now();
    const double pi = dagflow::bag::from_sequence(task_numbers)
                          .map([](std::uint64_t task) { return calc_pi(samples, seed, task); })
                          .mean()
                          .compute();
    best = std::min(best, std::chrono::duration<double>(Clock::now() - start).count());
    if (std::abs(pi - std::numbers::pi) > 1e-3) state.SkipWithError("estimate too far from pi");
  }
  state.counters["best_ms"] = best * 1e3;
}

// serial first: delayed reads its result and time.
BENCHMARK(serial)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(delayed)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(bag)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
