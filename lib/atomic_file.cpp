// AtomicFile: a temporary file beside the destination, renamed over it when complete.
#include "dagflow/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>

#include "posix_file.hpp"

namespace dagflow {

namespace {

namespace fs = std::filesystem;

// The process's umask, read without changing it: umask() can only be read by setting it, which would
// race with other threads creating files. /proc/self/status has it since Linux 4.7.
mode_t current_umask() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("Umask:", 0) == 0) return static_cast<mode_t>(std::strtoul(line.c_str() + 6, nullptr, 8));
  }
  return 022;
}

// ".<name>.tmp-XXXXXX" in the destination's directory: a rename within one file system, and a name that
// starts with '.', so that neither a directory listing nor a program's option parser mistakes it.
std::string temporary_template(const fs::path& destination) {
  // NAME_MAX is 255 on Linux file systems; the suffix must fit even for the longest destination names.
  constexpr std::size_t longest_stem = 200;
  const std::string name = destination.filename().string().substr(0, longest_stem);
  const fs::path directory = destination.has_parent_path() ? destination.parent_path() : fs::path(".");
  return (directory / ("." + name + ".tmp-XXXXXX")).string();
}

}  // namespace

AtomicFile::AtomicFile(fs::path destination) : destination_(std::move(destination)) {
  if (destination_.filename().empty())
    throw std::system_error(EISDIR, std::generic_category(),
                            "dagflow: cannot write " + detail::in_quotes(destination_) + ": not a file name");
  std::string name = temporary_template(destination_);
  const int fd = ::mkstemp(name.data());
  if (fd < 0) detail::throw_os_error(errno, "cannot create a file beside " + detail::in_quotes(destination_));
  const detail::FileDescriptor owned(fd);
  temporary_ = std::move(name);
  // mkstemp makes the file private (0600); the finished file should look like any other new file. The
  // umask is read once per process (a read costs as much as creating the file).
  static const mode_t umask = current_umask();
  if (::fchmod(fd, 0666 & ~umask) != 0) {
    const int error = errno;
    ::unlink(temporary_.c_str());
    detail::throw_os_error(error, "cannot set the permissions of " + detail::in_quotes(temporary_));
  }
}

AtomicFile::~AtomicFile() {
  if (!committed_) ::unlink(temporary_.c_str());
}

void AtomicFile::commit() {
  if (::rename(temporary_.c_str(), destination_.c_str()) != 0)
    detail::throw_os_error(errno, "cannot write " + detail::in_quotes(destination_));
  committed_ = true;
}

void write_file_atomically(const fs::path& destination, std::string_view contents) {
  AtomicFile file(destination);
  const auto fail = [&](int error) { detail::throw_os_error(error, "cannot write " + detail::in_quotes(destination)); };
  {
    detail::FileDescriptor out(::open(file.temporary_path().c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC));
    if (out.get() < 0) fail(errno);
    while (!contents.empty()) {
      const ssize_t written = ::write(out.get(), contents.data(), contents.size());
      if (written < 0 && errno == EINTR) continue;
      if (written < 0) fail(errno);
      contents.remove_prefix(static_cast<std::size_t>(written));
    }
    if (::close(out.release()) != 0) fail(errno);
  }
  file.commit();
}

}  // namespace dagflow
