// The course's Mandelbrot benchmark case (1024 x 1024 pixels, centre -1.1195+0.2718i, extent
// 0.005+0.005i, max_iter 1024) with the kernels of examples/mandelbrot:
//
//   serial/<kernel>           the whole image in one call on one thread: the plain C++ baseline
//   dagflow/<kernel>/tiles:n  n x n compute_tile tasks and one assemble task, on all cores
//
// for the scalar kernel (the course's loop) and the SIMD kernel (<experimental/simd>, as wide as the
// compiler's target allows: 2 doubles with the default x86-64 flags benchmarks are built with; the
// example program, built with -march=native, gets 4 with AVX2 and 8 with AVX-512). Every iteration checks the image's checksum against the course's value.
// Every run reports `best_ms`, its fastest iteration; the dagflow runs also report `speedup` (serial
// time / dagflow time, same kernel, fastest iterations) and `efficiency` (speedup / cores). For comparison, measured with Dask 2022.12 + numba 0.56 on a 2-core machine like
// ours: numba serial 0.27 s, numba parallel 0.15 s, Dask delayed with 4 x 4 tiles 0.15 s.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <complex>
#include <cstdint>
#include <map>
#include <thread>
#include <vector>

#include "dagflow/dagflow.hpp"

#include "../examples/mandelbrot/bounding_box.hpp"
#include "../examples/mandelbrot/escape_time.hpp"
#include "../examples/mandelbrot/escape_time_simd.hpp"
#include "../examples/mandelbrot/image.hpp"

namespace {

using namespace mandelbrot;
using namespace std::complex_literals;
using Clock = std::chrono::steady_clock;
using Kernel = Image (*)(const BoundingBox&, const Tile&, int, const Fractal&);

const BoundingBox course_case{1024, 1024, -1.1195 + 0.2718i, 0.005 + 0.005i};
constexpr int max_iter = 1024;
constexpr std::int64_t course_checksum = 84606367;  // the course's Python loop gives the same

const Kernel kernels[] = {&compute_tile, &compute_tile_simd<>};
const char* const kernel_names[] = {"scalar", "simd"};

bool correct(const Image& image) { return checksum(image) == course_checksum; }

int cores() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

// Fastest serial time per kernel, for the parallel runs' speedup counters.
std::map<int, double> serial_seconds;

void serial(benchmark::State& state) {
  const auto k = static_cast<std::size_t>(state.range(0));
  double best = 1e300;
  for (auto _ : state) {
    const auto start = Clock::now();
    const Image image = kernels[k](course_case, course_case.whole(), max_iter, {});
    best = std::min(best, std::chrono::duration<double>(Clock::now() - start).count());
    if (!correct(image)) state.SkipWithError("wrong checksum");
  }
  serial_seconds[static_cast<int>(k)] = best;
  state.counters["best_ms"] = best * 1e3;
  state.SetLabel(kernel_names[k]);
}

dagflow::Delayed<Image> tiled(int n, Kernel kernel) {
  const auto compute_tile_p = dagflow::delayed(kernel, "compute_tile");
  const auto assemble_p = dagflow::delayed(assemble, "assemble");
  const std::vector<Tile> tiles = course_case.split(n);
  std::vector<dagflow::Delayed<Image>> parts;
  for (const Tile& tile : tiles) parts.push_back(compute_tile_p(course_case, tile, max_iter, Fractal{}));
  return assemble_p(course_case.width, course_case.height, tiles, parts);
}

// Builds and computes the tiled graph each iteration, as the example does.
void dagflow_tiles(benchmark::State& state) {
  const auto k = static_cast<std::size_t>(state.range(0));
  const int n = static_cast<int>(state.range(1));
  double best = 1e300;
  for (auto _ : state) {
    const auto start = Clock::now();
    const Image image = tiled(n, kernels[k]).compute();
    best = std::min(best, std::chrono::duration<double>(Clock::now() - start).count());
    if (!correct(image)) state.SkipWithError("wrong checksum");
  }
  state.SetLabel(kernel_names[k]);
  state.counters["best_ms"] = best * 1e3;
  const auto serial_time = serial_seconds.find(static_cast<int>(k));
  if (serial_time != serial_seconds.end()) {
    state.counters["speedup"] = serial_time->second / best;
    state.counters["efficiency"] = serial_time->second / best / cores();
  }
}

// Serial runs first: the dagflow runs read their times.
BENCHMARK(serial)->ArgName("kernel")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(dagflow_tiles)
    ->ArgNames({"kernel", "tiles"})
    ->ArgsProduct({{0, 1}, {2, 4, 8, 16}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
