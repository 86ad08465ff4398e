// Umbrella header: everything a dagflow user needs.
#pragma once

#include "dagflow/bag.hpp"
#include "dagflow/bag_io.hpp"
#include "dagflow/delayed.hpp"
#include "dagflow/errors.hpp"
#include "dagflow/log.hpp"
#include "dagflow/options.hpp"
#include "dagflow/task_graph.hpp"
#include "dagflow/visualize.hpp"
