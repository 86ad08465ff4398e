// The compiled half of bag::read_text and bag::read_blocks: cutting the named files into blocks when
// the bag is made (lib/plan_text_blocks.cpp), and reading one block inside its task
// (lib/read_text_block.cpp). The tasks themselves are made in bag_io.hpp, so that lib/ never depends
// on Delayed. Nothing here names zlib, so the public headers stay free of it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "dagflow/compression.hpp"

namespace dagflow::detail {

/// One partition of read_text: the lines of `path` that start in the byte range [start, end).
struct TextBlock {
  /// Marks a block that runs to the end of the file, however long the file is when it is read.
  static constexpr std::uint64_t to_eof = std::numeric_limits<std::uint64_t>::max();

  /// Marks a block without a limit on the length of its lines.
  static constexpr std::uint64_t no_line_limit = std::numeric_limits<std::uint64_t>::max();

  std::filesystem::path path;
  std::uint64_t start = 0;
  std::uint64_t end = to_eof;
  bool gzip = false;
  /// The longest line allowed, in bytes before its "\n" (ReadTextOptions::max_line_length).
  std::uint64_t max_line_length = no_line_limit;
};

/// Expands the glob patterns among `sources` (entries containing '*', '?' or '['), checks that every
/// file exists and can be read, and cuts each regular file into blocks of `blocksize` bytes (a whole
/// file per block when `blocksize` is empty; a gzip file, and a file that is not regular, such as a
/// pipe or a device, is always one block). Only regular files are opened: a FIFO opened and closed
/// here would lose its writer. Every block gets `max_line_length` (empty: no limit).
/// Throws UsageError naming `caller` ("read_text") and the path or pattern: no sources, blocksize 0,
/// max_line_length 0, a missing, unreadable, directory or socket path, a pattern matching no files, a
/// directory a pattern cannot read.
std::vector<TextBlock> plan_text_blocks(std::span<const std::filesystem::path> sources,
                                        std::optional<std::uint64_t> blocksize, bag::Compression compression,
                                        std::optional<std::uint64_t> max_line_length, std::string_view caller);

/// The lines of one block, without their terminators ("\n" or "\r\n"). Throws std::system_error
/// naming the file when the operating system fails, dagflow::Error naming it for corrupt gzip data
/// (an empty file, trailing bytes that are not a gzip member included) and for a line longer than
/// the block's max_line_length.
std::vector<std::string> read_text_block(const TextBlock& block);

/// The text of one block in one string: the bytes of the lines read_text_block gives, each with its
/// terminator (a last line without one stays without). Throws like read_text_block.
std::vector<std::string> read_block_text(const TextBlock& block);

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

}  // namespace dagflow::detail
