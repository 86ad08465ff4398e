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
std::vector<fs::path> expand_glob(const std::string& pattern) {
  GlobResult result;
  glob_failure = {};
  const int status = ::glob(pattern.c_str(), 0, &on_glob_error, result.get());
  if (status == GLOB_NOSPACE) throw std::bad_alloc();
  if (status == GLOB_ABORTED)
    throw UsageError("dagflow: read_text: pattern '" + pattern + "': cannot read directory " +
                     in_quotes(glob_failure.path) + ": " + os_message(glob_failure.error));
  std::vector<fs::path> files;
  if (status == 0) {
    for (std::size_t i = 0; i < result.get()->gl_pathc; ++i) {
      fs::path match(result.get()->gl_pathv[i]);
      std::error_code error;
      if (!fs::is_directory(match, error)) files.push_back(std::move(match));
    }
  }
  if (files.empty()) throw UsageError("dagflow: read_text: pattern '" + pattern + "' matches no files");
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
std::optional<std::uint64_t> checked_file_size(const fs::path& path) {
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (status.type() == fs::file_type::not_found)
    throw UsageError("dagflow: read_text: file " + in_quotes(path) + " does not exist");
  if (error) throw UsageError("dagflow: read_text: cannot access " + in_quotes(path) + ": " + error.message());
  if (fs::is_directory(status)) throw UsageError("dagflow: read_text: " + in_quotes(path) + " is a directory");
  FileDescriptor fd(open_for_reading(path));
  if (fd.get() < 0)
    throw UsageError("dagflow: read_text: cannot open " + in_quotes(path) + ": " + os_message(errno));
  if (!fs::is_regular_file(status)) return std::nullopt;
  const std::uint64_t size = fs::file_size(path, error);
  if (error) throw UsageError("dagflow: read_text: cannot get the size of " + in_quotes(path) + ": " + error.message());
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
                std::vector<TextBlock>& blocks) {
  const std::optional<std::uint64_t> size = checked_file_size(path);
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

/// Reads up to `count` bytes at `offset` into `out` (appending); returns how many were read (fewer
/// only at end of file).
std::size_t read_at(int fd, const fs::path& path, std::uint64_t offset, std::size_t count, std::string& out) {
  const std::size_t old_size = out.size();
  out.resize(old_size + count);
  std::size_t done = 0;
  while (done < count) {
    const ssize_t got = ::pread(fd, out.data() + old_size + done, count - done, static_cast<off_t>(offset + done));
    if (got < 0) {
      if (errno == EINTR) continue;
      throw_os_error(errno, "cannot read " + in_quotes(path));
    }
    if (got == 0) break;
    done += static_cast<std::size_t>(got);
  }
  out.resize(old_size + done);
  return done;
}

/// Appends bytes from the file until `buffer` ends with the first "\n" after what it held (or the
/// file ends): the rest of a line that began inside a block and runs past it.
void read_rest_of_line(int fd, const fs::path& path, std::uint64_t from, std::string& buffer) {
  for (std::size_t chunk = 4096;; chunk = std::min<std::size_t>(chunk * 2, 1 << 20)) {
    const std::size_t scanned = buffer.size();
    if (read_at(fd, path, from + scanned, chunk, buffer) == 0) return;
    const auto newline = buffer.find('\n', scanned);
    if (newline != std::string::npos) {
      buffer.resize(newline + 1);
      return;
    }
  }
}

/// Makes room for at least `wanted` more bytes after `out`'s contents, growing geometrically, and
/// returns how many bytes of room there are (the string's spare capacity, exposed by resize).
std::size_t grow_for_read(std::string& out, std::size_t wanted) {
  if (out.capacity() - out.size() < wanted) out.reserve(std::max(out.size() + wanted, 2 * out.capacity()));
  return out.capacity() - out.size();
}

/// Reads sequentially from `fd` (a pipe or device, which cannot pread) to its end into `out`.
void read_stream_to_eof(int fd, const fs::path& path, std::string& out) {
  for (;;) {
    const std::size_t old_size = out.size();
    const std::size_t room = grow_for_read(out, 1 << 16);
    out.resize(old_size + room);
    ssize_t got;
    do got = ::read(fd, out.data() + old_size, room);
    while (got < 0 && errno == EINTR);
    out.resize(old_size + static_cast<std::size_t>(std::max<ssize_t>(got, 0)));
    if (got < 0) throw_os_error(errno, "cannot read " + in_quotes(path));
    if (got == 0) return;
  }
}

/// Reads from `offset` to the end of the file into `out`.
void read_to_eof(int fd, const fs::path& path, std::uint64_t offset, std::string& out) {
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) return read_stream_to_eof(fd, path, out);
  // The size seen now plus one byte, so that a file that did not grow is read in one call; a file that
  // grew since is read on in growing chunks.
  const auto size = static_cast<std::uint64_t>(info.st_size);
  std::size_t chunk = (size > offset ? static_cast<std::size_t>(size - offset) : 0) + 1;
  for (;;) {
    const std::size_t got = read_at(fd, path, offset, chunk, out);
    if (got < chunk) return;
    offset += got;
    chunk = grow_for_read(out, 1 << 16);
  }
}

/// The text holding exactly the lines that start in [block.start, block.end): the bytes from the
/// first line start at or after `start` through the first "\n" at or after `end - 1` (or the end of
/// the file). Reading starts one byte early, because whether a line starts at `start` depends on
/// the byte before it.
std::string_view read_plain_block(const TextBlock& block, std::string& buffer) {
  FileDescriptor fd(open_for_reading(block.path));
  if (fd.get() < 0) throw_os_error(errno, "cannot open " + in_quotes(block.path));
  const std::uint64_t from = block.start == 0 ? 0 : block.start - 1;
  if (block.end == TextBlock::to_eof) {
    read_to_eof(fd.get(), block.path, from, buffer);
  } else {
    const auto span = static_cast<std::size_t>(block.end - from);
    buffer.reserve(span + 256);
    const std::size_t got = read_at(fd.get(), block.path, from, span, buffer);
    // A line starts in the block only after a "\n" among its bytes before the last; without one, the
    // block's bytes all belong to a line that an earlier block owns.
    if (block.start != 0 && std::string_view(buffer).substr(0, span - 1).find('\n') == std::string_view::npos)
      return {};
    if (got == span && buffer.back() != '\n') read_rest_of_line(fd.get(), block.path, from, buffer);
  }
  std::string_view text(buffer);
  if (block.start == 0) return text;
  const auto newline = text.find('\n');
  return newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
}

/// How many bytes to reserve for the decompressed contents of a gzip file of `compressed` bytes: the
/// size its trailer announces (exact for one member under 4 GiB) when plausible, else a guess.
std::size_t gzip_size_hint(int fd, std::uint64_t compressed) {
  constexpr std::uint64_t max_ratio = 1032;  // deflate cannot compress better than this
  unsigned char trailer[4];
  if (compressed >= 18 && ::pread(fd, trailer, 4, static_cast<off_t>(compressed - 4)) == 4) {
    const std::uint64_t size = trailer[0] | (trailer[1] << 8) | (trailer[2] << 16) | (std::uint64_t{trailer[3]} << 24);
    if (size <= compressed * max_ratio) return static_cast<std::size_t>(size) + 1;  // + 1 to see the end
  }
  return static_cast<std::size_t>(std::min<std::uint64_t>(compressed * 4, std::uint64_t{1} << 30)) + 1;
}

std::string_view read_gzip_file(const fs::path& path, std::string& buffer) {
  FileDescriptor fd(open_for_reading(path));
  struct stat info {};
  if (fd.get() < 0 || ::fstat(fd.get(), &info) != 0) throw_os_error(errno, "cannot open " + in_quotes(path));
  buffer.reserve(S_ISREG(info.st_mode) ? gzip_size_hint(fd.get(), static_cast<std::uint64_t>(info.st_size)) : 1 << 16);
  gzFile gz = ::gzdopen(fd.get(), "rb");
  if (gz == nullptr) throw std::bad_alloc();  // the descriptor is fine, so zlib lacked memory
  fd.release();                               // gzclose_r closes it
  struct Closer {
    gzFile gz;
    ~Closer() {
      if (gz != nullptr) ::gzclose_r(gz);
    }
  } closer{gz};
  ::gzbuffer(gz, 1 << 17);
  for (;;) {
    const std::size_t old_size = buffer.size();
    const std::size_t room = std::min<std::size_t>(grow_for_read(buffer, 1), INT_MAX);
    buffer.resize(old_size + room);
    const int got = ::gzread(gz, buffer.data() + old_size, static_cast<unsigned>(room));
    buffer.resize(old_size + static_cast<std::size_t>(std::max(got, 0)));
    if (got <= 0) break;
  }
  int status = Z_OK;
  const char* message = ::gzerror(gz, &status);
  if (status == Z_ERRNO) throw_os_error(errno, "cannot read " + in_quotes(path));
  if (status != Z_OK) throw Error("dagflow: cannot decompress " + in_quotes(path) + ": " + message);
  // zlib passes non-gzip data through unchanged; for a file said to be gzip that is an error.
  if (::gzdirect(gz) != 0 && !buffer.empty())
    throw Error("dagflow: cannot decompress " + in_quotes(path) + ": not in gzip format");
  // gzclose_r is what reports a stream that ended early.
  if (::gzclose_r(std::exchange(closer.gz, nullptr)) != Z_OK)
    throw Error("dagflow: cannot decompress " + in_quotes(path) + ": unexpected end of file (truncated gzip data)");
  return buffer;
}

/// Number of "\n" bytes in `text` (memchr is vectorized, and as fast as a hand-written word loop).
std::size_t count_newlines(std::string_view text) noexcept {
  std::size_t count = 0;
  for (const char *p = text.data(), *end = p + text.size(); p != end; ++count) {
    const void* newline = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
    if (newline == nullptr) break;
    p = static_cast<const char*>(newline) + 1;
  }
  return count;
}

/// Splits `text` into lines: each "\n" ends one (a "\r" before it is dropped) and a last line needs
/// no "\n". Counting first lets the vector be allocated once.
std::vector<std::string> split_lines(std::string_view text) {
  const char* const begin = text.data();
  const char* const end = begin + text.size();
  const std::size_t count = count_newlines(text);
  std::vector<std::string> lines;
  lines.reserve(count + 1);
  for (const char* p = begin; p != end;) {
    const auto* newline = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    const char* line_end = newline != nullptr ? newline : end;
    const char* next = newline != nullptr ? newline + 1 : end;
    if (newline != nullptr && line_end != p && line_end[-1] == '\r') --line_end;
    lines.emplace_back(p, line_end);
    p = next;
  }
  return lines;
}

}  // namespace

std::vector<TextBlock> plan_text_blocks(std::span<const fs::path> sources, std::optional<std::uint64_t> blocksize,
                                        TextCompression compression) {
  if (sources.empty()) throw UsageError("dagflow: read_text: no files given");
  if (blocksize && *blocksize == 0)
    throw UsageError("dagflow: read_text: blocksize must be positive (leave it unset for one partition per file)");
  std::vector<TextBlock> blocks;
  for (const fs::path& source : sources) {
    if (is_glob_pattern(source.string())) {
      for (const fs::path& file : expand_glob(source.string())) add_blocks(file, blocksize, compression, blocks);
    } else {
      add_blocks(source, blocksize, compression, blocks);
    }
  }
  return blocks;
}

std::vector<std::string> read_text_block(const TextBlock& block) {
  std::string buffer;
  return split_lines(block.gzip ? read_gzip_file(block.path, buffer) : read_plain_block(block, buffer));
}

std::vector<Delayed<std::vector<std::string>>> read_text_partitions(std::span<const fs::path> sources,
                                                                    std::optional<std::uint64_t> blocksize,
                                                                    TextCompression compression) {
  static const auto read_block = delayed(&read_text_block, "read_text");
  std::vector<Delayed<std::vector<std::string>>> partitions;
  std::vector<TextBlock> blocks = plan_text_blocks(sources, blocksize, compression);
  partitions.reserve(blocks.size());
  for (TextBlock& block : blocks) partitions.push_back(read_block(std::move(block)));
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
