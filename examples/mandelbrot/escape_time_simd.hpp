// The escape-time kernel of escape_time.hpp on several pixels at once, with GCC's <experimental/simd>
// (the Parallelism TS v2): each operation on a `simd<double>` acts on all its lanes, one pixel per
// lane. The arithmetic is the scalar kernel's, operation for operation, so every pixel gets exactly
// the scalar kernel's value.
//
// A group of lanes runs until its last pixel escapes; lanes whose pixel has escaped keep computing but
// stop counting. Neighbouring pixels escape at similar iterations, so little of that work is wasted.
#pragma once

#include <algorithm>
#include <array>
#include <complex>
#include <cstddef>
#include <experimental/simd>

#include "bounding_box.hpp"
#include "escape_time.hpp"
#include "image.hpp"

// Better no program than wrong pixels: this combination gets `where(mask, v) += x` wrong.
#if defined(__clang__) && defined(__AVX512F__)
#error "libstdc++'s <experimental/simd> computes masked assignments wrongly when Clang targets AVX-512 (seen with Clang 14 and libstdc++ 12): build with GCC, or for a target without AVX-512 (e.g. -DDAGFLOW_EXAMPLES_MARCH=x86-64-v3)"
#endif

#include "fp_contract_off.hpp"  // pixel coordinates and kernels agree bit for bit on every machine

namespace mandelbrot {

namespace stdx = std::experimental;

/// compute_tile with `V` lanes at a time (by default the widest vector of the target: 2 doubles
/// with SSE2, 4 with AVX2, 8 with AVX-512). `Groups` vectors are iterated together so that the CPU
/// overlaps their dependency chains; the default makes 8 pixels in all, which keeps the CPU busy while
/// rarely leaving a group waiting long for its slowest pixel. Gives the same Image as compute_tile;
/// throws std::invalid_argument when max_iter < 1.
template <class V = stdx::native_simd<double>, std::size_t Groups = std::max<std::size_t>(1, 8 / V::size())>
Image compute_tile_simd(const BoundingBox& box, const Tile& tile, int max_iter, const Fractal& fractal) {
  using Mask = typename V::mask_type;
  constexpr int lanes = static_cast<int>(V::size());
  constexpr int span = lanes * static_cast<int>(Groups);
  validate_max_iter(max_iter);
  Image result(tile.width, tile.height);

  for (int j = 0; j < tile.height; ++j) {
    const double y = box.imag(tile.y + j);
    for (int i0 = 0; i0 < tile.width; i0 += span) {
      // Lanes past the tile's right edge repeat its last pixel: no extra iterations, result dropped.
      std::array<V, Groups> zr, zi, zr2, zi2, cr, ci, count;
      std::array<Mask, Groups> running;
      for (std::size_t g = 0; g < Groups; ++g) {
        const V x([&](auto lane) {
          const int i = std::min(i0 + static_cast<int>(g) * lanes + static_cast<int>(lane), tile.width - 1);
          return box.real(tile.x + i);
        });
        zr[g] = fractal.julia ? x : V(0.0);
        zi[g] = fractal.julia ? V(y) : V(0.0);
        cr[g] = fractal.julia ? V(fractal.constant.real()) : x;
        ci[g] = fractal.julia ? V(fractal.constant.imag()) : V(y);
        zr2[g] = zr[g] * zr[g];
        zi2[g] = zi[g] * zi[g];
        count[g] = 0.0;
        running[g] = Mask(true);
      }
      // count = the iterations each lane has survived; its escape index k when it escapes.
      for (int k = 0; k < max_iter; ++k) {
        bool any_running = false;
        for (std::size_t g = 0; g < Groups; ++g) {
          const V zri = zr[g] * zi[g];
          zr[g] = (zr2[g] - zi2[g]) + cr[g];
          zi[g] = (zri + zri) + ci[g];
          zr2[g] = zr[g] * zr[g];
          zi2[g] = zi[g] * zi[g];
          running[g] = running[g] && !(zr2[g] + zi2[g] >= 4.0);  // the scalar test, NaN included
          stdx::where(running[g], count[g]) += 1.0;
          any_running = any_running || stdx::any_of(running[g]);
        }
        if (!any_running) break;
      }
      for (std::size_t g = 0; g < Groups; ++g) {
        for (int lane = 0; lane < lanes; ++lane) {
          const int i = i0 + static_cast<int>(g) * lanes + lane;
          if (i < tile.width) result.at(i, j) = std::min(static_cast<int>(count[g][lane]), max_iter - 1);
        }
      }
    }
  }
  return result;
}

}  // namespace mandelbrot

#include "fp_contract_restore.hpp"
