// The course's BoundingBox: which part of the complex plane an image shows, and how it is cut into
// tiles for parallel work.
//
//   @dataclass
//   class BoundingBox:
//       width: int; height: int; center: complex; extent: complex
//       scale = max(extent.real / width, extent.imag / height)
//       def split(self, n): ...   # an n x n grid of smaller BoundingBoxes
#pragma once

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "fp_contract_off.hpp"  // pixel coordinates and kernels agree bit for bit on every machine

namespace mandelbrot {

/// A rectangle of pixels of a BoundingBox's grid: columns [x, x + width), rows [y, y + height).
struct Tile {
  int x = 0, y = 0, width = 0, height = 0;
  friend bool operator==(const Tile&, const Tile&) = default;
};

/// A width x height pixel grid centred on `center`, covering at least `extent` (real: horizontal,
/// imaginary: vertical) of the complex plane with square pixels of side scale().
struct BoundingBox {
  int width = 0;
  int height = 0;
  std::complex<double> center;
  std::complex<double> extent;

  /// Side of one pixel, as the course: max(extent.real / width, extent.imag / height).
  double scale() const { return std::max(extent.real() / width, extent.imag() / height); }

  /// The point at column i, row j: center + (i - width // 2 + (j - height // 2) * 1j) * scale, the
  /// course's formula, rounded exactly as the kernels round it. Row 0 is the bottom (lowest imaginary
  /// part), as the course plots with origin='lower'.
  double real(int i) const { return center.real() + static_cast<double>(i - width / 2) * scale(); }
  double imag(int j) const { return center.imag() + static_cast<double>(j - height / 2) * scale(); }

  /// All pixels.
  Tile whole() const { return {0, 0, width, height}; }

  /// The grid cut into n x n tiles, listed row by row from the bottom-left; tile widths (and heights)
  /// differ by at most one pixel.
  ///
  /// The course's split() gives every tile its own BoundingBox (width // n pixels, its own centre).
  /// Two things go wrong with that: when n does not divide the width the last pixels are dropped, and
  /// each tile's centre is computed in floating point, so its pixels land an ulp or so away from the
  /// whole image's pixels and a few escape one iteration earlier or later. Tiles that are windows on
  /// this box's own pixel grid avoid both: the assembled tiles equal the untiled image exactly.
  ///
  /// Throws std::invalid_argument unless 1 <= n <= min(width, height).
  std::vector<Tile> split(int n) const {
    if (n < 1 || n > std::min(width, height))
      throw std::invalid_argument("BoundingBox::split: cannot cut a " + std::to_string(width) + "x" +
                                  std::to_string(height) + " image into " + std::to_string(n) + "x" +
                                  std::to_string(n) + " tiles");
    const auto edge = [n](int size, int k) {  // k-th of n+1 evenly spaced cuts of [0, size]
      return static_cast<int>(static_cast<std::int64_t>(size) * k / n);
    };
    std::vector<Tile> tiles;
    tiles.reserve(static_cast<std::size_t>(n) * static_cast<std::size_t>(n));
    for (int row = 0; row < n; ++row)
      for (int col = 0; col < n; ++col)
        tiles.push_back({edge(width, col), edge(height, row), edge(width, col + 1) - edge(width, col),
                         edge(height, row + 1) - edge(height, row)});
    return tiles;
  }
};

/// Throws std::invalid_argument naming the problem unless the box has a positive size and extent.
inline void validate(const BoundingBox& box) {
  if (box.width < 1 || box.height < 1)
    throw std::invalid_argument("image size must be positive, got " + std::to_string(box.width) + "x" +
                                std::to_string(box.height));
  if (!(box.scale() > 0) || !std::isfinite(box.scale()))
    throw std::invalid_argument("extent must give a positive, finite pixel size");
}

}  // namespace mandelbrot

#include "fp_contract_restore.hpp"
