// Colouring iteration counts, as the course's plot does with matplotlib:
//
//   ax.imshow(result**(1/3), origin='lower')      # default colormap: viridis
//
// viridis and magma are matplotlib's perceptually uniform colormaps (van der Walt and Smith, 2015):
// equal steps in value look like equal steps in colour, and lightness rises monotonically, so the
// picture reads correctly in grey too. They are evaluated here by Matt Zucker's degree-6 polynomial
// fits to matplotlib's tables (https://www.shadertoy.com/view/WlfXRN, CC0; tables from
// https://github.com/BIDS/colormap, CC0); they stay within about 0.015 (4 of 255 levels) of the tables.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "image.hpp"

namespace mandelbrot {

enum class Colormap { viridis, magma };

/// An 8-bit sRGB colour.
struct Rgb {
  std::uint8_t r = 0, g = 0, b = 0;
  friend bool operator==(const Rgb&, const Rgb&) = default;
};

/// The colormap's colour at t in [0, 1] (clamped).
inline Rgb colour(Colormap map, double t) {
  // Coefficients c0..c6 of each channel's polynomial, lowest degree first.
  using Poly = std::array<std::array<double, 7>, 3>;
  static constexpr Poly viridis{{
      {0.2777273272234177, 0.1050930431085774, -0.3308618287255563, -4.634230498983486, 6.228269936347081,
       4.776384997670288, -5.435455855934631},
      {0.005407344544966578, 1.404613529898575, 0.214847559468213, -5.799100973351585, 14.17993336680509,
       -13.74514537774601, 4.645852612178535},
      {0.3340998053353061, 1.384590162594685, 0.09509516302823659, -19.33244095627987, 56.69055260068105,
       -65.35303263337234, 26.3124352495832},
  }};
  static constexpr Poly magma{{
      {-0.002136485053939582, 0.2516605407371642, 8.353717279216625, -27.66873308576866, 52.17613981234068,
       -50.76852536473588, 18.65570506591883},
      {-0.000749655052795221, 0.6775232436837668, -3.577719514958484, 14.26473078096533, -27.94360607168351,
       29.04658282127291, -11.48977351997711},
      {-0.005386127855323933, 2.494026599312351, 0.3144679030132573, -13.64921318813922, 12.94416944238394,
       4.23415299384598, -5.601961508734096},
  }};
  const Poly& poly = map == Colormap::viridis ? viridis : magma;
  t = std::clamp(t, 0.0, 1.0);
  const auto channel = [t](const std::array<double, 7>& c) {
    double v = c[6];
    for (int d = 5; d >= 0; --d) v = v * t + c[static_cast<std::size_t>(d)];  // Horner
    return static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0, 1.0) * 255.0));
  };
  return {channel(poly[0]), channel(poly[1]), channel(poly[2])};
}

/// Colours an image as imshow(result**(1/3)) does: cube roots, scaled linearly from the smallest to
/// the largest value present. Returns width * height RGB triples, row by row, row 0 at the bottom.
inline std::vector<std::uint8_t> colourize(const Image& image, Colormap map) {
  std::vector<std::uint8_t> rgb(image.values.size() * 3);
  if (image.values.empty()) return rgb;
  const auto [lo_it, hi_it] = std::minmax_element(image.values.begin(), image.values.end());
  const double lo = std::cbrt(static_cast<double>(*lo_it)), hi = std::cbrt(static_cast<double>(*hi_it));
  // One colour per possible value, instead of a cube root and a polynomial per pixel.
  std::vector<Rgb> table(static_cast<std::size_t>(*hi_it - *lo_it) + 1);
  for (std::size_t v = 0; v < table.size(); ++v) {
    const double root = std::cbrt(static_cast<double>(*lo_it + static_cast<std::int64_t>(v)));
    table[v] = colour(map, hi > lo ? (root - lo) / (hi - lo) : 0.0);
  }
  for (std::size_t p = 0; p < image.values.size(); ++p) {
    const Rgb c = table[static_cast<std::size_t>(image.values[p] - *lo_it)];
    rgb[3 * p] = c.r;
    rgb[3 * p + 1] = c.g;
    rgb[3 * p + 2] = c.b;
  }
  return rgb;
}

/// "viridis" or "magma"; throws std::invalid_argument naming any other name.
inline Colormap parse_colormap(const std::string& name) {
  if (name == "viridis") return Colormap::viridis;
  if (name == "magma") return Colormap::magma;
  throw std::invalid_argument("unknown colormap '" + name + "' (use viridis or magma)");
}

}  // namespace mandelbrot
