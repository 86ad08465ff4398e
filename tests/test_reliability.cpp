// Reliability: what must neither crash nor return a wrong value however a computation is misused or
// interrupted. A compute() nested in work that is cancelled from outside (a failing sibling task, a
// failing tbb::parallel_for); a task that drops the last handle of the graph being computed; absurd
// worker counts; an exception whose what() is null. On every scheduler of support/schedulers.hpp.
#include <gtest/gtest.h>
#include <oneapi/tbb/parallel_for.h>

#include <atomic>
#include <chrono>
#include <climits>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <dagflow/dagflow.hpp>

#include "support/schedulers.hpp"

namespace {

using dagflow::ComputeOptions;
using dagflow::Delayed;

// --- a compute() nested in work cancelled from outside ------------------------------------------------------

// A graph of a few thousand tasks: long enough that a sibling's failure lands while it runs.
constexpr long inner_tasks = 3000;
constexpr long inner_sum = inner_tasks * (inner_tasks - 1) / 2;

Delayed<long> make_inner_graph() {
  auto ident = dagflow::delayed([](long k) { return k; }, "ident");
  auto sum = dagflow::delayed(
      [](const std::vector<long>& values) {
        long total = 0;
        for (long v : values) total += v;
        return total;
      },
      "sum");
  std::vector<Delayed<long>> parts;
  parts.reserve(inner_tasks);
  for (long k = 0; k < inner_tasks; ++k) parts.push_back(ident(k));
  return sum(parts);
}

struct SiblingFailure : std::runtime_error {
  SiblingFailure() : std::runtime_error("sibling failed") {}
};

class NestedCancellation : public dagflow_test::SchedulerTest {
 protected:
  // Outer tasks each compute `inner` with `inner_options` while a sibling throws; the outer compute must
  // report the sibling, and every inner compute that returns must return the right sum (a cancelled
  // inner compute may throw instead, which its outer task then reports, but the sibling failed first).
  void run_outer(const ComputeOptions& inner_options) {
    const Delayed<long> inner = make_inner_graph();
    std::atomic<bool> wrong{false};
    auto nested = dagflow::delayed(
        [&inner, &wrong, inner_options](int) {
          const long value = inner.compute(inner_options);
          if (value != inner_sum) wrong = true;
          return value;
        },
        "nested");
    auto boom = dagflow::delayed(
        []() -> long {
          std::this_thread::sleep_for(std::chrono::microseconds(300));
          throw SiblingFailure();
        },
        "boom");
    for (int round = 0; round < 20; ++round) {
      // The failing sibling sits among the nested computes (fourth of thirteen).
      const Delayed<long> failing = boom();
      std::vector<Delayed<long>> parts;
      parts.reserve(13);
      for (int i = 0; i < 13; ++i) parts.push_back(i == 3 ? failing : nested(i < 3 ? i : i - 1));
      try {
        dagflow::compute(parts, options());
        ADD_FAILURE() << "expected a TaskError";
      } catch (const dagflow::TaskError& e) {
        EXPECT_EQ(e.key(), failing.key()) << e.what();
        EXPECT_THROW(e.rethrow_original(), SiblingFailure);
      }
      ASSERT_FALSE(wrong.load()) << "a nested compute returned a wrong value, in round " << round;
    }
  }
};

TEST_P(NestedCancellation, InnerComputeWithTheSameScheduler) { run_outer(options()); }

TEST_P(NestedCancellation, InnerComputeWithTheDefaultOptions) { run_outer(ComputeOptions{}); }

TEST_P(NestedCancellation, InsideAFailingParallelFor) {
  const Delayed<long> inner = make_inner_graph();
  std::atomic<bool> wrong{false};
  // Made once, outside the rounds: oneTBB's workers read it through a reference, and oneTBB's joins are
  // invisible to ThreadSanitizer, so a closure rebuilt each round on the same stack slot would be
  // reported as racing with the previous round's readers.
  const auto body = [&](int i) {
    if (i == 5) {
      std::this_thread::sleep_for(std::chrono::microseconds(300));
      throw SiblingFailure();
    }
    if (inner.compute(options()) != inner_sum) wrong = true;
  };
  for (int round = 0; round < 20; ++round) {
    EXPECT_THROW(tbb::parallel_for(0, 32, body), SiblingFailure);
    ASSERT_FALSE(wrong.load()) << "a nested compute returned a wrong value, in round " << round;
  }
}

TEST_P(NestedCancellation, ComputeInsideAHealthyParallelForStillWorks) {
  const Delayed<long> inner = make_inner_graph();
  std::atomic<int> right{0};
  tbb::parallel_for(0, 8, [&](int) {
    if (inner.compute(options()) == inner_sum) ++right;
  });
  EXPECT_EQ(right.load(), 8);
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(NestedCancellation);

// --- the last handle of a graph dropped while it is computed -------------------------------------------------

class GraphLifetime : public dagflow_test::SchedulerTest {};

TEST_P(GraphLifetime, TaskDropsTheOnlyHandleOfTheGraph) {
  std::optional<Delayed<int>> only_handle;
  auto drop = dagflow::delayed(
      [&only_handle](int a) {
        only_handle.reset();  // the graph's last handle: the running computation must keep it alive
        return a + 1;
      },
      "drop");
  auto inc = dagflow::delayed([](int a) { return a + 1; }, "inc");
  only_handle = inc(inc(drop(inc(0))));
  const Delayed<int>& root = *only_handle;
  EXPECT_EQ(std::get<0>(dagflow::compute(options(), root)), 4);
  EXPECT_FALSE(only_handle.has_value());
}

TEST_P(GraphLifetime, TaskDropsTheGraphAndTheFunctionsThatMadeIt) {
  // The delayed functions are temporaries, so only the graph owns them: dropping the graph would also
  // free the running task's own function object.
  std::optional<Delayed<std::string>> only_handle;
  auto* handle = &only_handle;
  auto make = [](int n) { return std::string(static_cast<std::size_t>(n), 'x'); };
  auto drop = [handle](const std::string& s) {
    handle->reset();
    return s + "!";
  };
  auto ask = [](std::string s) { return s + "?"; };
  only_handle = dagflow::delayed(ask, "ask")(dagflow::delayed(drop, "drop")(dagflow::delayed(make, "make")(40)));
  EXPECT_EQ(std::get<0>(dagflow::compute(options(), *only_handle)), std::string(40, 'x') + "!?");
  EXPECT_FALSE(only_handle.has_value());
}

TEST_P(GraphLifetime, TaskClearsTheListBeingComputed) {
  // compute(list) must neither lose the graph nor read the caller's list after the run.
  std::vector<Delayed<int>> roots;
  auto inc = dagflow::delayed([](int a) { return a + 1; }, "inc");
  auto wipe = dagflow::delayed(
      [&roots](int a) {
        roots.clear();
        return a;
      },
      "wipe");
  roots.push_back(wipe(inc(0)));
  roots.push_back(inc(inc(inc(1))));
  EXPECT_EQ(dagflow::compute(roots, options()), (std::vector<int>{1, 4}));
  EXPECT_TRUE(roots.empty());
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(GraphLifetime);

// --- worker counts ------------------------------------------------------------------------------------------

class WorkerLimits : public dagflow_test::SchedulerTest {
 protected:
  // Computes a one-task graph with `workers` and returns the UsageError's message ("" when none).
  std::string usage_error(int workers) {
    auto inc = dagflow::delayed([](int a) { return a + 1; }, "inc");
    ComputeOptions opts = options();
    opts.workers = workers;
    try {
      EXPECT_EQ(inc(1).compute(opts), 2);
    } catch (const dagflow::UsageError& e) {
      return e.what();
    }
    return "";
  }
};

TEST_P(WorkerLimits, AbsurdWorkerCountsAreUsageErrors) {
  for (int workers : {ComputeOptions::max_workers + 1, 1 << 22, 1 << 24, INT_MAX}) {
    const std::string what = usage_error(workers);
    EXPECT_NE(what.find("ComputeOptions::workers"), std::string::npos) << workers << ": " << what;
    EXPECT_NE(what.find(std::to_string(ComputeOptions::max_workers)), std::string::npos) << what;
    EXPECT_NE(what.find(std::to_string(workers)), std::string::npos) << what;
  }
}

TEST_P(WorkerLimits, SaneWorkerCountsStillRun) {
  for (int workers : {0, 1, 3, 64}) EXPECT_EQ(usage_error(workers), "") << workers;
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(WorkerLimits);

// --- odd exceptions -----------------------------------------------------------------------------------------

struct NullWhat : std::exception {
  const char* what() const noexcept override { return nullptr; }
};

class OddExceptions : public dagflow_test::SchedulerTest {};

TEST_P(OddExceptions, NullWhatIsATaskError) {
  auto bad = dagflow::delayed([]() -> int { throw NullWhat(); }, "null_what");
  const Delayed<int> failing = bad();
  try {
    failing.compute(options());
    FAIL() << "expected a TaskError";
  } catch (const dagflow::TaskError& e) {
    EXPECT_EQ(e.key(), failing.key());
    const std::string what = e.what();
    EXPECT_NE(what.find(failing.key()), std::string::npos) << what;
    EXPECT_NE(what.find("<no message>"), std::string::npos) << what;
    EXPECT_THROW(e.rethrow_original(), NullWhat);
  }
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(OddExceptions);

// --- Arenas kept between computes -----------------------------------------------------------------------
// compute({.workers = N}) reuses an arena per calling thread and worker count instead of making one per
// call (which cost 8-13 µs and grew without bound over many computes). These check what the reuse must
// not change.

const auto plus_one = dagflow::delayed([](int x) { return x + 1; }, "plus_one");

TEST(ArenaReuse, AlternatingWorkerCountsGiveRightAnswers) {
  // Twenty counts cycle through a cache of sixteen arenas, so arenas are dropped and made again all the time.
  const auto graph = plus_one(plus_one(plus_one(0)));
  for (int round = 0; round < 20; ++round) {
    for (int workers = 1; workers <= 20; ++workers) ASSERT_EQ(graph.compute({.workers = workers}), 3) << workers;
  }
}

TEST(ArenaReuse, EachCallingThreadGetsItsOwnWorkers) {
  // Two threads compute at once with one worker each, and each task waits for the other thread's task.
  // They meet only if each compute has a thread of its own, as with an arena per call; an arena shared by
  // the two calls would queue the second compute behind the first, whose task waits for it (until the
  // 10 s limit here).
  std::atomic<int> arrived{0};
  const auto meet = dagflow::delayed(
      [&arrived](int id) {
        arrived.fetch_add(1);
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (arrived.load() < 2 && std::chrono::steady_clock::now() < give_up) std::this_thread::yield();
        return arrived.load() >= 2 ? id : -1;
      },
      "meet");
  for (int round = 0; round < 3; ++round) {  // the second and third rounds reuse the threads' arenas
    arrived = 0;
    std::optional<int> first, second;
    std::thread other([&] { second = meet(2).compute({.workers = 1}); });
    first = meet(1).compute({.workers = 1});
    other.join();
    EXPECT_EQ(first, 1) << "round " << round;
    EXPECT_EQ(second, 2) << "round " << round;
  }
}

TEST(ArenaReuse, ComputesInsideATaskWithTheSameWorkerCount) {
  // The inner computes run on oneTBB threads, which keep an arena per call; the outer one reuses its own.
  const auto inner = dagflow::delayed([](int x) { return plus_one(x).compute({.workers = 2}); }, "inner");
  std::vector<dagflow::Delayed<int>> parts;
  for (int i = 0; i < 16; ++i) parts.push_back(inner(i));
  for (int round = 0; round < 5; ++round) {
    const std::vector<int> values = dagflow::compute(parts, {.workers = 2});
    for (int i = 0; i < 16; ++i) ASSERT_EQ(values[static_cast<std::size_t>(i)], i + 1);
  }
}

}  // namespace
