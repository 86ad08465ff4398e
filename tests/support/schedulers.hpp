// The schedulers every behavioural test runs on, written once.
//
// A test that must hold whatever runs the graph is a TEST_P on `SchedulerTest` (or `SchedulerTestWith<P>`
// when it has a parameter of its own, e.g. a partition count), and gets its ComputeOptions from
// `options()`; `DAGFLOW_TEST_ON_EVERY_SCHEDULER(Suite)` then runs it once per entry of `schedulers()`.
// A new executor gets the whole suite by adding its entries to that list.
//
//   class Gather : public dagflow_test::SchedulerTest {};
//   TEST_P(Gather, KeepsTheOrder) { EXPECT_EQ(dagflow::gather(parts).compute(options()), expected); }
//   DAGFLOW_TEST_ON_EVERY_SCHEDULER(Gather);   // Schedulers/Gather.KeepsTheOrder/sync, .../threads1, ...
//
//   class Sums : public dagflow_test::SchedulerTestWith<std::size_t> {};   // param(): the partition count
//   DAGFLOW_TEST_ON_EVERY_SCHEDULER_WITH(Sums, ::testing::Values(1, 3, 8));   // .../sync_1, .../threads2_8
//
// Tests about one scheduler in particular (what only threads can show, the order only sync guarantees)
// stay plain TESTs that name their options, with a comment saying why. The few tests too slow to repeat
// for every configuration use DAGFLOW_TEST_ON_EACH_EXECUTOR: one entry per Scheduler kind.
#pragma once

#include <gtest/gtest.h>

#include <boost/core/demangle.hpp>
#include <cctype>
#include <dagflow/errors.hpp>
#include <dagflow/options.hpp>
#if defined(DAGFLOW_TEST_MPI)
#include <dagflow/mpi.hpp>
#endif
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

namespace dagflow_test {

/// One way of running a graph, and the name it gives to the test instances that use it.
struct SchedulerCase {
  std::string name;                 ///< test-name suffix: letters, digits and '_' only
  dagflow::ComputeOptions options;  ///< without a callback
};

/// Every scheduler configuration: sync, and the threads scheduler with one worker (all of its
/// machinery, no parallelism), two workers (parallel even on a two-core machine) and the default
/// (one worker per core).
inline const std::vector<SchedulerCase>& schedulers() {
#if defined(DAGFLOW_TEST_MPI)
  // tests/mpi/: the same suites on every rank of an MPI job, with both ways of dealing out sources.
  static const std::vector<SchedulerCase> cases{
      {"mpi", {.scheduler = dagflow::Scheduler::mpi, .workers = 1}},
      {"mpi_cyclic", {.scheduler = dagflow::Scheduler::mpi, .workers = 2, .placement = dagflow::Placement::cyclic}},
  };
#else
  static const std::vector<SchedulerCase> cases{
      {"sync", {.scheduler = dagflow::Scheduler::sync}},
      {"threads1", {.scheduler = dagflow::Scheduler::threads, .workers = 1}},
      {"threads2", {.scheduler = dagflow::Scheduler::threads, .workers = 2}},
      {"threads_default", {.scheduler = dagflow::Scheduler::threads, .workers = 0}},
  };
#endif
  return cases;
}

/// One entry per executor: the first entry of each Scheduler kind in schedulers() (sync, threads1). For
/// the few tests too slow to repeat for every configuration of the same executor; a new executor's first
/// entry joins them by itself.
inline std::vector<SchedulerCase> one_per_executor() {
  std::vector<SchedulerCase> firsts;
  for (const auto& entry : schedulers()) {
    bool seen = false;
    for (const auto& first : firsts) seen = seen || first.options.scheduler == entry.options.scheduler;
    if (!seen) firsts.push_back(entry);
  }
  return firsts;
}

/// True when `options` runs only part of each graph in this process (Scheduler::mpi on several ranks):
/// what a test counts in its own process (task calls, callbacks, copies) is then only this rank's share,
/// so such a test skips itself there. Every rank skips the same tests, so their collectives still match.
inline bool runs_a_share_only(const dagflow::ComputeOptions& options) {
#if defined(DAGFLOW_TEST_MPI)
  return options.scheduler == dagflow::Scheduler::mpi && dagflow::mpi::size() > 1;
#else
  static_cast<void>(options);
  return false;
#endif
}

/// Skips the running test where runs_a_share_only() (see there), saying why.
/// Expects TaskError `error`'s original exception to be a `Type` (see original_is()).
#define DAGFLOW_EXPECT_ORIGINAL_THROW(error, Type) \
  EXPECT_TRUE(::dagflow_test::original_is<Type>(error)) << "the task's exception is not a " #Type

#define DAGFLOW_SKIP_WHERE_RANKS_SHARE(options, what)                                                      \
  if (::dagflow_test::runs_a_share_only(options))                                                           \
  GTEST_SKIP() << "counts " what " in this process, which runs only its share of the graph under MPI"

/// True when the exception `error` carries is the task's own (always, but under MPI on a rank other than
/// the one whose task threw: there it is a RemoteTaskError naming the type, since the object stays there)
/// and of type `Type`, or a RemoteTaskError naming `Type` exactly.
template <class Type>
bool original_is(const dagflow::TaskError& error) {
  try {
    error.rethrow_original();
  } catch (const dagflow::RemoteTaskError& remote) {
    return remote.type() == boost::core::demangle(typeid(Type).name());
  } catch (const Type&) {
    return true;
  } catch (...) {
  }
  return false;
}

/// `options` with `callback` set.
inline dagflow::ComputeOptions with_callback(dagflow::ComputeOptions options, dagflow::Callback* callback) {
  options.callback = callback;
  return options;
}

/// GoogleTest prints a failing instance's parameter with this.
inline void PrintTo(const SchedulerCase& scheduler, std::ostream* out) { *out << scheduler.name; }

/// Fixture of a test run on every scheduler.
class SchedulerTest : public ::testing::TestWithParam<SchedulerCase> {
 protected:
  /// The options of this instance's scheduler, with `callback` (may be null).
  dagflow::ComputeOptions options(dagflow::Callback* callback = nullptr) const {
    return with_callback(GetParam().options, callback);
  }
};

/// Fixture of a test run on every scheduler for every value of a parameter of its own, `param()`.
template <class Param>
class SchedulerTestWith : public ::testing::TestWithParam<std::tuple<SchedulerCase, Param>> {
 protected:
  dagflow::ComputeOptions options(dagflow::Callback* callback = nullptr) const {
    return with_callback(std::get<0>(this->GetParam()).options, callback);
  }
  const Param& param() const { return std::get<1>(this->GetParam()); }
};

/// Names test instances after their scheduler ("threads2"), and their own parameter ("threads2_8").
struct SchedulerName {
  std::string operator()(const ::testing::TestParamInfo<SchedulerCase>& info) const { return info.param.name; }

  template <class Param>
  std::string operator()(const ::testing::TestParamInfo<std::tuple<SchedulerCase, Param>>& info) const {
    std::string suffix = ::testing::PrintToString(std::get<1>(info.param));
    for (char& c : suffix)
      if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    return std::get<0>(info.param).name + "_" + suffix;
  }
};

/// A generator of every entry of schedulers(), for INSTANTIATE_TEST_SUITE_P and ::testing::Combine.
inline auto every_scheduler() { return ::testing::ValuesIn(schedulers()); }

}  // namespace dagflow_test

/// Runs every TEST_P of `suite` (a SchedulerTest) once per scheduler.
#define DAGFLOW_TEST_ON_EVERY_SCHEDULER(suite) \
  INSTANTIATE_TEST_SUITE_P(Schedulers, suite, ::dagflow_test::every_scheduler(), ::dagflow_test::SchedulerName{})

/// Runs every TEST_P of `suite` (a SchedulerTestWith<P>) once per scheduler and value of the generator
/// given after it, e.g. ::testing::Values(1, 3, 8).
#define DAGFLOW_TEST_ON_EVERY_SCHEDULER_WITH(suite, ...)                                                          \
  INSTANTIATE_TEST_SUITE_P(Schedulers, suite, ::testing::Combine(::dagflow_test::every_scheduler(), __VA_ARGS__), \
                           ::dagflow_test::SchedulerName{})

/// Runs every TEST_P of `suite` (a SchedulerTest) once per executor (see one_per_executor()).
#define DAGFLOW_TEST_ON_EACH_EXECUTOR(suite)                                                          \
  INSTANTIATE_TEST_SUITE_P(Executors, suite, ::testing::ValuesIn(::dagflow_test::one_per_executor()), \
                           ::dagflow_test::SchedulerName{})
