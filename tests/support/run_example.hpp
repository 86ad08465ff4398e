// Running an example program from a test: where the build put it, and what it printed and returned.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace example_test {

struct ProcessResult {
  int status = -1;     ///< exit status, or -1 when the program did not exit normally
  std::string output;  ///< stdout and stderr together
};

/// Runs `command` through the shell, capturing stdout and stderr.
inline ProcessResult run(const std::string& command) {
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run: " + command);
  ProcessResult result;
  std::array<char, 4096> buffer;
  for (std::size_t n; (n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0;) result.output.append(buffer.data(), n);
  const int raw = ::pclose(pipe);
  result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return result;
}

/// The example program examples/<dir>/<name> of this build, or an empty path when the examples were
/// not built (DAGFLOW_BUILD_EXAMPLES=OFF).
inline std::filesystem::path program(const std::string& dir, const std::string& name) {
  const auto path = std::filesystem::path(DAGFLOW_BINARY_DIR) / "examples" / dir / name;
  return std::filesystem::exists(path) ? path : std::filesystem::path();
}

}  // namespace example_test
