// The Monte-Carlo kernel of the course's "Computing π" chapter, made reproducible and fast.
//
// The course's version:
//
//   def calc_pi(N):
//       M = 0
//       for i in range(N):
//           x = random.uniform(-1, 1)          # simulate impact coordinates
//           y = random.uniform(-1, 1)
//           if x**2 + y**2 < 1.0:              # true if the impact is inside the circle
//               M += 1
//       return 4 * M / N
//
// Two things change here. Every task draws from its own PCG streams, chosen by (seed, task), so a run
// is reproducible whatever the number of workers and whichever order tasks run in; the course's global
// `random` state gives each run different numbers. And the loop is written for speed, as the course
// did with numba: see `count_inside` for why its integer test is the course's test.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <vector>

#include <pcg_random.hpp>

namespace pi_example {

/// Counts the points (x[i], y[i]), i < n, that fall inside the circle.
///
/// A 64-bit random word is read as two signed 32-bit integers x, y in [-2^31, 2^31): a point of the
/// 2^32 x 2^32 lattice that covers the square [-1, 1)^2 with spacing 2^-31, each lattice point equally
/// likely. The point (x, y) / 2^31 is inside the unit circle exactly when x^2 + y^2 < 2^62, and that
/// sum fits in 64 bits, so the test is exact integer arithmetic. `random.uniform(-1, 1)` is a lattice
/// too (spacing 2^-52); either lattice holds pi * 2^62 (+ O(2^21)) points of the disc, so the expected
/// value of 4M/N differs from pi by less than 10^-11, far below the Monte-Carlo error (~1.6/sqrt(N)).
///
/// The loop has no branch and no 64 x 64-bit multiply (|x|^2 is a 32 x 32 -> 64-bit product), so the
/// compiler vectorises it even for plain x86-64 (SSE2).
inline std::uint64_t count_inside(const std::uint32_t* xs, const std::uint32_t* ys, std::size_t n) {
  constexpr std::uint64_t radius2 = std::uint64_t{1} << 62;
  const auto magnitude = [](std::uint32_t v) {  // |v| of the signed value, as an unsigned number
    const std::uint32_t sign = v >> 31;
    return (v ^ (0u - sign)) + sign;
  };
  std::uint64_t inside = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t ax = magnitude(xs[i]), ay = magnitude(ys[i]);
    const std::uint64_t r2 = ax * ax + ay * ay;  // at most 2^63: no overflow
    inside += (r2 - radius2) >> 63;              // 1 when r2 < 2^62 (the subtraction wraps), else 0
  }
  return inside;
}

/// Estimates pi from `samples` random points in the square [-1, 1)^2: 4 * (points inside the unit
/// circle) / samples. The points come from PCG streams that depend only on (seed, task), so the same
/// arguments always give the same estimate. Throws std::invalid_argument when samples is 0.
inline double calc_pi(std::uint64_t samples, std::uint64_t seed, std::uint64_t task) {
  if (samples == 0) throw std::invalid_argument("calc_pi: the number of samples must be positive");

  // pcg64_once_insecure: a 64-bit LCG whose whole state goes through PCG's strongest output
  // permutation (RXS M XS), one 64-bit multiply cheaper per draw than pcg64's 128-bit one. "once":
  // each 64-bit value comes once per 2^64-long period; "insecure": an output reveals the state.
  // Neither matters for Monte Carlo. One stream is a serial chain of multiplies, so three streams are
  // drawn in turn and the CPU overlaps them; task t owns streams 3t .. 3t+2 of its 2^63.
  using Engine = pcg64_once_insecure;
  constexpr std::size_t streams = 3;
  std::array<Engine, streams> engines;
  for (std::size_t s = 0; s < streams; ++s) engines[s] = Engine(seed, task * streams + s);

  // Draw a block of points, then count it in one vectorisable loop.
  constexpr std::size_t block = 240;
  static_assert(block % streams == 0);
  std::array<std::uint32_t, block> xs, ys;
  std::uint64_t inside = 0;
  for (std::uint64_t done = 0; done < samples; done += block) {
    for (std::size_t i = 0; i < block; i += streams) {
      for (std::size_t s = 0; s < streams; ++s) {
        const std::uint64_t word = engines[s]();
        xs[i + s] = static_cast<std::uint32_t>(word);
        ys[i + s] = static_cast<std::uint32_t>(word >> 32);
      }
    }
    const std::uint64_t left = samples - done;
    inside += count_inside(xs.data(), ys.data(), left < block ? static_cast<std::size_t>(left) : block);
  }
  return 4.0 * static_cast<double>(inside) / static_cast<double>(samples);
}

/// The course's `mean(*args)`: the average of the estimates. Throws std::invalid_argument when empty.
inline double mean(const std::vector<double>& estimates) {
  if (estimates.empty()) throw std::invalid_argument("mean: no estimates to average");
  return std::accumulate(estimates.begin(), estimates.end(), 0.0) / static_cast<double>(estimates.size());
}

}  // namespace pi_example
