// Saving an RGB picture as PNG with libpng's simplified API (libpng 1.6), which reports errors as
// return values instead of through setjmp/longjmp.
#pragma once

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include <dagflow/atomic_file.hpp>
#include <png.h>

namespace mandelbrot {

/// Writes width x height RGB triples (row by row, row 0 at the bottom, as the images are stored) to
/// `path` as an 8-bit RGB PNG with row 0 at the bottom of the picture. The picture appears under `path`
/// only once complete (dagflow::AtomicFile), so an interrupted run leaves no half-written image. Throws
/// std::runtime_error naming the file and libpng's reason when writing fails, std::system_error when the
/// file cannot be created, std::invalid_argument when the sizes disagree.
inline void write_png(const std::string& path, int width, int height, const std::vector<std::uint8_t>& rgb) {
  if (width < 1 || height < 1 || rgb.size() != static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3)
    throw std::invalid_argument("write_png: " + std::to_string(rgb.size()) + " bytes are not a " +
                                std::to_string(width) + "x" + std::to_string(height) + " RGB picture");
  png_image image;
  std::memset(&image, 0, sizeof image);  // libpng's documented way to initialise the structure
  image.version = PNG_IMAGE_VERSION;
  image.width = static_cast<png_uint_32>(width);
  image.height = static_cast<png_uint_32>(height);
  image.format = PNG_FORMAT_RGB;
  // A negative stride tells libpng that the buffer's rows run bottom-up.
  const auto stride = -static_cast<png_int_32>(3 * width);
  dagflow::AtomicFile file(path);
  if (!png_image_write_to_file(&image, file.temporary_path().c_str(), 0, rgb.data(), stride, nullptr)) {
    const std::string reason = image.message;
    png_image_free(&image);
    throw std::runtime_error("cannot write PNG '" + path + "': " + reason);
  }
  file.commit();
}

}  // namespace mandelbrot
