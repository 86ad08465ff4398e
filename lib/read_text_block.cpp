// Reading one block inside its task: its plain or gzip file feeds LineCutter, which gives the owned
// bytes to the collector of read_text (lines) or of read_blocks (one string).
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "dagflow/detail/text_blocks.hpp"
#include "dagflow/errors.hpp"
#include "line_cutter.hpp"
#include "posix_file.hpp"
#include "text_sources.hpp"

namespace dagflow::detail {

namespace {

// The error of a line longer than the block's max_line_length; `where` says where it starts.
[[noreturn]] void throw_line_too_long(std::string_view caller, const TextBlock& block, const std::string& where) {
  throw Error("dagflow: " + std::string(caller) + ": " + in_quotes(block.path) +
              ": a line is longer than max_line_length (" + std::to_string(block.max_line_length) +
              " bytes); it starts " + where);
}

// LineCollector also takes the limit, to bound its buffer; TextCollector has no use for it.
template <class Collector>
Collector make_collector(std::uint64_t expected_size, const TextBlock& block) {
  if constexpr (std::is_constructible_v<Collector, std::uint64_t, std::uint64_t>) {
    return Collector(expected_size, block.max_line_length);
  } else {
    return Collector(expected_size);
  }
}

// A block of a plain file: the lines starting in [block.start, block.end). Reading starts one byte
// early, because whether a line starts at `start` depends on the byte before it.
template <class Collector>
Collector read_plain_block(const TextBlock& block, std::string_view caller) {
  const PlainFile file(block.path);
  const std::uint64_t from = block.start == 0 ? 0 : block.start - 1;
  const bool to_eof = block.end == TextBlock::to_eof;
  const std::uint64_t owned_end = to_eof ? unlimited : block.end - from;
  const std::uint64_t expected = !to_eof                    ? owned_end
                                 : file.size() == unlimited ? unlimited  // a pipe
                                 : file.size() > from       ? file.size() - from
                                                            : 0;
  Collector out = make_collector<Collector>(expected, block);
  std::uint64_t position = from;
  LineCutter cutter(block.start != 0, owned_end, block.max_line_length);
  const bool fits = cutter.cut(out, [&](char* destination, std::size_t room) {
    const std::size_t got = file.read(position, destination, room);
    position += got;
    return got;
  });
  if (!fits) throw_line_too_long(caller, block, "at byte " + std::to_string(from + cutter.too_long_line_start()));
  return out;
}

// A whole gzip-compressed file, decompressed a chunk at a time.
template <class Collector>
Collector read_gzip_block(const TextBlock& block, std::string_view caller) {
  GzipFile file(block.path);
  Collector out = make_collector<Collector>(file.size_hint(), block);
  LineCutter cutter(false, unlimited, block.max_line_length);
  const bool fits = cutter.cut(out, [&](char* destination, std::size_t room) { return file.read(destination, room); });
  if (!fits)
    throw_line_too_long(caller, block,
                        "at byte " + std::to_string(cutter.too_long_line_start()) + " of the decompressed data");
  return out;
}

template <class Collector>
Collector read_block(const TextBlock& block, std::string_view caller) {
  return block.gzip ? read_gzip_block<Collector>(block, caller) : read_plain_block<Collector>(block, caller);
}

}  // namespace

std::vector<std::string> read_text_block(const TextBlock& block) {
  return read_block<LineCollector>(block, "read_text").take_lines();
}

std::vector<std::string> read_block_text(const TextBlock& block) {
  std::vector<std::string> partition;
  partition.push_back(read_block<TextCollector>(block, "read_blocks").take_text());
  return partition;
}

}  // namespace dagflow::detail
