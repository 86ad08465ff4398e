// Word count with a bag: the course's chapter "Map and reduce". In Dask,
//
//   import dask.bag as db
//   counts = db.read_text("books/*.txt").str.lower().str.split().flatten().frequencies()
//   counts.topk(20, key=lambda pair: pair[1]).compute()
//
// Here the bag's partitions are blocks of the input files (--blocksize), counted in parallel and
// merged as a tree:
//
//   read_blocks    read_blocks ...  read_blocks     the text of a block of whole lines each
//       |              |                |
//   count words    count words ...  count words     lower-case, split, count: (word, count) pairs
//        \             |               /
//             merge the counts                      (word, count) for every distinct word
//            /         |        \                  three readers of the counts
//         topk       count      sum                 top words, distinct words, total words
//
// pipeline.hpp builds it two ways: the course's chain step for step on read_text's lines (--literal),
// and by default a faster graph of the same shape that reads each block as one string and counts it in
// one pass, instead of making a string per line and per word. Both give exactly the same counts.
//
//   wordcount /usr/share/common-licenses/*          # top 20 words of the licences
//   wordcount --literal --top 5 book.txt             # the course's map/flatten/frequencies chain
//   wordcount --serial book.txt                      # a plain single-threaded loop, for comparison
//   wordcount --graph wordcount.svg 'books/*.txt'    # draw the task graph
//   mpirun -n 4 wordcount --mpi 'books/*.txt'        # the same graph on the 4 processes of an MPI job
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

#include <dagflow/bag.hpp>
#include <dagflow/bag_io.hpp>
#include <dagflow/dagflow.hpp>
#if DAGFLOW_WITH_MPI  // (from <dagflow/config.hpp>) only builds with MPI have dagflow::mpi to link
#include <dagflow/mpi.hpp>
#endif

#include "inputs.hpp"
#include "memory.hpp"
#include "pipeline.hpp"
#include "serial_count.hpp"

namespace {

using namespace wordcount;

struct Options {
  std::vector<std::string> files;
  std::size_t top = 20;
  std::optional<std::size_t> blocksize;  // unset: default_blocksize(); 0: one partition per file
  int workers = 0;
  bool literal = false;
  bool serial = false;
  std::string graph;
  bool mpi = false;
};

// Whether this process prints and writes files. With --mpi every rank runs the whole program and
// computes the same summary, so rank 0 alone reports it; a plain run is a single process.
bool reports() {
#if DAGFLOW_WITH_MPI
  return !dagflow::mpi::active() || dagflow::mpi::rank() == 0;
#else
  return true;
#endif
}

// The task graph: the text of the files, its word counts, and the summary of those. With --mpi every
// rank must build the same graph, so give --workers or --blocksize when the nodes' core counts differ.
dagflow::Delayed<Summary> word_count(const Options& o) {
  unsigned workers = o.workers > 0 ? static_cast<unsigned>(o.workers) : std::thread::hardware_concurrency();
#if DAGFLOW_WITH_MPI
  if (o.mpi) workers *= static_cast<unsigned>(dagflow::mpi::size());  // the partitions are shared by every rank
#endif
  const std::size_t bytes = o.blocksize ? *o.blocksize : default_blocksize(o.files, workers);
  const dagflow::bag::ReadTextOptions read{.blocksize = bytes > 0 ? std::optional(bytes) : std::nullopt};
  if (o.literal) return summarize(course_word_counts(dagflow::bag::read_text(o.files, read)), o.top);
  return summarize(fast_word_counts(dagflow::bag::read_blocks(o.files, read)), o.top);
}

void print(const Summary& summary) {
  std::printf("%12s  %s\n", "count", "word");
  for (const auto& [word, count] : summary.top) std::printf("%12zu  %s\n", count, word.c_str());
  std::printf("total words: %zu\ndistinct words: %zu\n", summary.total_words, summary.distinct_words);
}

int run(const Options& o) {
  const auto start = std::chrono::steady_clock::now();
  Summary summary;
  const char* how = "serial loop";
  if (o.serial) {
    summary = count_files_serially(o.files, o.top);
  } else {
    const dagflow::Delayed<Summary> summary_p = word_count(o);
    // With --mpi the ranks share the blocks, and every rank gets the summary (Summary has serialize()).
    summary = summary_p.compute(
        {.scheduler = o.mpi ? dagflow::Scheduler::mpi : dagflow::Scheduler::threads, .workers = o.workers});
    how = o.literal ? "dagflow, course's pipeline" : "dagflow";
    // Drawn after computing: with --mpi only rank 0 draws, and should that fail, the other ranks must
    // not be left waiting for it in compute().
    if (!o.graph.empty() && reports()) summary_p.visualize(o.graph);
  }
  const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - start;
  if (!reports()) return 0;

  print(summary);
  std::printf("time: %.1f ms (%s)\n", elapsed.count(), how);
  if (!o.graph.empty() && !o.serial) std::printf("task graph written to %s\n", o.graph.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"Count the words of text files with a dagflow bag: the most frequent words, and the numbers of "
               "words and of distinct words. A word is a run of [a-z0-9'] after lower-casing ASCII letters."};
  app.add_option("files", o.files, "Text files or glob patterns ('books/*.txt'); .gz files are decompressed")
      ->required();
  // CLI11 reads "-1" into an unsigned as its largest value, so the ranges also catch negative numbers.
  app.add_option("-n,--top", o.top, "How many of the most frequent words to print, 0 to 10^6")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{0}, std::size_t{1'000'000}));
  app.add_option("-b,--blocksize", o.blocksize,
                 "Bytes per partition (e.g. 4MiB, 512k), at most 1TiB; 0: one partition per file. Default: "
                 "about four partitions per worker, from 1 to 12 MiB")
      ->check(CLI::Validator(
          [](const std::string& text) {
            return text.find('-') == std::string::npos ? std::string() : "blocksize cannot be negative: " + text;
          },
          "SIZE", "non-negative"))
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::Range(std::size_t{0}, std::size_t{1} << 40));
  app.add_option("-w,--workers", o.workers, "Worker threads; 0 uses all cores")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  auto* serial = app.add_flag("--serial", o.serial, "Count in a plain single-threaded loop instead of the task graph");
  app.add_flag("--literal", o.literal, "Use the course's map(lower).map(split).flatten().frequencies() chain")
      ->excludes(serial);
  app.add_option("-g,--graph", o.graph, "Draw the task graph to FILE (.dot; .svg/.png/.pdf need Graphviz's dot)")
      ->excludes(serial);
  app.add_flag("--mpi", o.mpi,
               "Run on every rank of an MPI job (start with mpirun/srun); results printed and files written by rank 0")
      ->excludes(serial);
  CLI11_PARSE(app, argc, argv);
  keep_freed_memory();

#if DAGFLOW_WITH_MPI
  // MPI runs while `session` lives: outside the try block, so that the handler can still ask for the rank.
  std::optional<dagflow::mpi::Session> session;
#else
  if (o.mpi) {
    std::fprintf(stderr, "wordcount: this build of dagflow has no MPI (configure with -DDAGFLOW_WITH_MPI=ON)\n");
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
    if (reports()) std::fprintf(stderr, "wordcount: %s\n", e.what());
    return 1;
  }
}
