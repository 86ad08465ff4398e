// Text files for bags: listing and globbing at call time, block reading and line splitting inside the
// tasks, and the buffered (optionally gzip) writer behind to_textfiles.
#include "dagflow/detail/text_io.hpp"

#include <fcntl.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <limits>
#include <string_view>
#include <system_error>
#include <utility>

#include "dagflow/errors.hpp"

namespace dagflow::detail {

namespace fs = std::filesystem;

namespace {

// Appending (rather than "'" + ... + "'") also sidesteps a false -Wrestrict in g++ 12's <string>.
std::string in_quotes(const fs::path& path) {
  std::string quoted;
  quoted.reserve(path.native().size() + 2);
  return quoted.append(1, '\'').append(path.native()).append(1, '\'');
}

// strerror's text, without strerror's shared buffer (tasks run on several threads).
std::string os_message(int error) { return std::generic_category().message(error); }

/// "dagflow: read_text: " or "dagflow: read_blocks: ", for the messages of bad input.
std::string prefix(std::string_view caller) {
  std::string text = "dagflow: ";
  return text.append(caller).append(": ");
}

[[noreturn]] void throw_os_error(int error, const std::string& what) {
  throw std::system_error(error, std::generic_category(), "dagflow: " + what);
}

// --- Listing ----------------------------------------------------------------------------------------

bool is_glob_pattern(const std::string& source) { return source.find_first_of("*?[") != std::string::npos; }

// glob(3) reports unreadable directories through a plain function pointer; the first such error of
// the calling thread's current expansion is kept here.
struct GlobFailure {
  std::string path;
  int error = 0;
};
thread_local GlobFailure glob_failure;

int on_glob_error(const char* path, int error) noexcept {
  // A missing or non-directory component just means "no match"; anything else (EACCES, EIO) would
  // silently drop files, so it stops the expansion.
  if (error == ENOENT || error == ENOTDIR) return 0;
  glob_failure.error = error;
  try {
    glob_failure.path = path;
  } catch (...) {  // an exception must not cross glob's C frames; the message just lacks the path
  }
  return 1;
}

class GlobResult {
 public:
  GlobResult() noexcept { std::memset(&glob_, 0, sizeof glob_); }
  GlobResult(const GlobResult&) = delete;
  GlobResult& operator=(const GlobResult&) = delete;
  ~GlobResult() { ::globfree(&glob_); }
  glob_t* get() noexcept { return &glob_; }

 private:
  glob_t glob_;
};

/// The non-directory files matching `pattern`, sorted by name (glob's order).
std::vector<fs::path> expand_glob(const std::string& pattern, std::string_view caller) {
  GlobResult result;
  glob_failure = {};
  const int status = ::glob(pattern.c_str(), 0, &on_glob_error, result.get());
  if (status == GLOB_NOSPACE) throw std::bad_alloc();
  if (status == GLOB_ABORTED)
    throw UsageError(prefix(caller) + "pattern '" + pattern + "': cannot read directory " +
                     in_quotes(glob_failure.path) + ": " + os_message(glob_failure.error));
  std::vector<fs::path> files;
  if (status == 0) {
    for (std::size_t i = 0; i < result.get()->gl_pathc; ++i) {
      fs::path match(result.get()->gl_pathv[i]);
      std::error_code error;
      if (!fs::is_directory(match, error)) files.push_back(std::move(match));
    }
  }
  if (files.empty()) throw UsageError(prefix(caller) + "pattern '" + pattern + "' matches no files");
  return files;
}

/// Opens `path` for reading; returns the descriptor or -1 with errno set.
int open_for_reading(const fs::path& path) noexcept { return ::open(path.c_str(), O_RDONLY | O_CLOEXEC); }

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) noexcept : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const noexcept { return fd_; }
  /// Gives up ownership (to a gzFile that will close it).
  void release() noexcept { fd_ = -1; }

 private:
  int fd_;
};

/// Checks, at read_text() time, that `path` is a file we can open; returns its size, or nothing for a
/// file whose size is not known in advance (a pipe, a device).
std::optional<std::uint64_t> checked_file_size(const fs::path& path, std::string_view caller) {
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (status.type() == fs::file_type::not_found)
    throw UsageError(prefix(caller) + "file " + in_quotes(path) + " does not exist");
  if (error) throw UsageError(prefix(caller) + "cannot access " + in_quotes(path) + ": " + error.message());
  if (fs::is_directory(status)) throw UsageError(prefix(caller) + "" + in_quotes(path) + " is a directory");
  FileDescriptor fd(open_for_reading(path));
  if (fd.get() < 0)
    throw UsageError(prefix(caller) + "cannot open " + in_quotes(path) + ": " + os_message(errno));
  if (!fs::is_regular_file(status)) return std::nullopt;
  const std::uint64_t size = fs::file_size(path, error);
  if (error) throw UsageError(prefix(caller) + "cannot get the size of " + in_quotes(path) + ": " + error.message());
  return size;
}

bool is_gzip(const fs::path& path, TextCompression compression) {
  switch (compression) {
    case TextCompression::gzip:
      return true;
    case TextCompression::none:
      return false;
    case TextCompression::infer:
      break;
  }
  return path.extension() == ".gz";
}

void add_blocks(const fs::path& path, std::optional<std::uint64_t> blocksize, TextCompression compression,
                std::string_view caller, std::vector<TextBlock>& blocks) {
  const std::optional<std::uint64_t> size = checked_file_size(path, caller);
  const bool gzip = is_gzip(path, compression);
  // A gzip stream cannot be entered in the middle, and a file of unknown size cannot be cut.
  if (gzip || !blocksize || !size || *size <= *blocksize) {
    blocks.push_back({path, 0, TextBlock::to_eof, gzip});
    return;
  }
  const std::uint64_t bs = *blocksize;
  for (std::uint64_t start = 0; start < *size; start += bs) {
    // The last block runs to the end of the file so that bytes appended since listing are not lost.
    const std::uint64_t end = *size - start <= bs ? TextBlock::to_eof : start + bs;
    blocks.push_back({path, start, end, false});
  }
}

// --- Reading ----------------------------------------------------------------------------------------
//
// For read_text, a block is read through one small buffer that stays in the cache, a chunk at a time,
// and cut into lines as it comes: no buffer the size of the block (whose pages the kernel would have
// to fault in and zero), and each byte is looked at once while it is still in the cache. For
// read_blocks, the block's bytes are read straight into the string that holds them.

constexpr std::size_t read_chunk = std::size_t{1} << 16;  // under glibc's 128 KiB mmap threshold

/// A size or position with no limit, or not known (the size of a pipe).
constexpr std::uint64_t unlimited = std::numeric_limits<std::uint64_t>::max();

/// Appends up to `count` bytes to `out` with `read(destination, room)` (how many it stored, 0 at the
/// end), a chunk at a time, so that the zeroing of each resize happens in the cache just before the
/// read overwrites it; returns how many were appended (fewer only at the end).
template <class Read>
std::size_t append_read(std::string& out, std::size_t count, Read&& read) {
  std::size_t done = 0;
  while (done < count) {
    const std::size_t old_size = out.size();
    const std::size_t wanted = std::min(count - done, read_chunk);
    out.resize(old_size + wanted);
    const std::size_t got = read(out.data() + old_size, wanted);
    out.resize(old_size + got);
    if (got == 0) break;
    done += got;
  }
  return done;
}

/// Cuts a stream of bytes into lines: each "\n" ends one (a "\r" before it is dropped) and a last line
/// needs no "\n". Positions are offsets into the stream. With `skip_first`, the bytes up to and
/// including the first "\n" belong to an earlier block and are dropped; when no "\n" comes before
/// position `skip_window`, the block owns no line at all. Only lines starting before `owned_end` are
/// kept, the last of them read to its end even past `owned_end`.
class LineCutter {
 public:
  LineCutter(bool skip_first, std::uint64_t skip_window, std::uint64_t owned_end, std::uint64_t expected_size)
      : skipping_(skip_first), skip_window_(skip_window), owned_end_(owned_end), expected_size_(expected_size) {
    buffer_.resize(read_chunk);
  }

  /// Reads the stream with `read_more(destination, room)` (the number of bytes it stored, 0 at the
  /// end) until the block's last line is complete, and returns the lines.
  template <class ReadMore>
  std::vector<std::string> cut(ReadMore&& read_more) && {
    for (;;) {
      make_room();
      const std::size_t scanned = filled_;
      const std::size_t got = read_more(buffer_.data() + filled_, buffer_.size() - filled_);
      filled_ += got;
      if (got == 0) {
        if (!skipping_ && line_start_ < filled_) lines_.emplace_back(buffer_.data() + line_start_, filled_ - line_start_);
        return std::move(lines_);
      }
      if (!scan(scanned)) return std::move(lines_);
      reserve_for_expected_lines();
    }
  }

 private:
  // Moves the unfinished line to the front of the buffer, or doubles a buffer that it fills.
  void make_room() {
    if (filled_ < buffer_.size()) return;
    if (line_start_ == 0) {
      buffer_.resize(2 * buffer_.size());
      return;
    }
    std::memmove(buffer_.data(), buffer_.data() + line_start_, filled_ - line_start_);
    offset_ += line_start_;
    filled_ -= line_start_;
    line_start_ = 0;
  }

  // Cuts the lines that end in buffer_[from, filled_); false once the block's last line is cut or the
  // block turns out to own none.
  bool scan(std::size_t from) {
    const char* const data = buffer_.data();
    for (std::size_t p = from;;) {
      const auto* found = static_cast<const char*>(std::memchr(data + p, '\n', filled_ - p));
      if (found == nullptr) break;
      const auto newline = static_cast<std::size_t>(found - data);
      if (skipping_) {
        if (offset_ + newline >= skip_window_) return false;
        skipping_ = false;
      } else {
        const std::size_t line_end = newline > line_start_ && data[newline - 1] == '\r' ? newline - 1 : newline;
        lines_.emplace_back(data + line_start_, line_end - line_start_);
      }
      line_start_ = p = newline + 1;
      if (offset_ + line_start_ >= owned_end_) return false;
    }
    if (skipping_) {
      if (offset_ + filled_ >= skip_window_) return false;
      line_start_ = filled_;  // nothing before the first "\n" is kept
    }
    return true;
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
  std::size_t line_start_ = 0;  // where the unfinished line starts in buffer_
  std::uint64_t offset_ = 0;    // stream position of buffer_[0]
  bool skipping_;
  bool reserved_ = false;
  std::uint64_t skip_window_, owned_end_, expected_size_;
  std::vector<std::string> lines_;
};

/// An open input file: pread where the file is regular, sequential reads where it is a pipe or a
/// device (which cannot be cut into blocks, so they are only read from their start).
class InputFile {
 public:
  explicit InputFile(const fs::path& path) : path_(path), fd_(open_for_reading(path)) {
    struct stat info {};
    if (fd_.get() < 0 || ::fstat(fd_.get(), &info) != 0) throw_os_error(errno, "cannot open " + in_quotes(path));
    seekable_ = S_ISREG(info.st_mode);
    size_ = seekable_ ? static_cast<std::uint64_t>(info.st_size) : unlimited;
  }

  /// Its size when it was opened, or unlimited for a pipe or device.
  std::uint64_t size() const noexcept { return size_; }

  /// Reads up to `room` bytes at `offset` into `destination`; returns how many (0 at the end of the file).
  std::size_t read(std::uint64_t offset, char* destination, std::size_t room) const {
    for (;;) {
      const ssize_t got = seekable_ ? ::pread(fd_.get(), destination, room, static_cast<off_t>(offset))
                                    : ::read(fd_.get(), destination, room);
      if (got >= 0) return static_cast<std::size_t>(got);
      if (errno != EINTR) throw_os_error(errno, "cannot read " + in_quotes(path_));
    }
  }

  /// Appends up to `count` bytes from `offset` to `out` (see append_read); returns how many (fewer
  /// only at the end of the file).
  std::size_t append(std::uint64_t offset, std::size_t count, std::string& out) const {
    std::uint64_t position = offset;
    return append_read(out, count, [&](char* destination, std::size_t room) {
      const std::size_t got = read(position, destination, room);
      position += got;
      return got;
    });
  }

 private:
  const fs::path& path_;
  FileDescriptor fd_;
  bool seekable_ = false;
  std::uint64_t size_ = 0;
};

/// The lines of a plain file's block: those starting in [block.start, block.end), as LineCutter
/// keeps them. Reading starts one byte early, because whether a line starts at `start` depends on
/// the byte before it.
std::vector<std::string> read_plain_block_lines(const TextBlock& block) {
  const InputFile file(block.path);
  const std::uint64_t from = block.start == 0 ? 0 : block.start - 1;
  const bool to_eof = block.end == TextBlock::to_eof;
  const std::uint64_t expected = !to_eof                            ? block.end - from
                                 : file.size() == unlimited ? unlimited  // a pipe
                                 : file.size() > from                 ? file.size() - from
                                                                      : 0;
  LineCutter cutter(block.start != 0, to_eof ? unlimited : block.end - block.start,
                    to_eof ? unlimited : block.end - from, expected);
  std::uint64_t position = from;
  return std::move(cutter).cut([&](char* destination, std::size_t room) {
    const std::size_t got = file.read(position, destination, room);
    position += got;
    return got;
  });
}

/// The text of a plain file's block: the bytes of the lines read_plain_block_lines gives, with their
/// terminators, read straight into the string that is returned.
std::string read_plain_block_text(const TextBlock& block) {
  const InputFile file(block.path);
  const bool to_eof = block.end == TextBlock::to_eof;
  std::uint64_t position = block.start == 0 ? 0 : block.start - 1;  // where the next read starts
  std::string text;
  if (block.start != 0) {
    // Drop the bytes through the first "\n" at a position below end - 1; without one, no line starts
    // in the block.
    for (;;) {
      text.clear();
      const std::size_t got = file.append(position, to_eof ? read_chunk : std::min<std::uint64_t>(read_chunk, block.end - position), text);
      const std::size_t window = to_eof ? got : static_cast<std::size_t>(std::min<std::uint64_t>(got, block.end - 1 - position));
      const auto* newline = static_cast<const char*>(std::memchr(text.data(), '\n', window));
      position += got;
      if (newline != nullptr) {
        text.erase(0, static_cast<std::size_t>(newline - text.data()) + 1);
        break;
      }
      if (got == 0 || (!to_eof && position >= block.end - 1)) return {};
    }
  }
  if (to_eof) {
    if (file.size() != unlimited && file.size() > position) text.reserve(text.size() + (file.size() - position) + 1);
    while (const std::size_t got = file.append(position, std::numeric_limits<std::size_t>::max(), text)) position += got;
    return text;
  }
  if (position < block.end) {
    text.reserve(text.size() + (block.end - position) + 256);
    position += file.append(position, block.end - position, text);
  }
  // The last line starting in the block runs on to its "\n" (or the end of the file): read in pieces
  // that start small, since most lines are, and the text has room for only a few bytes more.
  for (std::size_t piece = 256; position >= block.end && !text.empty() && text.back() != '\n';
       piece = std::min(2 * piece, read_chunk)) {
    const std::size_t scanned = text.size();
    const std::size_t got = file.append(position, piece, text);
    if (got == 0) break;
    position += got;
    const std::size_t newline = text.find('\n', scanned);
    if (newline != std::string::npos) text.resize(newline + 1);
  }
  return text;
}

/// The size a gzip file of `compressed` bytes announces in its trailer (exact for one member under
/// 4 GiB) when plausible, else a guess; for reserving memory.
std::uint64_t gzip_size_hint(int fd, std::uint64_t compressed) {
  constexpr std::uint64_t max_ratio = 1032;  // deflate cannot compress better than this
  unsigned char trailer[4];
  if (compressed >= 18 && ::pread(fd, trailer, 4, static_cast<off_t>(compressed - 4)) == 4) {
    const std::uint64_t size = trailer[0] | (trailer[1] << 8) | (trailer[2] << 16) | (std::uint64_t{trailer[3]} << 24);
    if (size <= compressed * max_ratio) return size;
  }
  return compressed * 4;
}

/// A gzip-compressed file, decompressed as it is read. finish() checks that the stream was whole.
class GzipFile {
 public:
  explicit GzipFile(const fs::path& path) : path_(path) {
    FileDescriptor fd(open_for_reading(path));
    struct stat info {};
    if (fd.get() < 0 || ::fstat(fd.get(), &info) != 0) throw_os_error(errno, "cannot open " + in_quotes(path));
    size_hint_ = S_ISREG(info.st_mode) ? gzip_size_hint(fd.get(), static_cast<std::uint64_t>(info.st_size))
                                       : unlimited;
    gz_ = ::gzdopen(fd.get(), "rb");
    if (gz_ == nullptr) throw std::bad_alloc();  // the descriptor is fine, so zlib lacked memory
    fd.release();                                // gzclose_r closes it
    ::gzbuffer(gz_, 1 << 17);
  }
  GzipFile(const GzipFile&) = delete;
  GzipFile& operator=(const GzipFile&) = delete;
  ~GzipFile() {
    if (gz_ != nullptr) ::gzclose_r(gz_);
  }

  /// The decompressed size the file announces (a guess where it announces none).
  std::uint64_t size_hint() const noexcept { return size_hint_; }

  /// Decompresses up to `room` bytes into `destination`; returns how many (0 at the end or on an
  /// error, which finish() reports).
  std::size_t read(char* destination, std::size_t room) {
    const int got = ::gzread(gz_, destination, static_cast<unsigned>(std::min<std::size_t>(room, INT_MAX)));
    if (got <= 0) return 0;
    decompressed_ += static_cast<std::uint64_t>(got);
    return static_cast<std::size_t>(got);
  }

  /// Throws std::system_error or dagflow::Error naming the file if reading failed, the data was not
  /// gzip, or the stream ended early.
  void finish() {
    int status = Z_OK;
    const char* message = ::gzerror(gz_, &status);
    if (status == Z_ERRNO) throw_os_error(errno, "cannot read " + in_quotes(path_));
    if (status != Z_OK) throw Error("dagflow: cannot decompress " + in_quotes(path_) + ": " + message);
    // zlib passes non-gzip data through unchanged; for a file said to be gzip that is an error.
    if (::gzdirect(gz_) != 0 && decompressed_ != 0)
      throw Error("dagflow: cannot decompress " + in_quotes(path_) + ": not in gzip format");
    // gzclose_r is what reports a stream that ended early.
    if (::gzclose_r(std::exchange(gz_, nullptr)) != Z_OK)
      throw Error("dagflow: cannot decompress " + in_quotes(path_) + ": unexpected end of file (truncated gzip data)");
  }

 private:
  const fs::path& path_;
  gzFile gz_ = nullptr;
  std::uint64_t size_hint_ = 0;
  std::uint64_t decompressed_ = 0;
};

/// The lines of a whole gzip-compressed file, decompressed a chunk at a time.
std::vector<std::string> read_gzip_lines(const fs::path& path) {
  GzipFile file(path);
  LineCutter cutter(false, unlimited, unlimited, file.size_hint());
  std::vector<std::string> lines =
      std::move(cutter).cut([&](char* destination, std::size_t room) { return file.read(destination, room); });
  file.finish();
  return lines;
}

/// The whole decompressed text of a gzip-compressed file.
std::string read_gzip_text(const fs::path& path) {
  GzipFile file(path);
  std::string text;
  if (file.size_hint() != unlimited) text.reserve(static_cast<std::size_t>(file.size_hint()) + 1);
  append_read(text, std::numeric_limits<std::size_t>::max(),
              [&](char* destination, std::size_t room) { return file.read(destination, room); });
  file.finish();
  return text;
}

}  // namespace

std::vector<TextBlock> plan_text_blocks(std::span<const fs::path> sources, std::optional<std::uint64_t> blocksize,
                                        TextCompression compression, std::string_view caller) {
  if (sources.empty()) throw UsageError(prefix(caller) + "no files given");
  if (blocksize && *blocksize == 0)
    throw UsageError(prefix(caller) + "blocksize must be positive (leave it unset for one partition per file)");
  std::vector<TextBlock> blocks;
  for (const fs::path& source : sources) {
    if (is_glob_pattern(source.string())) {
      for (const fs::path& file : expand_glob(source.string(), caller)) add_blocks(file, blocksize, compression, caller, blocks);
    } else {
      add_blocks(source, blocksize, compression, caller, blocks);
    }
  }
  return blocks;
}

std::vector<std::string> read_text_block(const TextBlock& block) {
  return block.gzip ? read_gzip_lines(block.path) : read_plain_block_lines(block);
}

std::vector<std::string> read_block_text(const TextBlock& block) {
  std::vector<std::string> partition;
  partition.push_back(block.gzip ? read_gzip_text(block.path) : read_plain_block_text(block));
  return partition;
}

std::vector<Delayed<std::vector<std::string>>> read_text_partitions(std::span<const fs::path> sources,
                                                                    std::optional<std::uint64_t> blocksize,
                                                                    TextCompression compression, TextUnit unit) {
  static const auto read_lines = delayed(&read_text_block, "read_text");
  static const auto read_blocks = delayed(&read_block_text, "read_blocks");
  const auto& read = unit == TextUnit::lines ? read_lines : read_blocks;
  std::vector<Delayed<std::vector<std::string>>> partitions;
  std::vector<TextBlock> blocks = plan_text_blocks(sources, blocksize, compression, unit == TextUnit::lines ? "read_text" : "read_blocks");
  partitions.reserve(blocks.size());
  for (TextBlock& block : blocks) partitions.push_back(read(std::move(block)));
  return partitions;
}

// --- Writing ----------------------------------------------------------------------------------------

std::vector<std::string> text_output_paths(const std::string& pattern, std::size_t count) {
  if (pattern.find('*') == std::string::npos)
    throw UsageError("dagflow: to_textfiles: pattern '" + pattern +
                     "' has no '*' to replace with the partition number");
  const std::size_t width = count <= 1 ? 1 : std::to_string(count - 1).size();
  std::vector<std::string> paths;
  paths.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    std::string index = std::to_string(i);
    index.insert(0, width - index.size(), '0');
    std::string path;
    for (char c : pattern) {
      if (c == '*') {
        path += index;
      } else {
        path += c;
      }
    }
    const fs::path directory = fs::path(path).parent_path();
    std::error_code error;
    if (!directory.empty() && !fs::is_directory(directory, error)) {
      fs::create_directories(directory, error);
      if (error)
        throw UsageError("dagflow: to_textfiles: cannot create directory " + in_quotes(directory) + ": " +
                         error.message());
    }
    paths.push_back(std::move(path));
  }
  return paths;
}

namespace {
constexpr std::size_t write_buffer_size = 1 << 18;

bool ends_with_gz(const std::string& path) { return std::string_view(path).ends_with(".gz"); }
}  // namespace

TextFileWriter::TextFileWriter(std::string path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd_ < 0) throw_os_error(errno, "cannot create '" + path_ + "'");
  if (ends_with_gz(path_)) {
    gz_ = ::gzdopen(fd_, "wb");
    if (gz_ == nullptr) {
      ::close(fd_);
      fd_ = -1;
      throw std::bad_alloc();
    }
    fd_ = -1;  // owned by the gzFile now
    ::gzbuffer(static_cast<gzFile>(gz_), 1 << 17);
  }
  buffer_.reserve(write_buffer_size);
}

TextFileWriter::~TextFileWriter() {
  if (gz_ != nullptr) ::gzclose_w(static_cast<gzFile>(gz_));
  if (fd_ >= 0) ::close(fd_);
}

void TextFileWriter::write_line(std::string_view line) {
  if (buffer_.size() + line.size() + 1 > write_buffer_size && !buffer_.empty()) flush();
  buffer_.append(line);
  buffer_.push_back('\n');
}

void TextFileWriter::fail(const char* what) const {
  if (gz_ != nullptr) {
    int status = Z_OK;
    const char* message = ::gzerror(static_cast<gzFile>(gz_), &status);
    if (status != Z_ERRNO) throw Error(std::string("dagflow: cannot ") + what + " '" + path_ + "': " + message);
  }
  throw_os_error(errno, std::string("cannot ") + what + " '" + path_ + "'");
}

void TextFileWriter::flush() {
  const char* data = buffer_.data();
  std::size_t left = buffer_.size();
  while (left > 0) {
    if (gz_ != nullptr) {
      const unsigned part = static_cast<unsigned>(std::min<std::size_t>(left, INT_MAX / 2));
      const int put = ::gzwrite(static_cast<gzFile>(gz_), data, part);
      if (put <= 0) fail("write");
      data += put;
      left -= static_cast<std::size_t>(put);
    } else {
      const ssize_t put = ::write(fd_, data, left);
      if (put < 0 && errno == EINTR) continue;
      if (put < 0) fail("write");
      data += put;
      left -= static_cast<std::size_t>(put);
    }
  }
  buffer_.clear();
}

void TextFileWriter::close() {
  flush();
  if (gz_ != nullptr) {
    const int status = ::gzclose_w(static_cast<gzFile>(std::exchange(gz_, nullptr)));
    if (status == Z_ERRNO) throw_os_error(errno, "cannot write '" + path_ + "'");
    if (status != Z_OK) throw Error("dagflow: cannot write '" + path_ + "': gzip error " + std::to_string(status));
  }
  if (fd_ >= 0 && ::close(std::exchange(fd_, -1)) != 0) throw_os_error(errno, "cannot write '" + path_ + "'");
}

}  // namespace dagflow::detail
