// The Mandelbrot example (examples/mandelbrot): the course's kernel and its conventions, tiles that
// reassemble to exactly the untiled image, the SIMD kernel agreeing with the scalar one bit for bit,
// colours, complex-number parsing, and the program itself.
#include <gtest/gtest.h>

#include <algorithm>
#include <complex>
#include <cstdint>
#include <experimental/simd>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

#include <dagflow/dagflow.hpp>

#include "mandelbrot/bounding_box.hpp"
#include "mandelbrot/colormap.hpp"
#include "mandelbrot/escape_time.hpp"
#include "mandelbrot/escape_time_simd.hpp"
#include "mandelbrot/image.hpp"
#include "mandelbrot/parse_complex.hpp"
#include "support/run_example.hpp"
#include "support/schedulers.hpp"

namespace {

using namespace mandelbrot;
using namespace std::complex_literals;
namespace stdx = std::experimental;

// The course's test case, BoundingBox(1024, 1024, -1.1195+0.2718j, 0.005+0.005j), and smaller boxes
// on the same spot, where escape times vary a lot from pixel to pixel.
const BoundingBox course_case{1024, 1024, -1.1195 + 0.2718i, 0.005 + 0.005i};
const BoundingBox small_case{96, 80, -1.1195 + 0.2718i, 0.005 + 0.004i};
const BoundingBox odd_case{101, 67, -0.75 + 0.1i, 0.5 + 0.3i};  // sizes no tile count divides

// The example's graph: one compute_tile task per tile, one assemble task.
Image tiled(const BoundingBox& box, int n, int max_iter, const Fractal& fractal, const dagflow::ComputeOptions& options) {
  const auto compute_tile_p = dagflow::delayed(compute_tile, "compute_tile");
  const auto assemble_p = dagflow::delayed(assemble, "assemble");
  const std::vector<Tile> tiles = box.split(n);
  std::vector<dagflow::Delayed<Image>> parts;
  for (const Tile& tile : tiles) parts.push_back(compute_tile_p(box, tile, max_iter, fractal));
  return assemble_p(box.width, box.height, tiles, parts).compute(options);
}

// --- the kernel ---------------------------------------------------------------------------------------------

// Values computed by the course's own Python loop (`for k in range(max_iter): z = z**2 + c; if
// (z*z.conjugate()).real >= 4.0: break`).
TEST(EscapeTime, MatchesTheCoursesPythonLoop) {
  EXPECT_EQ(escape_time(0.0, 2.0, 100), 0);   // |z_1|^2 = 4 already counts as escaped
  EXPECT_EQ(escape_time(0.0, -2.0, 100), 0);
  EXPECT_EQ(escape_time(0.0, 1.0, 100), 1);   // z: 1, 2
  EXPECT_EQ(escape_time(0.0, 0.5, 100), 4);
  EXPECT_EQ(escape_time(0.0, 0.26, 100), 29);
  EXPECT_EQ(escape_time(0.0, -0.75 + 0.1i, 100), 32);
}

TEST(EscapeTime, PointsOfTheSetGetMaxIterMinusOne) {
  // Python's loop variable keeps its last value, max_iter - 1, when the loop never breaks.
  for (const std::complex<double> c : {0.0 + 0i, 1i, -1.0 + 0i, 0.25 + 0i, 0.3 + 0.5i}) {
    EXPECT_EQ(escape_time(0.0, c, 100), 99) << c;
    EXPECT_EQ(escape_time(0.0, c, 1), 0) << c;
  }
}

TEST(EscapeTime, JuliaStartsAtThePixel) {
  EXPECT_EQ(escape_time(2.0, 0.0, 10), 0);
  EXPECT_EQ(escape_time(0.5 + 0.5i, -0.8 + 0.156i, 100), 3);
  EXPECT_EQ(escape_time(1.5, -1.0, 100), 99);
}

TEST(EscapeTime, RejectsMaxIterBelowOne) {
  EXPECT_THROW(compute_tile(small_case, small_case.whole(), 0, {}), std::invalid_argument);
  EXPECT_THROW(compute_tile_simd(small_case, small_case.whole(), -1, {}), std::invalid_argument);
}

TEST(EscapeTime, TileIsLaidOutRowByRowFromTheBottom) {
  const BoundingBox box{7, 5, -0.5 + 0.1i, 3.0 + 2.0i};
  const Image image = compute_tile(box, box.whole(), 50, {});
  ASSERT_EQ(image.width, 7);
  ASSERT_EQ(image.height, 5);
  for (int j = 0; j < 5; ++j)
    for (int i = 0; i < 7; ++i) EXPECT_EQ(image.at(i, j), escape_time(0.0, {box.real(i), box.imag(j)}, 50));
  EXPECT_LT(box.imag(0), box.imag(4));
  EXPECT_LT(box.real(0), box.real(6));
}

// --- BoundingBox --------------------------------------------------------------------------------------------

TEST(BoundingBox, ScaleAndPixelsFollowTheCourse) {
  EXPECT_DOUBLE_EQ(course_case.scale(), 0.005 / 1024);
  EXPECT_DOUBLE_EQ(BoundingBox({256, 128, 0.0, 3.0 + 3.0i}).scale(), 3.0 / 128);
  // c = center + (i - width // 2 + (j - height // 2) * 1j) * scale
  EXPECT_EQ(course_case.real(512), -1.1195);
  EXPECT_EQ(course_case.imag(512), 0.2718);
  EXPECT_EQ(course_case.real(0), -1.1195 + (0 - 512) * course_case.scale());
  EXPECT_EQ(course_case.imag(1023), 0.2718 + (1023 - 512) * course_case.scale());
}

TEST(BoundingBox, SplitCoversEveryPixelOnce) {
  for (const BoundingBox& box : {small_case, odd_case}) {
    for (int n : {1, 2, 3, 4, 7}) {
      const std::vector<Tile> tiles = box.split(n);
      ASSERT_EQ(tiles.size(), static_cast<std::size_t>(n * n));
      std::vector<int> covered(static_cast<std::size_t>(box.width * box.height), 0);
      for (const Tile& t : tiles) {
        EXPECT_GE(t.width, box.width / n);
        EXPECT_LE(t.width, box.width / n + 1);
        EXPECT_GE(t.height, box.height / n);
        EXPECT_LE(t.height, box.height / n + 1);
        for (int j = t.y; j < t.y + t.height; ++j)
          for (int i = t.x; i < t.x + t.width; ++i) ++covered[static_cast<std::size_t>(j * box.width + i)];
      }
      EXPECT_EQ(std::count(covered.begin(), covered.end(), 1), box.width * box.height) << "n = " << n;
    }
  }
  // Row by row from the bottom-left, as np.block expects the course's grid.
  const std::vector<Tile> tiles = BoundingBox({10, 6, 0.0, 1.0 + 1.0i}).split(2);
  EXPECT_EQ(tiles[0], (Tile{0, 0, 5, 3}));
  EXPECT_EQ(tiles[1], (Tile{5, 0, 5, 3}));
  EXPECT_EQ(tiles[2], (Tile{0, 3, 5, 3}));
  EXPECT_EQ(tiles[3], (Tile{5, 3, 5, 3}));
}

TEST(BoundingBox, SplitRejectsImpossibleTileCounts) {
  EXPECT_THROW(small_case.split(0), std::invalid_argument);
  EXPECT_THROW(small_case.split(81), std::invalid_argument);  // more tiles than rows
  EXPECT_NO_THROW(small_case.split(80));
}

TEST(BoundingBox, ValidateNamesBadSizes) {
  EXPECT_THROW(validate(BoundingBox{0, 10, 0.0, 1.0 + 1.0i}), std::invalid_argument);
  EXPECT_THROW(validate(BoundingBox{10, 10, 0.0, 0.0}), std::invalid_argument);
  EXPECT_NO_THROW(validate(course_case));
}

// --- tiles: the assembled tiles are the untiled image, exactly ----------------------------------------------

// param(): n, for n x n tiles; on every scheduler of support/schedulers.hpp.
class Tiling : public dagflow_test::SchedulerTestWith<int> {};

TEST_P(Tiling, TiledEqualsUntiled) {
  const int n = param();
  for (const BoundingBox& box : {small_case, odd_case}) {
    const Image whole = compute_tile(box, box.whole(), 300, {});
    EXPECT_EQ(tiled(box, n, 300, {}, options()), whole) << box.width << "x" << box.height;
  }
}

TEST_P(Tiling, JuliaTiledEqualsUntiled) {
  const BoundingBox box{90, 61, 0.0, 4.0 + 3.0i};
  const Fractal julia = Fractal::julia_set(-0.8 + 0.156i);
  EXPECT_EQ(tiled(box, param(), 200, julia, options()), compute_tile(box, box.whole(), 200, julia));
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER_WITH(Tiling, ::testing::Values(1, 2, 3, 4, 7));

TEST(Assemble, RejectsTilesThatDoNotFit) {
  const std::vector<Tile> tiles = small_case.split(2);
  std::vector<Image> parts(4, Image(48, 40));
  EXPECT_NO_THROW(assemble(96, 80, tiles, parts));
  parts.pop_back();
  EXPECT_THROW(assemble(96, 80, tiles, parts), std::invalid_argument);
  parts.push_back(Image(47, 40));
  EXPECT_THROW(assemble(96, 80, tiles, parts), std::invalid_argument);
}

// --- the SIMD kernel agrees with the scalar one -------------------------------------------------------------

template <class V, std::size_t Groups>
void expect_simd_equals_scalar(const BoundingBox& box, const Tile& tile, int max_iter, const Fractal& fractal) {
  EXPECT_EQ((compute_tile_simd<V, Groups>(box, tile, max_iter, fractal)), compute_tile(box, tile, max_iter, fractal))
      << V::size() << " lanes x " << Groups << ", tile " << tile.x << "," << tile.y << " " << tile.width << "x" << tile.height;
}

TEST(SimdKernel, EqualsScalarKernel) {
  const Fractal julia = Fractal::julia_set(-0.8 + 0.156i);
  for (const BoundingBox& box : {small_case, odd_case}) {
    for (const Tile& tile : {box.whole(), Tile{3, 5, 13, 7}, Tile{0, 0, 1, 1}}) {
      for (const Fractal& fractal : {Fractal::mandelbrot_set(), julia}) {
        expect_simd_equals_scalar<stdx::native_simd<double>, 1>(box, tile, 300, fractal);
        expect_simd_equals_scalar<stdx::native_simd<double>, 2>(box, tile, 300, fractal);
        expect_simd_equals_scalar<stdx::fixed_size_simd<double, 3>, 2>(box, tile, 300, fractal);
        expect_simd_equals_scalar<stdx::fixed_size_simd<double, 8>, 1>(box, tile, 300, fractal);
      }
    }
  }
}

// The course's benchmark case itself. The checksum and pixel values are those of the course's
// plain-Python loop on this case (which agrees with this kernel on every one of the 2^20 pixels).
TEST(SimdKernel, CourseCaseMatchesThePythonLoop) {
  const Image simd = compute_tile_simd(course_case, course_case.whole(), 1024, {});
  EXPECT_EQ(checksum(simd), 84606367);
  EXPECT_EQ(std::count(simd.values.begin(), simd.values.end(), 1023), 6944);  // points of the set
  EXPECT_EQ(simd.at(512, 512), 252);
  EXPECT_EQ(simd.at(0, 0), 117);
  EXPECT_EQ(simd.at(1023, 0), 54);
  EXPECT_EQ(simd.at(700, 300), 86);
  EXPECT_EQ(simd.at(1023, 1023), 55);
  const Tile corner{0, 0, 64, 64};
  EXPECT_EQ(compute_tile(course_case, corner, 1024, {}), compute_tile_simd(course_case, corner, 1024, {}));
}

// --- colours ------------------------------------------------------------------------------------------------

void expect_near(Rgb actual, Rgb expected) {  // within 5 of 255 levels of matplotlib's table
  EXPECT_NEAR(actual.r, expected.r, 5);
  EXPECT_NEAR(actual.g, expected.g, 5);
  EXPECT_NEAR(actual.b, expected.b, 5);
}

TEST(Colormap, MatchesMatplotlibsTables) {
  // matplotlib's _viridis_data / _magma_data entries 0, 128 and 255, times 255.
  expect_near(colour(Colormap::viridis, 0.0), {68, 1, 84});
  expect_near(colour(Colormap::viridis, 128.0 / 255), {33, 145, 140});
  expect_near(colour(Colormap::viridis, 1.0), {253, 231, 37});
  expect_near(colour(Colormap::magma, 0.0), {0, 0, 4});
  expect_near(colour(Colormap::magma, 128.0 / 255), {183, 55, 121});
  expect_near(colour(Colormap::magma, 1.0), {252, 253, 191});
  EXPECT_EQ(colour(Colormap::viridis, -3.0), colour(Colormap::viridis, 0.0));  // clamped
  EXPECT_EQ(colour(Colormap::magma, 7.0), colour(Colormap::magma, 1.0));
}

TEST(Colormap, ColourizeScalesCubeRootsFromMinToMax) {
  Image image(3, 1);
  image.values = {8, 1, 27};  // cube roots 2, 1, 3: t = 0.5, 0, 1
  const std::vector<std::uint8_t> rgb = colourize(image, Colormap::viridis);
  ASSERT_EQ(rgb.size(), 9u);
  EXPECT_EQ((Rgb{rgb[0], rgb[1], rgb[2]}), colour(Colormap::viridis, 0.5));
  EXPECT_EQ((Rgb{rgb[3], rgb[4], rgb[5]}), colour(Colormap::viridis, 0.0));
  EXPECT_EQ((Rgb{rgb[6], rgb[7], rgb[8]}), colour(Colormap::viridis, 1.0));
  image.values = {5, 5, 5};  // a flat image takes the bottom colour
  EXPECT_EQ(colourize(image, Colormap::magma)[0], colour(Colormap::magma, 0.0).r);
  EXPECT_THROW(parse_colormap("jet"), std::invalid_argument);
  EXPECT_EQ(parse_colormap("magma"), Colormap::magma);
}

// --- complex numbers on the command line --------------------------------------------------------------------

TEST(ParseComplex, ReadsPythonAndMathNotation) {
  EXPECT_EQ(parse_complex("-0.8+0.156i"), -0.8 + 0.156i);
  EXPECT_EQ(parse_complex("-1.1195+0.2718j"), -1.1195 + 0.2718i);
  EXPECT_EQ(parse_complex("0.005 + 0.005i"), 0.005 + 0.005i);
  EXPECT_EQ(parse_complex("1e-3-2E+2i"), 0.001 - 200.0i);
  EXPECT_EQ(parse_complex("3"), 3.0 + 0i);
  EXPECT_EQ(parse_complex("+2.5i"), 2.5i);
  EXPECT_EQ(parse_complex("i"), 1i);
  EXPECT_EQ(parse_complex("-i"), -1i);
  EXPECT_EQ(parse_complex("1-i"), 1.0 - 1i);
}

TEST(ParseComplex, RejectsNanAndInfinity) {
  // std::from_chars reads "nan" and "inf", so without a check they would reach the kernel and draw nonsense.
  for (const char* text : {"nan", "inf", "-inf", "nan+1i", "1+nani", "inf+infi", "infi"}) {
    EXPECT_THROW(parse_complex(text), std::invalid_argument) << text;
  }
  try {
    parse_complex("nan");
    ADD_FAILURE() << "nan accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("not a finite complex number"), std::string::npos) << e.what();
  }
}

TEST(ParseComplex, RejectsOtherText) {
  for (const char* text : {"", "abc", "1+2", "1++2i", "i2", "1+2ii", "--1", "0.5x"}) {
    EXPECT_THROW(parse_complex(text), std::invalid_argument) << text;
  }
  try {
    parse_complex("abc");
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'abc'"), std::string::npos);
  }
}

// --- the program --------------------------------------------------------------------------------------------

class MandelbrotProgram : public ::testing::Test {
 protected:
  void SetUp() override {
    program_ = example_test::program("mandelbrot", "mandelbrot").string();
    if (program_.empty()) GTEST_SKIP() << "examples/mandelbrot was not built";
  }
  std::string program_;
};

TEST_F(MandelbrotProgram, HelpListsTheOptions) {
  const auto result = example_test::run(program_ + " --help");
  EXPECT_EQ(result.status, 0);
  for (const char* option :
       {"--width", "--tiles", "--max-iter", "--julia", "--simd", "--serial", "--graph", "--output", "--mpi"})
    EXPECT_NE(result.output.find(option), std::string::npos) << option;
}

TEST_F(MandelbrotProgram, PrintsTheChecksumAndWritesThePng) {
  const auto png = std::filesystem::temp_directory_path() / ("dagflow_mandelbrot_test_" + std::to_string(::getpid()) + ".png");
  const BoundingBox box{120, 90, -1.1195 + 0.2718i, 0.005 + 0.005i};
  const std::string expected = "checksum " + std::to_string(checksum(compute_tile(box, box.whole(), 256, {})));
  for (const char* mode : {"", " --simd", " --serial", " --tiles 7 --workers 1"}) {
    const auto result = example_test::run(program_ + " --width 120 --height 90 --max-iter 256 -o " + png.string() + mode);
    EXPECT_EQ(result.status, 0) << result.output;
    EXPECT_NE(result.output.find(expected), std::string::npos) << mode << ": " << result.output;
  }
  // A PNG signature, then the IHDR chunk with the width and height (big-endian).
  std::ifstream in(png, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 33u);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(bytes.substr(12, 4), "IHDR");
  EXPECT_EQ(bytes.substr(16, 8), std::string("\0\0\0\x78\0\0\0\x5a", 8));  // 120 x 90
  std::filesystem::remove(png);
}

TEST_F(MandelbrotProgram, JuliaModeUsesTheSameKernel) {
  const BoundingBox box{64, 48, 0.0, 4.0 + 3.0i};  // the course's Julia view
  const auto sum = checksum(compute_tile(box, box.whole(), 128, Fractal::julia_set(-0.8 + 0.156i)));
  const auto result = example_test::run(program_ + " --julia=-0.8+0.156i --width 64 --height 48 --max-iter 128 -o -");
  EXPECT_EQ(result.status, 0) << result.output;
  EXPECT_NE(result.output.find("checksum " + std::to_string(sum)), std::string::npos) << result.output;
}

TEST_F(MandelbrotProgram, BadArgumentsFailWithAMessage) {
  auto result = example_test::run(program_ + " --julia=abc -o -");
  EXPECT_NE(result.status, 0);
  EXPECT_NE(result.output.find("'abc'"), std::string::npos) << result.output;
  result = example_test::run(program_ + " --width 8 --height 8 --tiles 9 -o -");
  EXPECT_NE(result.status, 0);
  EXPECT_NE(result.output.find("9x9 tiles"), std::string::npos) << result.output;
  EXPECT_NE(example_test::run(program_ + " --tiles 0").status, 0);
}

TEST_F(MandelbrotProgram, NonFiniteCoordinatesAreRefusedBeforeAnythingIsWritten) {
  const auto png = std::filesystem::temp_directory_path() / ("dagflow_mandelbrot_nan_" + std::to_string(::getpid()) + ".png");
  for (const char* args : {"--center nan", "--center inf+infi", "--julia nan", "--extent 1+nani", "--center 1e999"}) {
    const auto result = example_test::run(program_ + " --width 16 --height 16 -o " + png.string() + " " + args);
    EXPECT_NE(result.status, 0) << args << ": " << result.output;
    EXPECT_NE(result.output.find("not a"), std::string::npos) << args << ": " << result.output;
    EXPECT_FALSE(std::filesystem::exists(png)) << args;
    std::filesystem::remove(png);
  }
}

}  // namespace
