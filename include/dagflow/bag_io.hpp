// Bags from and to text files, as Dask's `db.read_text` and `Bag.to_textfiles`.
//
//   auto lines = dagflow::bag::read_text("books/*.txt", {.blocksize = 1 << 20});   // nothing read yet
//   auto blocks = dagflow::bag::read_blocks("books/*.txt", {.blocksize = 1 << 20}); // a string per block
//   auto paths = dagflow::bag::to_textfiles(lines, "out/part-*.txt.gz");         // runs the graph
//
// The files are listed when read_text() is called, so a missing file fails at once; they are read
// inside the tasks, in parallel, each time the bag is computed.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <ranges>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dagflow/bag.hpp"
#include "dagflow/compression.hpp"
#include "dagflow/delayed.hpp"
#include "dagflow/detail/text_blocks.hpp"
#include "dagflow/detail/text_output.hpp"
#include "dagflow/options.hpp"

namespace dagflow::detail {

/// The partitions of read_text and read_blocks: one task per block that plan_text_blocks cuts
/// `sources` into, each making its partition with `read` (a delayed read_text_block or
/// read_block_text). Made here rather than in lib/ so that the compiled text code never depends on
/// Delayed. Throws like plan_text_blocks.
template <class Read>
std::vector<Delayed<std::vector<std::string>>> text_block_tasks(
    const Read& read, std::span<const std::filesystem::path> sources, std::optional<std::uint64_t> blocksize,
    bag::Compression compression, std::optional<std::uint64_t> max_line_length, std::string_view caller) {
  std::vector<TextBlock> blocks = plan_text_blocks(sources, blocksize, compression, max_line_length, caller);
  std::vector<Delayed<std::vector<std::string>>> partitions;
  partitions.reserve(blocks.size());
  for (TextBlock& block : blocks) partitions.push_back(read(std::move(block)));
  return partitions;
}

}  // namespace dagflow::detail

namespace dagflow::bag {

/// Options of read_text and read_blocks. Plain data: nothing is checked, or thrown, until read_text or
/// read_blocks is called with them.
struct ReadTextOptions {
  /// Bytes per partition: a plain file larger than this is cut into blocks of this many bytes, each a
  /// partition holding the lines that *start* in it (so every line is in exactly one partition, and
  /// a block's last line may run past the block's end; a block inside a long line may hold none). A
  /// file of n bytes thus gives ceil(n / blocksize) partitions, one when it is empty. Unset (the
  /// default, as in Dask): one partition per file. Zero is a UsageError. A gzip file is always one
  /// partition, since a gzip stream cannot be entered in the middle, and so is a file whose size is
  /// not known in advance (a FIFO, a pipe's /dev/fd/N, a device).
  std::optional<std::size_t> blocksize = std::nullopt;
  /// Which files are gzip-compressed (see Compression).
  Compression compression = Compression::infer;
  /// The longest line accepted, in bytes before its "\n" (the "\r" of a "\r\n" counts). Reading a
  /// longer line makes compute() throw TaskError whose original() is a dagflow::Error naming the file,
  /// the limit and where the line starts, instead of running out of memory on data without line
  /// breaks (`read_text("/dev/zero")`). Checked on every line of read_text and of read_blocks alike
  /// (read_blocks' text is the same lines), of plain, gzip and non-regular files; reading stops
  /// about one limit past the line's start. Default 1 GiB; std::nullopt for no limit; zero is a
  /// UsageError.
  std::optional<std::size_t> max_line_length = std::size_t{1} << 30;
};

/// File names and glob patterns for read_text and read_blocks: one path-like value (a
/// std::filesystem::path, std::string, const char*), or a range of them (a std::vector<std::string>).
template <class Sources>
concept TextSources = std::constructible_from<std::filesystem::path, const Sources&> ||
                      (std::ranges::input_range<Sources> &&
                       std::constructible_from<std::filesystem::path, std::ranges::range_reference_t<const Sources&>>);

/// A bag of the lines of text files, each without its terminator ("\n", or "\r\n"; a lone "\r" is
/// kept). A last line without a "\n" is still a line; an empty file has none. Bytes are passed through
/// unchanged (no decoding; a UTF-8 byte-order mark stays at the start of the first line).
///
/// `sources` are file names and glob patterns: an entry containing '*', '?' or '[' is expanded with
/// glob(3) (no "**"; a backslash escapes a special character), matching files in sorted order and
/// skipping directories. Partitions follow the order of `sources`, then of the matches, then of the
/// blocks in a file.
///
/// Files that are not regular (a FIFO, /dev/stdin, a process substitution's /dev/fd/N, a device) are
/// not opened when the bag is made, only checked with stat and access: their stream is read when the
/// partition's task runs, once per compute. So a FIFO's writer meets exactly one reader per compute
/// (the task waits for a writer to open it, as `cat` would), and a stream that cannot be read again
/// (a pipe whose writer is gone) reads as empty, or waits for a new writer, when the bag is computed
/// again: persist() the bag to keep what was read.
///
/// Throws UsageError naming the problem when no sources are given, blocksize or max_line_length is
/// 0, a file does not exist, is a directory or a socket or cannot be opened, a pattern matches no
/// files, or a directory a pattern needs cannot be read. A file that cannot be read later, when the
/// bag is computed, makes compute() throw TaskError; its original() is a std::system_error (a
/// dagflow::Error for a line longer than max_line_length, and for gzip data that is corrupt,
/// truncated, empty or followed by bytes that are not another gzip member) whose message names the
/// file.
inline Bag<std::string> read_text(const std::vector<std::filesystem::path>& sources,
                                  const ReadTextOptions& options = {}) {
  static const auto read_lines = delayed(&detail::read_text_block, "read_text");
  return from_delayed(detail::text_block_tasks(read_lines, sources, options.blocksize, options.compression,
                                               options.max_line_length, "read_text"));
}

/// read_text of one file name or glob pattern (`read_text("data/*.txt")`), or of a range of them.
/// Throws like read_text.
template <TextSources Sources>
Bag<std::string> read_text(const Sources& sources, const ReadTextOptions& options = {}) {
  return read_text(detail::source_paths(sources), options);
}

/// A bag with one element per partition of read_text(sources, options): the text of that partition's
/// lines in one string, every line with its terminator as in the file (a last line without one stays
/// without). Dask's `read_bytes(..., delimiter=b"\n")`, as a bag: for work that scans text in bulk,
/// where a string per line would cost more than the work itself (a memory allocation and a copy per
/// line; a third of a word count's time). Same partitions, sources, options and errors as read_text.
inline Bag<std::string> read_blocks(const std::vector<std::filesystem::path>& sources,
                                    const ReadTextOptions& options = {}) {
  static const auto read_text_of_block = delayed(&detail::read_block_text, "read_blocks");
  return from_delayed(detail::text_block_tasks(read_text_of_block, sources, options.blocksize, options.compression,
                                               options.max_line_length, "read_blocks"));
}

/// read_blocks of one file name or glob pattern, or of a range of them. Throws like read_text.
template <TextSources Sources>
Bag<std::string> read_blocks(const Sources& sources, const ReadTextOptions& options = {}) {
  return read_blocks(detail::source_paths(sources), options);
}

/// A function turning an element of a bag into the text of its line for to_textfiles: anything
/// returning something convertible to std::string_view (std::string, std::string_view, const char*).
template <class F, class T>
concept TextFormatter = std::copy_constructible<F> && std::invocable<const F&, const T&> &&
                        std::convertible_to<std::invoke_result_t<const F&, const T&>, std::string_view>;

/// Element types to_textfiles writes without a formatter: strings, and numbers (shortest decimal form
/// that reads back to the same value; bool as true/false).
template <class T>
concept DefaultTextElement = TextFormatter<detail::DefaultTextFormat, T>;

/// The lazy form of to_textfiles: one task per partition, each writing its file and producing its
/// path. The output directories are created, and the pattern checked, now; nothing is written until
/// the tasks run. Throws like to_textfiles.
template <class T, TextFormatter<T> Format>
std::vector<Delayed<std::string>> to_textfiles_delayed(const Bag<T>& bag, const std::string& pattern, Format format) {
  auto partitions = bag.to_delayed();
  const std::vector<std::string> paths = detail::text_output_paths(pattern, partitions.size());
  const auto write = delayed(
      [format = std::move(format)](const std::vector<T>& elements, const std::string& path) {
        detail::TextFileWriter file(path);
        for (const T& element : elements) file.write_line(format(element));
        file.close();
        return path;
      },
      "to_textfiles");
  std::vector<Delayed<std::string>> written;
  written.reserve(paths.size());
  for (std::size_t i = 0; i < paths.size(); ++i) written.push_back(write(partitions[i], paths[i]));
  return written;
}

/// to_textfiles_delayed for strings and numbers (see DefaultTextElement). Throws like to_textfiles.
template <DefaultTextElement T>
std::vector<Delayed<std::string>> to_textfiles_delayed(const Bag<T>& bag, const std::string& pattern) {
  return to_textfiles_delayed(bag, pattern, detail::DefaultTextFormat{});
}

/// Writes one text file per partition and returns their paths in partition order, computing the bag
/// now (as Dask's default `compute=True`). Each element becomes one line, `format(element)` followed
/// by "\n" (an element containing "\n" therefore reads back as several lines).
///
/// Every '*' in `pattern` is replaced by the partition index, zero-padded to the width of the
/// largest index ("part-07" of 12 partitions), so that `read_text` of the same pattern reads the
/// files back in partition order. Missing directories are created. A name ending in ".gz" is written
/// gzip-compressed.
///
/// Throws UsageError when `pattern` has no '*' or a directory cannot be created; TaskError when a
/// file cannot be written (original(): std::system_error naming the file) or a task of the bag fails.
template <class T, TextFormatter<T> Format>
std::vector<std::string> to_textfiles(const Bag<T>& bag, const std::string& pattern, Format format,
                                      const ComputeOptions& options = {}) {
  return compute(to_textfiles_delayed(bag, pattern, std::move(format)), options);
}

/// to_textfiles for strings and numbers (see DefaultTextElement). Throws like to_textfiles.
template <DefaultTextElement T>
std::vector<std::string> to_textfiles(const Bag<T>& bag, const std::string& pattern,
                                      const ComputeOptions& options = {}) {
  return to_textfiles(bag, pattern, detail::DefaultTextFormat{}, options);
}

}  // namespace dagflow::bag
