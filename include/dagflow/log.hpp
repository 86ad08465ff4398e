// dagflow's diagnostics go to an spdlog logger named "dagflow" (on stderr). It is silent by default;
// at debug level each computation reports its graph size, culling, workers and time.
#pragma once

namespace dagflow {

/// Severity threshold of the "dagflow" logger.
enum class LogLevel {
  trace,  ///< every message
  debug,  ///< debug messages and above, e.g. a summary of each computation (tasks, culling, workers, time)
  info,   ///< informational messages and above
  warn,   ///< warnings and errors (the default)
  error,  ///< errors only
  off,    ///< nothing
};

/// Sets the threshold. The initial one is `warn`, or the value of the environment variable
/// DAGFLOW_LOG_LEVEL (trace, debug, info, warn, error, off) when it is set.
void set_log_level(LogLevel level);

/// The current threshold.
LogLevel log_level();

}  // namespace dagflow
