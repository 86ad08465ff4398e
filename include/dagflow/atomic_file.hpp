// Writing a file so that no reader ever sees it half-written: to_textfiles, visualize and the example
// programs write every output this way, and a task of yours can too.
//
//   dagflow::AtomicFile file("out/picture.png");
//   write_png(file.temporary_path(), ...);   // any writer that takes a path
//   file.commit();                           // now "out/picture.png" is the complete new picture
#pragma once

#include <filesystem>
#include <string_view>

namespace dagflow {

/// A file written under a temporary name beside its destination, then renamed over the destination by
/// commit(): readers see the old file (or none), or the complete new one, never a partial one, even
/// when the program is interrupted while writing. The temporary file is ".<name>.tmp-XXXXXX" in the
/// destination's directory (hidden, and never starting with '-'); the destructor removes it when commit()
/// was not reached. A program killed by a signal before commit() leaves that hidden file behind, never a
/// partial file under the final name.
///
/// This guards against interruption, not power loss: the data is not forced to disk (no fsync) before the
/// rename. Not thread-safe; one writer per AtomicFile, any number of AtomicFiles at once.
class AtomicFile {
 public:
  /// Creates the temporary file, empty, with the permissions a new file gets (0666 less the umask).
  /// Throws std::system_error naming `destination` when its directory is missing or not writable.
  explicit AtomicFile(std::filesystem::path destination);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  /// Removes the temporary file unless commit() succeeded. Throws nothing.
  ~AtomicFile();

  /// Where to write the contents. Throws nothing.
  const std::filesystem::path& temporary_path() const noexcept { return temporary_; }
  /// The final name. Throws nothing.
  const std::filesystem::path& destination() const noexcept { return destination_; }
  /// Renames the temporary file over the destination; call it once, after whatever wrote the file has
  /// closed it. Throws std::system_error naming the destination when the rename fails (the destination is
  /// a directory, say); the temporary file is then removed by the destructor.
  void commit();

 private:
  std::filesystem::path destination_;
  std::filesystem::path temporary_;
  bool committed_ = false;
};

/// Writes `contents` to `destination` through an AtomicFile. Throws std::system_error naming the file.
void write_file_atomically(const std::filesystem::path& destination, std::string_view contents);

}  // namespace dagflow
