// Cutting a block of a text file out of the stream of bytes read from it: LineCutter holds the one
// rule of which lines a block owns, and hands those bytes to a collector, which keeps them as lines
// (LineCollector, for read_text) or as one string of text (TextCollector, for read_blocks).
//
// The two collectors read differently on purpose. LineCollector reads through one small buffer that
// stays in the cache, a chunk at a time, and cuts it into lines as it comes: no buffer the size of the
// block (whose pages the kernel would have to fault in and zero), and each byte is looked at once
// while it is still in the cache. TextCollector reads the block's bytes straight into the string that
// holds them, so that no byte is copied twice.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace dagflow::detail {

/// Bytes per read: under glibc's 128 KiB mmap threshold, and small enough to stay in the cache.
inline constexpr std::size_t read_chunk = std::size_t{1} << 16;

/// A size or position with no limit, or not known (the size of a pipe).
inline constexpr std::uint64_t unlimited = std::numeric_limits<std::uint64_t>::max();

/// Which bytes of one chunk of the stream a block owns: [begin, end). The owned bytes are contiguous
/// in the stream, so a chunk with `begin` > 0 means that nothing before it was owned either.
struct OwnedBytes {
  std::size_t begin;
  std::size_t end;
  bool done;  ///< the block's last line ended in this chunk, or the block turned out to own no line
};

/// Reads a block's stream and gives a collector the bytes of the lines the block owns.
///
/// A block owns the lines that *start* in it, so that every line of a file is in exactly one block.
/// Positions here are offsets into the stream read, which starts one byte before the block (the byte
/// before a block says whether a line starts at its first byte), or at the file's start:
/// - with `skip_first`, the bytes through the first "\n" end a line that started in an earlier block,
///   and are not owned; when that "\n" is at or past position `owned_end` - 1, no line starts in the
///   block and it owns nothing (found without reading past that position);
/// - the lines starting before `owned_end` are owned, the last of them read to its "\n" even past
///   `owned_end`: the block ends at the first "\n" at or past position `owned_end` - 1, or at the end
///   of the stream (a last line needs no "\n").
class LineCutter {
 public:
  /// `owned_end` is `unlimited` for a block that runs to the end of its file.
  LineCutter(bool skip_first, std::uint64_t owned_end) noexcept : skipping_(skip_first), owned_end_(owned_end) {}

  /// Reads the stream with `read(destination, room)` (the number of bytes it stored, 0 at the end)
  /// into the room that `out` offers, until the block's last line is complete or the stream ends,
  /// and hands `out` what it owns of each chunk. A Collector has `std::span<char> room()`, `void
  /// take(std::size_t got, OwnedBytes owned)` and `void end_of_stream()`. Throws what they throw.
  template <class Collector, class Read>
  void cut(Collector& out, Read&& read) {
    for (;;) {
      const std::span<char> room = out.room();
      const std::size_t got = read(room.data(), room.size());
      if (got == 0) {
        out.end_of_stream();
        return;
      }
      const OwnedBytes owned = own(room.data(), got);
      out.take(got, owned);
      if (owned.done) return;
    }
  }

 private:
  // What the block owns of the next `size` bytes of the stream, `data`.
  OwnedBytes own(const char* data, std::size_t size) noexcept {
    const std::uint64_t at = position_;  // stream position of data[0]
    position_ += size;
    // A "\n" at or past `last` starts the next block's first line: it ends the block's last line, or,
    // while skipping, shows that no line starts in the block. `last` > `at` while skipping.
    const std::uint64_t last = owned_end_ - 1;
    std::size_t begin = 0;
    if (skipping_) {
      const std::uint64_t window = last - at;  // the "\n" must come before data + window
      const auto searched = static_cast<std::size_t>(std::min<std::uint64_t>(window, size));
      const auto* newline = static_cast<const char*>(std::memchr(data, '\n', searched));
      if (newline == nullptr) return {size, size, size >= window};
      begin = static_cast<std::size_t>(newline - data) + 1;
      skipping_ = false;
    }
    // The block's last line holds position `last`; only from there on can a "\n" end the block, so
    // the bytes before it need no search (read_blocks reads most of a block without looking at it).
    std::size_t from = begin;
    if (last > at + begin) {
      if (last - at >= size) return {begin, size, false};
      from = static_cast<std::size_t>(last - at);
    }
    const auto* newline = static_cast<const char*>(std::memchr(data + from, '\n', size - from));
    if (newline == nullptr) return {begin, size, false};
    return {begin, static_cast<std::size_t>(newline - data) + 1, true};
  }

  bool skipping_;
  std::uint64_t owned_end_;
  std::uint64_t position_ = 0;  // stream position of the next byte read
};

/// LineCutter's collector for read_text: the owned lines, each without its terminator ("\n", or
/// "\r\n"; a lone "\r" is kept, and so is a "\r" ending a last line without "\n").
class LineCollector {
 public:
  /// `expected_size`: the stream bytes up to the block's end, or `unlimited` when not known; only
  /// for reserving memory.
  explicit LineCollector(std::uint64_t expected_size) : expected_size_(expected_size) { buffer_.resize(read_chunk); }

  /// Where the next bytes go: the rest of the buffer, after moving the unfinished line to the front
  /// of a full buffer, or doubling a buffer that it fills.
  std::span<char> room() {
    if (filled_ == buffer_.size()) {
      if (line_start_ == 0) {
        buffer_.resize(2 * buffer_.size());
      } else {
        std::memmove(buffer_.data(), buffer_.data() + line_start_, filled_ - line_start_);
        offset_ += line_start_;
        filled_ -= line_start_;
        line_start_ = 0;
      }
    }
    return {buffer_.data() + filled_, buffer_.size() - filled_};
  }

  /// Takes the `got` bytes just read into room(), and the lines of those that are owned.
  void take(std::size_t got, OwnedBytes owned) {
    const std::size_t from = filled_;
    filled_ += got;
    if (owned.begin != 0) line_start_ = from + owned.begin;  // nothing before it is owned
    const char* const data = buffer_.data();
    const std::size_t end = from + owned.end;
    for (std::size_t p = from + owned.begin;;) {
      const auto* found = static_cast<const char*>(std::memchr(data + p, '\n', end - p));
      if (found == nullptr) break;
      const auto newline = static_cast<std::size_t>(found - data);
      const std::size_t line_end = newline > line_start_ && data[newline - 1] == '\r' ? newline - 1 : newline;
      lines_.emplace_back(data + line_start_, line_end - line_start_);
      line_start_ = p = newline + 1;
    }
    if (!owned.done) reserve_for_expected_lines();
  }

  /// The stream ended: an unfinished owned line is the block's last.
  void end_of_stream() {
    if (line_start_ < filled_) lines_.emplace_back(buffer_.data() + line_start_, filled_ - line_start_);
  }

  /// The lines collected.
  std::vector<std::string> take_lines() && { return std::move(lines_); }

 private:
  // Reserves room for all the block's lines once the first lines tell their average length, so that
  // the vector is not reallocated (and its strings moved) as it grows.
  void reserve_for_expected_lines() {
    if (reserved_ || lines_.size() < 64 || expected_size_ == unlimited) return;
    reserved_ = true;
    const double bytes_per_line = static_cast<double>(offset_ + line_start_) / static_cast<double>(lines_.size());
    lines_.reserve(static_cast<std::size_t>(static_cast<double>(expected_size_) / bytes_per_line * 1.05) + 16);
  }

  std::string buffer_;
  std::size_t filled_ = 0;      // bytes of buffer_ holding data
  std::size_t line_start_ = 0;  // where the unfinished owned line starts in buffer_ (filled_: none)
  std::uint64_t offset_ = 0;    // stream position of buffer_[0]
  std::uint64_t expected_size_;
  bool reserved_ = false;
  std::vector<std::string> lines_;
};

/// LineCutter's collector for read_blocks: the owned bytes in one string, read straight into it.
class TextCollector {
 public:
  /// `expected_size`: the stream bytes up to the block's end, or `unlimited` when not known.
  explicit TextCollector(std::uint64_t expected_size) : expected_size_(expected_size) {
    // Room for the first small read past the end, which most often finds the last line's "\n" (or
    // the end of the file), so that it does not reallocate the whole text.
    if (expected_size != unlimited) text_.reserve(static_cast<std::size_t>(expected_size) + first_piece);
  }

  /// Where the next bytes go: the end of the text, grown by a chunk up to the expected size, then by
  /// pieces that start small (most lines are) while the last line runs on.
  std::span<char> room() {
    std::size_t wanted = 0;
    if (read_ < expected_size_) {
      wanted = static_cast<std::size_t>(std::min<std::uint64_t>(read_chunk, expected_size_ - read_));
    } else {
      wanted = piece_;
      piece_ = std::min(2 * piece_, read_chunk);
    }
    // Growing by a chunk at a time keeps resize's zeroing in the cache just before the read overwrites it.
    old_size_ = text_.size();
    text_.resize(old_size_ + wanted);
    return {text_.data() + old_size_, wanted};
  }

  /// Keeps what the block owns of the `got` bytes just read into room().
  void take(std::size_t got, OwnedBytes owned) {
    read_ += got;
    text_.resize(old_size_ + owned.end);
    if (owned.begin != 0) text_.erase(old_size_, owned.begin);  // nothing before it is owned
  }

  /// The stream ended: drops the room the last read did not fill.
  void end_of_stream() { text_.resize(old_size_); }

  /// The text collected.
  std::string take_text() && { return std::move(text_); }

 private:
  static constexpr std::size_t first_piece = 256;

  std::string text_;
  std::size_t old_size_ = 0;  // text_'s size before the last room()
  std::uint64_t read_ = 0;    // stream bytes read
  std::uint64_t expected_size_;
  std::size_t piece_ = first_piece;
};

}  // namespace dagflow::detail
