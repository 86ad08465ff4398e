// Where LineCutter's bytes come from: a plain file read at any position, or a gzip file
// decompressed from its start.
#pragma once

#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

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

/// A gzip-compressed file, decompressed as it is read: one gzip member or several one after another
/// (as `gzip -d` reads them), and nothing else. Unlike zlib's gzread, which reads an empty file as
/// empty text and ignores whatever follows the last member, an empty file and bytes after the last
/// member that do not start another member are errors.
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

  /// Decompresses up to `room` bytes into `destination`; returns how many, 0 only at the end of the
  /// whole, well-formed data. Throws std::system_error naming the file when reading fails, and
  /// dagflow::Error naming it when the file is empty, is not gzip, is corrupt or truncated, or has
  /// bytes after its last member that are not another member.
  std::size_t read(char* destination, std::size_t room);

 private:
  // Reads more compressed bytes after those not yet used; false at the end of the file.
  bool refill();
  [[noreturn]] void fail(const std::string& problem) const;

  const std::filesystem::path& path_;
  FileDescriptor fd_;
  z_stream stream_{};
  std::unique_ptr<unsigned char[]> input_;
  bool input_ended_ = false;
  bool in_member_ = false;      // between a member's header and its trailer
  std::uint64_t members_ = 0;   // members decompressed to their end
  std::uint64_t consumed_ = 0;  // compressed bytes read from the file
  std::uint64_t size_hint_ = 0;
};

}  // namespace dagflow::detail
