#include "log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <string>

#include "dagflow/log.hpp"

namespace dagflow::detail {

namespace {
std::shared_ptr<spdlog::logger> make_logger() {
  auto logger = spdlog::get("dagflow");
  if (!logger) logger = spdlog::stderr_color_mt("dagflow");
  logger->set_level(spdlog::level::warn);
  if (const char* env = std::getenv("DAGFLOW_LOG_LEVEL")) {
    const std::string name(env);
    const auto level = spdlog::level::from_str(name);
    // from_str answers "off" for names it does not know; only trust it when "off" was asked for.
    if (level != spdlog::level::off || name == "off") {
      logger->set_level(level);
    } else {
      logger->warn("DAGFLOW_LOG_LEVEL='{}' is not one of trace, debug, info, warn, error, off; using warn", name);
    }
  }
  return logger;
}
}  // namespace

spdlog::logger& logger() {
  static const std::shared_ptr<spdlog::logger> instance = make_logger();
  return *instance;
}

}  // namespace dagflow::detail

namespace dagflow {

void set_log_level(LogLevel level) {
  detail::logger().set_level(level == LogLevel::off ? spdlog::level::off
                                                    : static_cast<spdlog::level::level_enum>(static_cast<int>(level)));
}

LogLevel log_level() {
  const auto level = detail::logger().level();
  if (level >= spdlog::level::off) return LogLevel::off;
  if (level == spdlog::level::critical) return LogLevel::error;
  return static_cast<LogLevel>(static_cast<int>(level));
}

}  // namespace dagflow
