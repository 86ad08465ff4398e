// POSIX helpers of the text file code: an owned file descriptor, opening for reading, and the text
// of operating-system errors and of paths in messages.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>
#include <utility>

namespace dagflow::detail {

/// `path` in single quotes, for messages.
// Appending (rather than "'" + ... + "'") also sidesteps a false -Wrestrict in g++ 12's <string>.
inline std::string in_quotes(const std::filesystem::path& path) {
  std::string quoted;
  quoted.reserve(path.native().size() + 2);
  return quoted.append(1, '\'').append(path.native()).append(1, '\'');
}

/// strerror's text, without strerror's shared buffer (tasks run on several threads).
inline std::string os_message(int error) { return std::generic_category().message(error); }

/// Throws std::system_error for `error` (an errno value), its message "dagflow: " + `what`.
[[noreturn]] inline void throw_os_error(int error, const std::string& what) {
  throw std::system_error(error, std::generic_category(), "dagflow: " + what);
}

/// Opens `path` for reading; returns the descriptor or -1 with errno set.
inline int open_for_reading(const std::filesystem::path& path) noexcept {
  return ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
}

/// Owns a file descriptor (or -1 for none) and closes it.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) noexcept : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const noexcept { return fd_; }
  /// Gives up ownership (to close it and check close's result, say).
  int release() noexcept { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

}  // namespace dagflow::detail
