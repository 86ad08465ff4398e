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

std::string quoted(const fs::path& path) { return "'" + path.string() + "'"; }

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

int on_glob_error(const char* path, int error) {
  // A missing or non-directory component just means "no match"; anything else (EACCES, EIO) would
  // silently drop files, so it stops the expansion.
  if (error == ENOENT || error == ENOTDIR) return 0;
  glob_failure = {path, error};
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
                     quoted(glob_failure.path) + ": " + std::strerror(glob_failure.error));
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

 private:
  int fd_;
};

/// Checks, at read_text() time, that `path` is a file we can open; returns its size (0 for a file
/// whose size is not known in advance, such as a pipe).
std::uint64_t checked_file_size(const fs::path& path) {
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (!fs::exists(status)) throw UsageError("dagflow: read_text: file " + quoted(path) + " does not exist");
  if (fs::is_directory(status)) throw UsageError("dagflow: read_text: " + quoted(path) + " is a directory");
  FileDescriptor fd(open_for_reading(path));
  if (fd.get() < 0)
    throw UsageError("dagflow: read_text: cannot open " + quoted(path) + ": " + std::strerror(errno));
  if (!fs::is_regular_file(status)) return 0;
  const std::uint64_t size = fs::file_size(path, error);
  if (error) throw UsageError("dagflow: read_text: cannot get the size of " + quoted(path) + ": " + error.message());
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
  const std::uint64_t size = checked_file_size(path);
  const bool gzip = is_gzip(path, compression);
  // A gzip stream cannot be entered in the middle, and a file of unknown size cannot be cut.
  if (gzip || !blocksize || !fs::is_regular_file(path) || size <= *blocksize) {
    blocks.push_back({path, 0, TextBlock::to_eof, gzip});
    return;
  }
  const std::uint64_t bs = *blocksize;
  for (std::uint64_t start = 0; start < size; start += bs) {
    // The last block runs to the end of the file so that bytes appended since listing are not lost.
    const std::uint64_t end = size - start <= bs ? TextBlock::to_eof : start + bs;
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
      throw_os_error(errno, "cannot read " + quoted(path));
    }
    if (got == 0) break;
    done += static_cast<std::size_t>(got);
  }
  out.resize(old_size + done);
  return done;
}

/// Reads from `offset` to the end of the file (or pipe) into `out`.
void read_to_eof(int fd, const fs::path& path, std::uint64_t offset, std::string& out) {
  struct stat info {};
  std::size_t chunk = 1 << 16;
  if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && static_cast<std::uint64_t>(info.st_size) > offset) {
    // One read of the whole expected size, plus one that finds the end.
    chunk = static_cast<std::size_t>(static_cast<std::uint64_t>(info.st_size) - offset) + 1;
  }
  for (;;) {
    std::size_t got;
    if (S_ISREG(info.st_mode)) {
      got = read_at(fd, path, offset, chunk, out);
    } else {
      // Pipes and devices cannot pread; read sequentially.
      const std::size_t old_size = out.size();
      out.resize(old_size + chunk);
      ssize_t n;
      do n = ::read(fd, out.data() + old_size, chunk);
      while (n < 0 && errno == EINTR);
      if (n < 0) throw_os_error(errno, "cannot read " + quoted(path));
      got = static_cast<std::size_t>(n);
      out.resize(old_size + got);
    }
    if (got == 0) return;
    offset += got;
    chunk = std::max<std::size_t>(chunk, 1 << 16);
  }
}

/// The text holding exactly the lines that start in [block.start, block.end): the bytes from the
/// first line start at or after `start` through the first "\n" at or after `end - 1` (or the end of
/// the file). Reading starts one byte early, because whether a line starts at `start` depends on
/// the byte before it.
std::string_view read_plain_block(const TextBlock& block, std::string& buffer) {
  FileDescriptor fd(open_for_reading(block.path));
  if (fd.get() < 0) throw_os_error(errno, "cannot open " + quoted(block.path));
  const std::uint64_t from = block.start == 0 ? 0 : block.start - 1;
  if (block.end == TextBlock::to_eof) {
    read_to_eof(fd.get(), block.path, from, buffer);
  } else {
    const auto owned = static_cast<std::size_t>(block.end - from);
    buffer.reserve(owned + 256);
    if (read_at(fd.get(), block.path, from, owned, buffer) == owned && buffer.back() != '\n') {
      // Finish the last line, which runs past the block: read on until its "\n".
      std::size_t scanned = buffer.size();
      for (std::size_t chunk = 4096;; chunk = std::min<std::size_t>(chunk * 2, 1 << 20)) {
        if (read_at(fd.get(), block.path, from + buffer.size(), chunk, buffer) == 0) break;
        const auto newline = buffer.find('\n', scanned);
        if (newline != std::string::npos) {
          buffer.resize(newline + 1);
          break;
        }
        scanned = buffer.size();
      }
    }
  }
  std::string_view text(buffer);
  if (block.start == 0) return text;
  // The first line this block owns begins after the first "\n" at or after `start - 1`; it must
  // begin before `end`, or the block owns nothing (its bytes belong to a line of an earlier block).
  const auto newline = text.find('\n');
  if (newline == std::string_view::npos || (block.end != TextBlock::to_eof && from + newline + 1 >= block.end))
    return {};
  return text.substr(newline + 1);
}

std::string_view read_gzip_file(const fs::path& path, std::string& buffer) {
  gzFile gz = ::gzopen(path.c_str(), "rb");
  if (gz == nullptr) throw_os_error(errno != 0 ? errno : ENOMEM, "cannot open " + quoted(path));
  struct Closer {
    gzFile gz;
    ~Closer() {
      if (gz != nullptr) ::gzclose_r(gz);
    }
  } closer{gz};
  ::gzbuffer(gz, 1 << 17);
  std::size_t chunk = 1 << 18;
  for (;;) {
    const std::size_t old_size = buffer.size();
    buffer.resize(old_size + chunk);
    const int got = ::gzread(gz, buffer.data() + old_size, static_cast<unsigned>(chunk));
    if (got < 0) break;  // reported below
    buffer.resize(old_size + static_cast<std::size_t>(got));
    if (got == 0) break;
    chunk = std::min<std::size_t>(buffer.size(), INT_MAX / 2);
  }
  int status = Z_OK;
  const char* message = ::gzerror(gz, &status);
  if (status == Z_ERRNO) throw_os_error(errno, "cannot read " + quoted(path));
  if (status != Z_OK && status != Z_BUF_ERROR)
    throw Error("dagflow: cannot decompress " + quoted(path) + ": " + message);
  // zlib passes non-gzip data through unchanged; for a file said to be gzip that is an error.
  if (::gzdirect(gz) != 0 && !buffer.empty())
    throw Error("dagflow: cannot decompress " + quoted(path) + ": not in gzip format");
  closer.gz = nullptr;
  // gzclose_r is what reports a stream that ended early (Z_BUF_ERROR).
  if (const int closed = ::gzclose_r(gz); closed != Z_OK)
    throw Error("dagflow: cannot decompress " + quoted(path) + ": " +
                (closed == Z_BUF_ERROR ? "unexpected end of file (truncated gzip data)" : "corrupt gzip data"));
  return buffer;
}

/// Splits `text` into lines: each "\n" ends one (a "\r" before it is dropped) and a last line needs
/// no "\n". Counting first lets the vector be allocated once.
std::vector<std::string> split_lines(std::string_view text) {
  const char* const begin = text.data();
  const char* const end = begin + text.size();
  std::size_t count = 0;
  for (const char* p = begin; p != end; ++count) {
    const void* newline = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
    if (newline == nullptr) break;
    p = static_cast<const char*>(newline) + 1;
  }
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
        throw UsageError("dagflow: to_textfiles: cannot create directory " + quoted(directory) + ": " +
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
