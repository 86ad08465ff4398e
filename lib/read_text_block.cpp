// Reading one block inside its task: its plain or gzip file feeds LineCutter, which gives the owned
// bytes to the collector of read_text (lines) or of read_blocks (one string).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "dagflow/detail/text_blocks.hpp"
#include "line_cutter.hpp"
#include "text_sources.hpp"

namespace dagflow::detail {

namespace {

// A block of a plain file: the lines starting in [block.start, block.end). Reading starts one byte
// early, because whether a line starts at `start` depends on the byte before it.
template <class Collector>
Collector read_plain_block(const TextBlock& block) {
  const PlainFile file(block.path);
  const std::uint64_t from = block.start == 0 ? 0 : block.start - 1;
  const bool to_eof = block.end == TextBlock::to_eof;
  const std::uint64_t owned_end = to_eof ? unlimited : block.end - from;
  const std::uint64_t expected = !to_eof                    ? owned_end
                                 : file.size() == unlimited ? unlimited  // a pipe
                                 : file.size() > from       ? file.size() - from
                                                            : 0;
  Collector out(expected);
  std::uint64_t position = from;
  LineCutter(block.start != 0, owned_end).cut(out, [&](char* destination, std::size_t room) {
    const std::size_t got = file.read(position, destination, room);
    position += got;
    return got;
  });
  return out;
}

// A whole gzip-compressed file, decompressed a chunk at a time.
template <class Collector>
Collector read_gzip_block(const TextBlock& block) {
  GzipFile file(block.path);
  Collector out(file.size_hint());
  LineCutter(false, unlimited).cut(out, [&](char* destination, std::size_t room) {
    return file.read(destination, room);
  });
  file.finish();
  return out;
}

template <class Collector>
Collector read_block(const TextBlock& block) {
  return block.gzip ? read_gzip_block<Collector>(block) : read_plain_block<Collector>(block);
}

}  // namespace

std::vector<std::string> read_text_block(const TextBlock& block) {
  return read_block<LineCollector>(block).take_lines();
}

std::vector<std::string> read_block_text(const TextBlock& block) {
  std::vector<std::string> partition;
  partition.push_back(read_block<TextCollector>(block).take_text());
  return partition;
}

}  // namespace dagflow::detail
