// The escape-time kernel of the course's "Exercise with Fractals", for the Mandelbrot set and, as its
// "Generalize" exercise asks, for Julia sets with the same code.
//
//   for k in range(max_iter):
//       z = z**2 + c
//       if (z * z.conjugate()).real >= 4.0:
//           break
//   result[j, i] = k
//
// Mandelbrot: z starts at 0 and c is the pixel. Julia: z starts at the pixel and c is a constant.
#pragma once

#include <complex>
#include <stdexcept>
#include <string>

#include "bounding_box.hpp"
#include "image.hpp"

#include "fp_contract_off.hpp"  // pixel coordinates and kernels agree bit for bit on every machine

namespace mandelbrot {

/// Which fractal the kernel iterates: z_{k+1} = z_k^2 + c.
struct Fractal {
  bool julia = false;         ///< false: Mandelbrot (z_0 = 0, c = pixel); true: Julia (z_0 = pixel, c = constant)
  std::complex<double> constant;  ///< c of the Julia set

  static Fractal mandelbrot_set() { return {}; }
  static Fractal julia_set(std::complex<double> c) { return {true, c}; }
};

/// The course's kernel for one point: the first k in [0, max_iter) at which |z_{k+1}|^2 >= 4, or
/// max_iter - 1 when there is none (the value Python's loop variable keeps after a full loop), so
/// points of the set get max_iter - 1. max_iter must be at least 1.
inline int escape_time(std::complex<double> z, std::complex<double> c, int max_iter) {
  // z*z = (zr*zr - zi*zi) + (zr*zi + zi*zr)i and (z * conj(z)).real = zr*zr + zi*zi, as numba and
  // Python evaluate them; the squares are kept from one iteration to the next.
  double zr = z.real(), zi = z.imag();
  double zr2 = zr * zr, zi2 = zi * zi;
  int k = 0;
  for (; k < max_iter; ++k) {
    const double zri = zr * zi;
    zr = (zr2 - zi2) + c.real();  // z = z**2 + c
    zi = (zri + zri) + c.imag();
    zr2 = zr * zr;
    zi2 = zi * zi;
    if (zr2 + zi2 >= 4.0) break;  // |z|^2 >= 4: the orbit escapes
  }
  return k < max_iter ? k : max_iter - 1;
}

/// Throws std::invalid_argument unless max_iter >= 1 (the course's loop needs one iteration).
inline void validate_max_iter(int max_iter) {
  if (max_iter < 1) throw std::invalid_argument("max_iter must be at least 1, got " + std::to_string(max_iter));
}

/// Runs the kernel on every pixel of `tile` of `box`; the result is tile.width x tile.height.
/// Throws std::invalid_argument when max_iter < 1.
inline Image compute_tile(const BoundingBox& box, const Tile& tile, int max_iter, const Fractal& fractal) {
  validate_max_iter(max_iter);
  Image result(tile.width, tile.height);
  for (int j = 0; j < tile.height; ++j) {
    for (int i = 0; i < tile.width; ++i) {
      const std::complex<double> pixel(box.real(tile.x + i), box.imag(tile.y + j));
      result.at(i, j) = fractal.julia ? escape_time(pixel, fractal.constant, max_iter)
                                      : escape_time(0.0, pixel, max_iter);
    }
  }
  return result;
}

}  // namespace mandelbrot

#include "fp_contract_restore.hpp"
