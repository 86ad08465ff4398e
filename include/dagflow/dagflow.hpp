// Umbrella header: everything a dagflow user needs.
#pragma once

#include "dagflow/atomic_file.hpp"
#include "dagflow/bag.hpp"
#include "dagflow/bag_io.hpp"
#include "dagflow/compression.hpp"
#include "dagflow/delayed.hpp"
#include "dagflow/errors.hpp"
#include "dagflow/log.hpp"
#include "dagflow/options.hpp"
#include "dagflow/task_graph.hpp"
#include "dagflow/visualize.hpp"

/// \namespace dagflow
/// Dask's `delayed` and `bag` programming model for C++20, run by a oneTBB scheduler.
///
/// - Lazy function calls: delayed() wraps a function, calls record tasks (Delayed), and compute() runs
///   the graph they need on all cores (`dagflow/delayed.hpp`).
/// - Custom graphs of string keys, as Dask's dictionaries: TaskGraph and get() (`dagflow/task_graph.hpp`).
/// - Partitioned collections with Dask's vocabulary: Bag and the constructors in dagflow::bag
///   (`dagflow/bag.hpp`, `dagflow/bag_io.hpp`).
/// - How a graph runs and is observed: ComputeOptions, Callback (`dagflow/options.hpp`); pictures of
///   graphs: VisualizeOptions (`dagflow/visualize.hpp`); logging: set_log_level() (`dagflow/log.hpp`).
///
/// Every exception the library throws derives from Error (`dagflow/errors.hpp`). Namespace
/// `dagflow::detail` holds what the header templates need; it is not part of the API.
