// The result array of the course (`np.zeros((height, width), np.int64)`) and the reassembly of tiles
// (`np.block`).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "bounding_box.hpp"

namespace mandelbrot {

/// Iteration counts of a width x height block of pixels, row by row, row 0 at the bottom.
struct Image {
  int width = 0;
  int height = 0;
  std::vector<std::int32_t> values;

  Image() = default;
  Image(int w, int h) : width(w), height(h), values(static_cast<std::size_t>(w) * static_cast<std::size_t>(h)) {}

  std::int32_t& at(int i, int j) { return values[index(i, j)]; }
  std::int32_t at(int i, int j) const { return values[index(i, j)]; }
  std::int32_t* row(int j) { return values.data() + index(0, j); }
  const std::int32_t* row(int j) const { return values.data() + index(0, j); }

  friend bool operator==(const Image&, const Image&) = default;

  /// How cereal writes and reads an Image: with `mandelbrot --mpi` tiles travel to the rank that
  /// assembles them, and the picture to rank 0.
  template <class Archive>
  void serialize(Archive& archive) {
    archive(width, height, values);
  }

 private:
  std::size_t index(int i, int j) const {
    return static_cast<std::size_t>(j) * static_cast<std::size_t>(width) + static_cast<std::size_t>(i);
  }
};

/// Sum of all pixel values: a one-number fingerprint of an image, printed by the example.
inline std::int64_t checksum(const Image& image) {
  return std::accumulate(image.values.begin(), image.values.end(), std::int64_t{0});
}

/// Places each tile's image at its tile's position in one width x height image (the course's
/// np.block). Throws std::invalid_argument when the counts or sizes do not match or a tile lies
/// outside the image.
inline Image assemble(int width, int height, const std::vector<Tile>& tiles, const std::vector<Image>& parts) {
  if (tiles.size() != parts.size())
    throw std::invalid_argument("assemble: " + std::to_string(tiles.size()) + " tiles but " +
                                std::to_string(parts.size()) + " tile images");
  Image image(width, height);
  for (std::size_t t = 0; t < tiles.size(); ++t) {
    const Tile& tile = tiles[t];
    const Image& part = parts[t];
    if (part.width != tile.width || part.height != tile.height || tile.x < 0 || tile.y < 0 ||
        tile.x + tile.width > width || tile.y + tile.height > height)
      throw std::invalid_argument("assemble: tile " + std::to_string(t) + " does not fit the image");
    for (int j = 0; j < tile.height; ++j)
      std::copy_n(part.row(j), tile.width, image.row(tile.y + j) + tile.x);
  }
  return image;
}

}  // namespace mandelbrot
