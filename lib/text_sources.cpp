// Plain and gzip input files for reading text blocks.
#include "text_sources.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <new>
#include <string>
#include <utility>

#include "dagflow/errors.hpp"

namespace dagflow::detail {

namespace fs = std::filesystem;

PlainFile::PlainFile(const fs::path& path) : path_(path), fd_(open_for_reading(path)) {
  struct stat info {};
  if (fd_.get() < 0 || ::fstat(fd_.get(), &info) != 0) throw_os_error(errno, "cannot open " + in_quotes(path));
  seekable_ = S_ISREG(info.st_mode);
  size_ = seekable_ ? static_cast<std::uint64_t>(info.st_size) : unlimited;
}

std::size_t PlainFile::read(std::uint64_t offset, char* destination, std::size_t room) const {
  for (;;) {
    const ssize_t got = seekable_ ? ::pread(fd_.get(), destination, room, static_cast<off_t>(offset))
                                  : ::read(fd_.get(), destination, room);
    if (got >= 0) return static_cast<std::size_t>(got);
    if (errno != EINTR) throw_os_error(errno, "cannot read " + in_quotes(path_));
  }
}

namespace {

// The size a gzip file of `compressed` bytes announces in its trailer (exact for one member under
// 4 GiB) when plausible, else a guess; for reserving memory.
std::uint64_t gzip_size_hint(int fd, std::uint64_t compressed) {
  constexpr std::uint64_t max_ratio = 1032;  // deflate cannot compress better than this
  unsigned char trailer[4];
  if (compressed >= 18 && ::pread(fd, trailer, 4, static_cast<off_t>(compressed - 4)) == 4) {
    const std::uint64_t size = trailer[0] | (trailer[1] << 8) | (trailer[2] << 16) | (std::uint64_t{trailer[3]} << 24);
    if (size <= compressed * max_ratio) return size;
  }
  return compressed * 4;
}

}  // namespace

GzipFile::GzipFile(const fs::path& path) : path_(path) {
  FileDescriptor fd(open_for_reading(path));
  struct stat info {};
  if (fd.get() < 0 || ::fstat(fd.get(), &info) != 0) throw_os_error(errno, "cannot open " + in_quotes(path));
  size_hint_ = S_ISREG(info.st_mode) ? gzip_size_hint(fd.get(), static_cast<std::uint64_t>(info.st_size)) : unlimited;
  gz_ = ::gzdopen(fd.get(), "rb");
  if (gz_ == nullptr) throw std::bad_alloc();  // the descriptor is fine, so zlib lacked memory
  fd.release();                                // gzclose_r closes it
  ::gzbuffer(gz_, 1 << 17);
}

GzipFile::~GzipFile() {
  if (gz_ != nullptr) ::gzclose_r(gz_);
}

std::size_t GzipFile::read(char* destination, std::size_t room) noexcept {
  const int got = ::gzread(gz_, destination, static_cast<unsigned>(std::min<std::size_t>(room, INT_MAX)));
  if (got <= 0) return 0;
  decompressed_ += static_cast<std::uint64_t>(got);
  return static_cast<std::size_t>(got);
}

void GzipFile::finish() {
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

}  // namespace dagflow::detail
