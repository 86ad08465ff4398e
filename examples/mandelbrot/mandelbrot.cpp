// The Mandelbrot set by domain decomposition: the course's "Exercise with Fractals".
//
// The bounding box is split into n x n tiles; each tile is a delayed task running the escape-time
// kernel, and one task puts the tiles back together, as np.block does in the course:
//
//   compute_tile   compute_tile   ...   compute_tile      (--tiles n: n x n of them)
//          \             |                   /
//           +------------+------------------+
//                        |
//                     assemble                          -> checksum, colours, PNG
//
//   mandelbrot                               # the course's benchmark case, 4x4 tiles, all cores
//   mandelbrot --simd                        # the vectorised kernel
//   mandelbrot --serial                      # the untiled kernel in a plain loop, for comparison
//   mandelbrot --julia -0.8+0.156i           # a Julia set with the same kernel
//   mandelbrot --graph tiles.svg --tiles 2   # draw the task graph
//   mpirun -n 4 mandelbrot --mpi --tiles 8   # the tiles shared by the 4 processes of an MPI job
#include <chrono>
#include <complex>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <dagflow/dagflow.hpp>
#if DAGFLOW_WITH_MPI  // (from <dagflow/config.hpp>) only builds with MPI have dagflow::mpi to link
#include <dagflow/mpi.hpp>
#endif

#include "bounding_box.hpp"
#include "colormap.hpp"
#include "escape_time.hpp"
#include "escape_time_simd.hpp"
#include "image.hpp"
#include "parse_complex.hpp"
#include "png_writer.hpp"

namespace {

using namespace mandelbrot;

struct Options {
  // The course's test case: BoundingBox(1024, 1024, -1.1195+0.2718j, 0.005+0.005j), max_iter 1024.
  int width = 1024;
  int height = 1024;
  std::string center = "-1.1195+0.2718i";
  std::string extent = "0.005+0.005i";
  int max_iter = 1024;
  std::string julia;  // empty: the Mandelbrot set
  int tiles = 4;
  int workers = 0;
  bool simd = false;
  bool serial = false;
  std::string output;
  std::string colormap = "viridis";
  std::string graph;
  bool mpi = false;
};

// Whether this process prints and writes files. With --mpi every rank runs the whole program, and rank 0
// alone receives the image and reports; a plain run is a single process.
bool reports() {
#if DAGFLOW_WITH_MPI
  return !dagflow::mpi::active() || dagflow::mpi::rank() == 0;
#else
  return true;
#endif
}

using Kernel = Image (*)(const BoundingBox&, const Tile&, int, const Fractal&);

// One delayed task per tile, then one that assembles them.
dagflow::Delayed<Image> tiled_image(const BoundingBox& box, int n, int max_iter, const Fractal& fractal, Kernel kernel) {
  const auto compute_tile_p = dagflow::delayed(kernel, "compute_tile");
  const auto assemble_p = dagflow::delayed(assemble, "assemble");
  const std::vector<Tile> tiles = box.split(n);
  std::vector<dagflow::Delayed<Image>> parts;
  parts.reserve(tiles.size());
  for (const Tile& tile : tiles) parts.push_back(compute_tile_p(box, tile, max_iter, fractal));
  return assemble_p(box.width, box.height, tiles, parts);  // the parts arrive as a std::vector<Image>
}

// The image, on the processes that report it (std::nullopt on the others).
std::optional<Image> compute_image(const dagflow::Delayed<Image>& image_p, const Options& o) {
#if DAGFLOW_WITH_MPI
  if (o.mpi) {
    // Only rank 0 writes the picture, so only rank 0 receives its pixels. Tile i goes to rank i mod size
    // (cyclic): tiles cost up to ~12 times more where the set is, and neighbouring tiles cost alike,
    // so the default blocks of consecutive tiles would give some ranks most of the work.
    return dagflow::mpi::compute_at(0, image_p, {.workers = o.workers, .placement = dagflow::Placement::cyclic});
  }
#endif
  return image_p.compute({.workers = o.workers});
}

int run(const Options& o) {
  const bool julia = !o.julia.empty();
  const BoundingBox box{o.width, o.height, parse_complex(o.center), parse_complex(o.extent)};
  validate(box);
  validate_max_iter(o.max_iter);
  const Fractal fractal = julia ? Fractal::julia_set(parse_complex(o.julia)) : Fractal::mandelbrot_set();
  const Kernel kernel = o.simd ? &compute_tile_simd<> : &compute_tile;
  const Colormap colormap = parse_colormap(o.colormap);

  const auto start = std::chrono::steady_clock::now();
  std::optional<Image> computed;
  if (o.serial) {
    computed = kernel(box, box.whole(), o.max_iter, fractal);
  } else {
    computed = compute_image(tiled_image(box, o.tiles, o.max_iter, fractal, kernel), o);
  }
  const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - start;
  if (!computed) return 0;  // an MPI rank other than 0: its share is done
  const Image& image = *computed;

  // Drawn after computing (Graphviz's drawing time is not counted): with --mpi only rank 0 draws, and
  // should that fail, the other ranks must not be left waiting for it in the computation.
  if (!o.graph.empty() && !o.serial) tiled_image(box, o.tiles, o.max_iter, fractal, kernel).visualize(o.graph);

  std::printf("%s %dx%d, max_iter %d, %s kernel, ", julia ? "julia" : "mandelbrot", box.width, box.height,
              o.max_iter, o.simd ? "simd" : "scalar");
  if (o.serial)
    std::printf("serial loop");
  else
    std::printf("dagflow %dx%d tiles", o.tiles, o.tiles);
  std::printf(": checksum %lld, %.1f ms\n", static_cast<long long>(checksum(image)), elapsed.count());

  const std::string output = o.output.empty() ? (julia ? "julia.png" : "mandelbrot.png") : o.output;
  if (output != "-") {
    write_png(output, image.width, image.height, colourize(image, colormap));
    std::printf("image written to %s\n", output.c_str());
  }
  if (!o.graph.empty() && !o.serial) std::printf("task graph written to %s\n", o.graph.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"Render the Mandelbrot set (or a Julia set) in tiles computed by dagflow tasks."};
  // Limits stated in --help and in the messages: at most 16384 x 16384 pixels (1 GiB of iteration counts).
  app.add_option("--width", o.width, "Image width in pixels, 1 to 16384")->capture_default_str()->check(CLI::Range(1, 16384));
  app.add_option("--height", o.height, "Image height in pixels, 1 to 16384")
      ->capture_default_str()
      ->check(CLI::Range(1, 16384));
  auto* center = app.add_option("--center", o.center, "Centre of the image, e.g. -1.1195+0.2718i")->capture_default_str();
  auto* extent = app.add_option("--extent", o.extent, "Width + height*i of the plane covered")->capture_default_str();
  app.add_option("--max-iter", o.max_iter, "Iterations before a point counts as inside the set, 1 to 10^9")
      ->capture_default_str()
      ->check(CLI::Range(1, 1'000'000'000));
  app.add_option("--julia", o.julia, "Render the Julia set of this constant c instead, e.g. -0.8+0.156i");
  app.add_option("--tiles", o.tiles, "Split the image into N x N tiles, one task each; N from 1 to 1024")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  app.add_option("--workers", o.workers, "Worker threads; 0 uses all cores")->capture_default_str()->check(CLI::NonNegativeNumber);
  app.add_flag("--simd", o.simd, "Use the vectorised kernel (same pixel values)");
  auto* serial = app.add_flag("--serial", o.serial, "Compute the whole image in one plain call instead of tiled tasks");
  app.add_option("-o,--output", o.output, "PNG file to write (default mandelbrot.png or julia.png; - for none)");
  app.add_option("--colormap", o.colormap, "viridis or magma")->capture_default_str();
  app.add_option("--graph", o.graph, "Draw the task graph to FILE (.dot; .svg/.png/.pdf need Graphviz's dot)");
  app.add_flag("--mpi", o.mpi,
               "Run on every rank of an MPI job (start with mpirun/srun); results printed and files written by rank 0")
      ->excludes(serial);
  CLI11_PARSE(app, argc, argv);
  if (!o.julia.empty()) {  // the course's Julia picture: centre 0, extent 4+3i
    if (center->count() == 0) o.center = "0";
    if (extent->count() == 0) o.extent = "4+3i";
  }

#if DAGFLOW_WITH_MPI
  // MPI runs while `session` lives: outside the try block, so that the handler can still ask for the rank.
  std::optional<dagflow::mpi::Session> session;
#else
  if (o.mpi) {
    std::fprintf(stderr, "mandelbrot: this build of dagflow has no MPI (configure with -DDAGFLOW_WITH_MPI=ON)\n");
    return 2;
  }
#endif
  try {
#if DAGFLOW_WITH_MPI
    if (o.mpi) session.emplace(argc, argv);
#endif
    return run(o);
  } catch (const std::exception& e) {
    // With --mpi every rank fails with the same error: rank 0 says it, and every rank exits with 1.
    if (reports()) std::fprintf(stderr, "mandelbrot: %s\n", e.what());
    return 1;
  }
}
