// Where LineCutter's bytes come from: a plain file read at any position, or a gzip file
// decompressed from its start.
#pragma once

#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>

#include "line_cutter.hpp"  // unlimited: what these files feed
#include "posix_file.hpp"

namespace dagflow::detail {

/// A plain file open for reading: pread where the file is regular, sequential reads where it is a
/// pipe or a device (which cannot be cut into blocks, so they are only read from their start).
class PlainFile {
 public:
  /// Opens `path`, which must outlive this. Throws std::system_error naming it.
  explicit PlainFile(const std::filesystem::path& path);

  /// Its size when it was opened, or `unlimited` for a pipe or device.
  std::uint64_t size() const noexcept { return size_; }

  /// Reads up to `room` bytes at `offset` into `destination`; returns how many (0 at the end of the
  /// file). Throws std::system_error naming the file.
  std::size_t read(std::uint64_t offset, char* destination, std::size_t room) const;

 private:
  const std::filesystem::path& path_;
  FileDescriptor fd_;
  bool seekable_ = false;
  std::uint64_t size_ = 0;
};

/// A gzip-compressed file, decompressed as it is read. finish() checks that the stream was whole.
class GzipFile {
 public:
  /// Opens `path`, which must outlive this. Throws std::system_error naming it.
  explicit GzipFile(const std::filesystem::path& path);
  GzipFile(const GzipFile&) = delete;
  GzipFile& operator=(const GzipFile&) = delete;
  ~GzipFile();

  /// The decompressed size the file announces (a guess where it announces none; `unlimited` for a
  /// pipe), for reserving memory.
  std::uint64_t size_hint() const noexcept { return size_hint_; }

  /// Decompresses up to `room` bytes into `destination`; returns how many (0 at the end or on an
  /// error, which finish() reports). Throws nothing.
  std::size_t read(char* destination, std::size_t room) noexcept;

  /// Throws std::system_error or dagflow::Error naming the file if reading failed, the data was not
  /// gzip, or the stream ended early.
  void finish();

 private:
  const std::filesystem::path& path_;
  gzFile gz_ = nullptr;
  std::uint64_t size_hint_ = 0;
  std::uint64_t decompressed_ = 0;
};

}  // namespace dagflow::detail
