// The writing half of bag::to_textfiles: output file names, and the buffered (optionally gzip)
// writer each task writes its partition through.
#include "dagflow/detail/text_output.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <filesystem>
#include <new>
#include <system_error>
#include <utility>

#include "dagflow/errors.hpp"
#include "posix_file.hpp"

namespace dagflow::detail {

namespace fs = std::filesystem;

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

TextFileWriter::TextFileWriter(std::string path) : path_(std::move(path)), file_(path_) {
  fd_ = ::open(file_.temporary_path().c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
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
  file_.commit();
}

}  // namespace dagflow::detail
