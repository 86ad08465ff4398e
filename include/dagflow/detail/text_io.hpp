// The compiled half of bag::read_text and bag::to_textfiles (lib/text_io.cpp): finding the files,
// cutting them into blocks, reading a block's lines, and writing (optionally gzipped) text files.
// Nothing here names zlib, so the public headers stay free of it.
#pragma once

#include <charconv>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "dagflow/delayed.hpp"

namespace dagflow::detail {

/// How read_text decides whether a file is gzip-compressed (public name: bag::Compression).
enum class TextCompression {
  infer,  ///< gzip when the file name ends in ".gz", otherwise plain text
  none,   ///< always plain text
  gzip,   ///< always gzip
};

/// What a partition of read_text / read_blocks holds: the block's lines, or its text in one string.
enum class TextUnit { lines, blocks };

/// One partition of read_text: the lines of `path` that start in the byte range [start, end).
struct TextBlock {
  /// Marks a block that runs to the end of the file, however long the file is when it is read.
  static constexpr std::uint64_t to_eof = std::numeric_limits<std::uint64_t>::max();

  std::filesystem::path path;
  std::uint64_t start = 0;
  std::uint64_t end = to_eof;
  bool gzip = false;
};

/// Expands the glob patterns among `sources` (entries containing '*', '?' or '['), checks that every
/// file exists and can be opened, and cuts each plain file into blocks of `blocksize` bytes (a whole
/// file per block when `blocksize` is empty; a gzip file is always one block).
/// Throws UsageError naming `caller` ("read_text") and the path or pattern: no sources, blocksize 0,
/// a missing, unreadable or directory path, a pattern matching no files, a directory a pattern
/// cannot read.
std::vector<TextBlock> plan_text_blocks(std::span<const std::filesystem::path> sources,
                                        std::optional<std::uint64_t> blocksize, TextCompression compression,
                                        std::string_view caller);

/// The lines of one block, without their terminators ("\n" or "\r\n"). Throws std::system_error
/// naming the file when the operating system fails, dagflow::Error naming it for corrupt gzip data.
std::vector<std::string> read_text_block(const TextBlock& block);

/// The text of one block in one string: the bytes of the lines read_text_block gives, each with its
/// terminator (a last line without one stays without). Throws like read_text_block.
std::vector<std::string> read_block_text(const TextBlock& block);

/// One task per block of plan_text_blocks(), each producing that block's lines (read_text_block) or
/// its text (read_block_text). Throws like plan_text_blocks.
std::vector<Delayed<std::vector<std::string>>> read_text_partitions(std::span<const std::filesystem::path> sources,
                                                                    std::optional<std::uint64_t> blocksize,
                                                                    TextCompression compression, TextUnit unit);

/// The paths that `sources` name: one path-like value, or each element of a range of them.
template <class Sources>
std::vector<std::filesystem::path> source_paths(const Sources& sources) {
  if constexpr (std::is_constructible_v<std::filesystem::path, const Sources&>) {
    return {std::filesystem::path(sources)};
  } else {
    std::vector<std::filesystem::path> paths;
    for (auto&& source : sources) paths.emplace_back(source);
    return paths;
  }
}

/// The output file names for `count` partitions: every '*' in `pattern` replaced by the partition
/// index, zero-padded to the width of the largest index. Creates the directories they go in.
/// Throws UsageError when `pattern` has no '*' or a directory cannot be created.
std::vector<std::string> text_output_paths(const std::string& pattern, std::size_t count);

/// Writes lines to a file, each followed by "\n", through a large buffer; gzip-compressed when the
/// name ends in ".gz". Not thread-safe; one writer per task.
class TextFileWriter {
 public:
  /// Creates or truncates `path`. Throws std::system_error naming it.
  explicit TextFileWriter(std::string path);
  TextFileWriter(const TextFileWriter&) = delete;
  TextFileWriter& operator=(const TextFileWriter&) = delete;
  /// Closes the file if close() was not called, ignoring errors (an exception is already on its way).
  ~TextFileWriter();

  /// Appends `line` and a "\n". Throws std::system_error or dagflow::Error naming the file.
  void write_line(std::string_view line);
  /// Flushes and closes; the file is complete only when this returned. Throws like write_line.
  void close();

 private:
  void flush();
  [[noreturn]] void fail(const char* what) const;

  std::string path_;
  int fd_ = -1;
  void* gz_ = nullptr;  // gzFile, for .gz names
  std::string buffer_;
};

/// Decimal text of a number in a fixed buffer, so that formatting a number allocates nothing.
class NumberText {
 public:
  template <class N>
  explicit NumberText(N number) noexcept {
    size_ = static_cast<std::size_t>(std::to_chars(data_, data_ + sizeof data_, number).ptr - data_);
  }
  operator std::string_view() const noexcept { return {data_, size_}; }

 private:
  char data_[40];  // room for the shortest round-trip form of any double or 64-bit integer
  std::size_t size_;
};

/// to_textfiles' formatter when none is given: strings as they are, numbers in shortest decimal form.
struct DefaultTextFormat {
  template <class T>
    requires std::is_convertible_v<const T&, std::string_view>
  std::string_view operator()(const T& element) const noexcept {
    return element;
  }
  template <class T>
    requires(std::is_arithmetic_v<T> && !std::is_same_v<T, bool> && !std::is_same_v<T, char>)
  NumberText operator()(T element) const noexcept {
    return NumberText(element);
  }
  std::string_view operator()(bool element) const noexcept { return element ? "true" : "false"; }
};

}  // namespace dagflow::detail
