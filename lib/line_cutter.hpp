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
/// The smallest buffer read_text starts a block with.
inline constexpr std::size_t min_read_chunk = std::size_t{1} << 12;

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
///
/// Every owned line must be at most `max_line_length` bytes long, counting the bytes before its "\n"
/// (a "\r" of a "\r\n" counts): cut() stops at the first longer one, without reading far past the
/// limit, so that data without line breaks (/dev/zero) cannot exhaust memory.
class LineCutter {
 public:
  /// `owned_end` is `unlimited` for a block that runs to the end of its file; `max_line_length` is
  /// `unlimited` for no limit.
  LineCutter(bool skip_first, std::uint64_t owned_end, std::uint64_t max_line_length) noexcept
      : skipping_(skip_first), owned_end_(owned_end), max_line_length_(max_line_length) {}

  /// Reads the stream with `read(destination, room)` (the number of bytes it stored, 0 at the end)
  /// into the room that `out` offers, until the block's last line is complete or the stream ends,
  /// and hands `out` what it owns of each chunk. A Collector has `std::span<char> room()`, `void
  /// take(std::size_t got, OwnedBytes owned)` and `void end_of_stream()`. Returns false, having
  /// stopped reading, when an owned line is longer than `max_line_length` (too_long_line_start()
  /// then says where it starts); true otherwise. Throws what `read` and the collector throw.
  template <class Collector, class Read>
  [[nodiscard]] bool cut(Collector& out, Read&& read) {
    for (;;) {
      const std::span<char> room = out.room();
      const std::size_t got = read(room.data(), room.size());
      if (got == 0) {
        out.end_of_stream();
        return true;
      }
      const std::uint64_t at = position_;
      const OwnedBytes owned = own(room.data(), got);
      // Checked before take(), which may move the bytes (TextCollector drops those not owned).
      if (!lines_fit(room.data(), at, owned)) return false;
      out.take(got, owned);
      if (owned.done) return true;
    }
  }

  /// The stream position where the line that made cut() return false starts.
  std::uint64_t too_long_line_start() const noexcept { return line_start_; }

 private:
  // Whether the owned lines of `data` (the chunk at stream position `at`) fit the limit; keeps
  // line_start_ at the start of the last owned line, the one that may go on in the next chunk.
  // Each loop looks at most limit + 1 bytes back from a line's start, and the last search goes back
  // from the end of the chunk to its last "\n": with a large limit and ordinary lines, a few bytes
  // per chunk, so read_blocks keeps its speed.
  bool lines_fit(const char* data, std::uint64_t at, OwnedBytes owned) noexcept {
    if (max_line_length_ == unlimited || owned.begin == owned.end) return true;
    // The owned bytes are contiguous in the stream: owned bytes after a gap start a line.
    if (owned.begin != 0 || !started_) line_start_ = at + owned.begin;
    started_ = true;
    const std::uint64_t end = at + owned.end;
    const std::uint64_t first = at + owned.begin;
    while (end - line_start_ > max_line_length_) {
      // The line starting at line_start_ needs its "\n" at or before line_start_ + max_line_length_.
      // Earlier chunks hold no "\n" after line_start_ (kept so below), so this chunk is searched.
      const std::uint64_t from = std::max(line_start_, first);
      const std::uint64_t window_end = line_start_ + max_line_length_ + 1;  // <= end: no overflow
      if (window_end <= from) return false;
      const void* newline = memrchr(data + (from - at), '\n', static_cast<std::size_t>(window_end - from));
      if (newline == nullptr) return false;
      line_start_ = at + static_cast<std::uint64_t>(static_cast<const char*>(newline) - data) + 1;
    }
    const std::uint64_t from = std::max(line_start_, first);
    const void* newline = memrchr(data + (from - at), '\n', static_cast<std::size_t>(end - from));
    if (newline != nullptr) line_start_ = at + static_cast<std::uint64_t>(static_cast<const char*>(newline) - data) + 1;
    return true;
  }

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
  std::uint64_t max_line_length_;
  std::uint64_t position_ = 0;    // stream position of the next byte read
  std::uint64_t line_start_ = 0;  // stream position of the last owned line's start
  bool started_ = false;          // some owned bytes were seen
};

/// LineCutter's collector for read_text: the owned lines, each without its terminator ("\n", or
/// "\r\n"; a lone "\r" is kept, and so is a "\r" ending a last line without "\n").
class LineCollector {
 public:
  /// `expected_size`: the stream bytes up to the block's end, or `unlimited` when not known; only
  /// for reserving memory. `max_line_length`: LineCutter's limit (`unlimited` for none), so that the
  /// buffer never grows past what the longest allowed line needs.
  LineCollector(std::uint64_t expected_size, std::uint64_t max_line_length)
      : expected_size_(expected_size), max_line_length_(max_line_length) {
    // A small block starts with a small buffer (which grows if its last line runs on): a 64 KiB buffer
    // allocated and zeroed for each of thousands of tiny blocks was most of what reading them cost.
    buffer_.resize(static_cast<std::size_t>(std::clamp<std::uint64_t>(expected_size, min_read_chunk, read_chunk)));
  }

  /// Where the next bytes go: the rest of the buffer, after moving the unfinished line to the front
  /// of a full buffer, or growing a buffer that it fills.
  std::span<char> room() {
    if (filled_ == buffer_.size()) {
      if (line_start_ == 0) {
        buffer_.resize(grown_size());
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
  // Double the buffer, but no further than one byte past the longest allowed line: a line filling
  // that much is too long, and LineCutter stops there. Doubling alone would let /dev/zero take twice
  // the limit's memory. (A full buffer holding one line is at most the limit long, so this grows.)
  std::size_t grown_size() const noexcept {
    const std::size_t doubled = 2 * buffer_.size();
    if (max_line_length_ >= doubled) return doubled;
    return std::max(buffer_.size() + 1, static_cast<std::size_t>(max_line_length_) + 1);
  }

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
  std::uint64_t max_line_length_;
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
