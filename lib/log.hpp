#pragma once

#include <spdlog/logger.h>

namespace dagflow::detail {

/// The "dagflow" logger, created on first use with the level from DAGFLOW_LOG_LEVEL.
spdlog::logger& logger();

}  // namespace dagflow::detail
