// Plain and gzip input files for reading text blocks.
#include "text_sources.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <memory>
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

// Compressed bytes read at a time (what the former gzbuffer call gave zlib's gzread).
constexpr std::size_t gzip_input_size = std::size_t{1} << 17;

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

GzipFile::GzipFile(const fs::path& path) : path_(path), fd_(open_for_reading(path)) {
  struct stat info {};
  if (fd_.get() < 0 || ::fstat(fd_.get(), &info) != 0) throw_os_error(errno, "cannot open " + in_quotes(path));
  size_hint_ = S_ISREG(info.st_mode) ? gzip_size_hint(fd_.get(), static_cast<std::uint64_t>(info.st_size)) : unlimited;
  input_ = std::make_unique_for_overwrite<unsigned char[]>(gzip_input_size);
  stream_.next_in = input_.get();
  // 15 + 16: windows of up to 32 KiB, in a gzip wrapper (header and CRC-checked trailer).
  const int status = ::inflateInit2(&stream_, 15 + 16);
  if (status == Z_MEM_ERROR) throw std::bad_alloc();
  if (status != Z_OK)
    throw Error("dagflow: cannot decompress " + in_quotes(path) + ": zlib cannot start (" + std::to_string(status) +
                ")");
}

GzipFile::~GzipFile() { ::inflateEnd(&stream_); }

bool GzipFile::refill() {
  if (input_ended_) return false;
  if (stream_.avail_in > 0) std::memmove(input_.get(), stream_.next_in, stream_.avail_in);
  stream_.next_in = input_.get();
  for (;;) {
    const ssize_t got = ::read(fd_.get(), input_.get() + stream_.avail_in, gzip_input_size - stream_.avail_in);
    if (got > 0) {
      stream_.avail_in += static_cast<uInt>(got);
      consumed_ += static_cast<std::uint64_t>(got);
      return true;
    }
    if (got == 0) {
      input_ended_ = true;
      return false;
    }
    if (errno != EINTR) throw_os_error(errno, "cannot read " + in_quotes(path_));
  }
}

void GzipFile::fail(const std::string& problem) const {
  throw Error("dagflow: cannot decompress " + in_quotes(path_) + ": " + problem);
}

std::size_t GzipFile::read(char* destination, std::size_t room) {
  stream_.next_out = reinterpret_cast<unsigned char*>(destination);
  stream_.avail_out = static_cast<uInt>(std::min<std::size_t>(room, UINT_MAX));
  const uInt wanted = stream_.avail_out;
  while (stream_.avail_out > 0) {
    if (!in_member_) {
      // Between members the next two bytes decide: another member's magic number, or the end of the
      // file. zlib's gzread would end quietly at anything else (and at an empty file); gzip -d
      // reports both, and so do we, since the bytes dropped there may be data.
      while (stream_.avail_in < 2 && refill()) {
      }
      if (stream_.avail_in == 0) {
        if (members_ == 0) fail("unexpected end of file (the file is empty, not gzip data)");
        break;  // the last member ended at the end of the file
      }
      if (stream_.avail_in < 2 || stream_.next_in[0] != 0x1f || stream_.next_in[1] != 0x8b) {
        if (members_ == 0) fail("not in gzip format");
        fail("trailing garbage after the gzip data, at byte " + std::to_string(consumed_ - stream_.avail_in) +
             " (not another gzip member)");
      }
      if (::inflateReset(&stream_) != Z_OK) fail("zlib cannot restart");
      in_member_ = true;
    }
    if (stream_.avail_in == 0 && !refill()) fail("unexpected end of file (truncated gzip data)");
    // With input and room both given, inflate always makes progress; Z_BUF_ERROR cannot come.
    const int status = ::inflate(&stream_, Z_NO_FLUSH);
    if (status == Z_STREAM_END) {
      in_member_ = false;
      ++members_;
    } else if (status == Z_MEM_ERROR) {
      throw std::bad_alloc();
    } else if (status != Z_OK) {
      fail(stream_.msg != nullptr ? stream_.msg : "corrupt gzip data (zlib status " + std::to_string(status) + ")");
    }
  }
  return wanted - stream_.avail_out;
}

}  // namespace dagflow::detail
