// Listing the files of read_text and read_blocks when the bag is made (so that a missing file fails
// at once), expanding glob patterns, and cutting each file into the blocks that become partitions.
#include <glob.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <new>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "dagflow/detail/text_blocks.hpp"
#include "dagflow/errors.hpp"
#include "posix_file.hpp"

namespace dagflow::detail {

namespace fs = std::filesystem;

namespace {

// "dagflow: read_text: " or "dagflow: read_blocks: ", for the messages of bad input.
std::string prefix(std::string_view caller) {
  std::string text = "dagflow: ";
  return text.append(caller).append(": ");
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

// The non-directory files matching `pattern`, sorted by name (glob's order).
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

// --- Planning ---------------------------------------------------------------------------------------

// Checks, at read_text() time, that `path` is a file we can read; returns its size, or nothing for a
// file whose size is not known in advance (a pipe, a device).
//
// Only a regular file is opened here. A FIFO must not be: opening it for reading waits for a writer,
// and when we closed it again the writer's next write would fail (EPIPE, or SIGPIPE killing it), or
// what it had already written would be dropped with the pipe; the task's own open would then wait
// forever for a writer that has gone. (O_NONBLOCK would only avoid the wait.) Nor is a device (opening
// one can have effects of its own) or a /dev/fd/N of a pipe. For those, access(2) checks readability
// with the ids open(2) would use, and the task reads the stream once, when it runs.
std::optional<std::uint64_t> checked_file_size(const fs::path& path, std::string_view caller) {
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (status.type() == fs::file_type::not_found)
    throw UsageError(prefix(caller) + "file " + in_quotes(path) + " does not exist");
  if (error) throw UsageError(prefix(caller) + "cannot access " + in_quotes(path) + ": " + error.message());
  if (fs::is_directory(status)) throw UsageError(prefix(caller) + "" + in_quotes(path) + " is a directory");
  if (status.type() == fs::file_type::socket)
    throw UsageError(prefix(caller) + in_quotes(path) + " is a socket, which cannot be opened as a file");
  if (!fs::is_regular_file(status)) {
    if (::faccessat(AT_FDCWD, path.c_str(), R_OK, AT_EACCESS) != 0)
      throw UsageError(prefix(caller) + "cannot open " + in_quotes(path) + ": " + os_message(errno));
    return std::nullopt;
  }
  FileDescriptor fd(open_for_reading(path));
  if (fd.get() < 0) throw UsageError(prefix(caller) + "cannot open " + in_quotes(path) + ": " + os_message(errno));
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0)
    throw UsageError(prefix(caller) + "cannot get the size of " + in_quotes(path) + ": " + os_message(errno));
  return static_cast<std::uint64_t>(info.st_size);
}

bool is_gzip(const fs::path& path, bag::Compression compression) {
  switch (compression) {
    case bag::Compression::gzip:
      return true;
    case bag::Compression::none:
      return false;
    case bag::Compression::infer:
      break;
  }
  return path.extension() == ".gz";
}

void add_blocks(const fs::path& path, std::optional<std::uint64_t> blocksize, bag::Compression compression,
                std::uint64_t max_line_length, std::string_view caller, std::vector<TextBlock>& blocks) {
  const std::optional<std::uint64_t> size = checked_file_size(path, caller);
  const bool gzip = is_gzip(path, compression);
  // A gzip stream cannot be entered in the middle, and a file of unknown size cannot be cut.
  if (gzip || !blocksize || !size || *size <= *blocksize) {
    blocks.push_back({path, 0, TextBlock::to_eof, gzip, max_line_length});
    return;
  }
  const std::uint64_t bs = *blocksize;
  for (std::uint64_t start = 0; start < *size; start += bs) {
    // The last block runs to the end of the file so that bytes appended since listing are not lost.
    const std::uint64_t end = *size - start <= bs ? TextBlock::to_eof : start + bs;
    blocks.push_back({path, start, end, false, max_line_length});
  }
}

}  // namespace

std::vector<TextBlock> plan_text_blocks(std::span<const fs::path> sources, std::optional<std::uint64_t> blocksize,
                                        bag::Compression compression, std::optional<std::uint64_t> max_line_length,
                                        std::string_view caller) {
  if (sources.empty()) throw UsageError(prefix(caller) + "no files given");
  if (blocksize && *blocksize == 0)
    throw UsageError(prefix(caller) + "blocksize must be positive (leave it unset for one partition per file)");
  if (max_line_length && *max_line_length == 0)
    throw UsageError(prefix(caller) + "max_line_length must be positive (std::nullopt for no limit)");
  const std::uint64_t line_limit = max_line_length.value_or(TextBlock::no_line_limit);
  std::vector<TextBlock> blocks;
  for (const fs::path& source : sources) {
    if (is_glob_pattern(source.string())) {
      for (const fs::path& file : expand_glob(source.string(), caller))
        add_blocks(file, blocksize, compression, line_limit, caller, blocks);
    } else {
      add_blocks(source, blocksize, compression, line_limit, caller, blocks);
    }
  }
  return blocks;
}

}  // namespace dagflow::detail
