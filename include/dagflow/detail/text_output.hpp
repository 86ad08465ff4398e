// The compiled half of bag::to_textfiles (lib/text_output.cpp): naming the output files, and writing
// (optionally gzipped) lines to one; plus the formatting of elements that the header templates do.
// Nothing here names zlib, so the public headers stay free of it.
#pragma once

#include <charconv>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "dagflow/atomic_file.hpp"

namespace dagflow::detail {

/// The output file names for `count` partitions: every '*' in `pattern` replaced by the partition
/// index, zero-padded to the width of the largest index. Creates the directories they go in.
/// Throws UsageError when `pattern` has no '*' or a directory cannot be created.
std::vector<std::string> text_output_paths(const std::string& pattern, std::size_t count);

/// Writes lines to a file, each followed by "\n", through a large buffer; gzip-compressed when the
/// name ends in ".gz". The lines go to a temporary file that close() renames to `path` (see AtomicFile),
/// so an interrupted write never leaves a partial file under that name. Not thread-safe; one writer per
/// task.
class TextFileWriter {
 public:
  /// Creates the temporary file beside `path`. Throws std::system_error naming `path`.
  explicit TextFileWriter(std::string path);
  TextFileWriter(const TextFileWriter&) = delete;
  TextFileWriter& operator=(const TextFileWriter&) = delete;
  /// Closes and removes the temporary file if close() was not called, ignoring errors (an exception is
  /// already on its way).
  ~TextFileWriter();

  /// Appends `line` and a "\n". Throws std::system_error or dagflow::Error naming the file.
  void write_line(std::string_view line);
  /// Flushes, closes and renames the file to its name; it exists under that name only when this
  /// returned. Throws like write_line.
  void close();

 private:
  void flush();
  [[noreturn]] void fail(const char* what) const;

  std::string path_;
  AtomicFile file_;
  int fd_ = -1;
  void* gz_ = nullptr;  // gzFile, for .gz names; void* keeps zlib out of this header
  std::string buffer_;
};

/// Decimal text of a number in a fixed buffer, so that formatting a number allocates nothing.
/// Throws nothing.
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

/// to_textfiles' formatter when none is given: strings as they are, numbers in shortest decimal form,
/// bool as true/false. Throws nothing.
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
