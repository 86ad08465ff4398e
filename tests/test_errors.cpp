// Errors: a task's exception reaches the caller as a TaskError naming the task and carrying the
// original; tasks not yet started are cancelled; misuse (empty Delayed, bad options) is a UsageError. On
// every scheduler of support/schedulers.hpp, but for what only one scheduler shows.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <dagflow/dagflow.hpp>

#include "support/schedulers.hpp"

namespace {

using dagflow::ComputeOptions;
using dagflow::Delayed;
using dagflow::Scheduler;

// --- TaskError ----------------------------------------------------------------------------------------------

class TaskErrors : public dagflow_test::SchedulerTest {};

TEST_P(TaskErrors, NamesTheKeyAndCarriesTheOriginal) {
  auto inc = dagflow::delayed([](int a) { return a + 1; }, "inc");
  auto check = dagflow::delayed(
      [](int a) -> int {
        if (a > 1) throw std::invalid_argument("value too large: " + std::to_string(a));
        return a;
      },
      "check");
  Delayed<int> bad = check(inc(inc(0)));
  try {
    inc(bad).compute(options());
    FAIL() << "expected a TaskError";
  } catch (const dagflow::TaskError& e) {
    EXPECT_EQ(e.key(), bad.key());
    const std::string what = e.what();
    EXPECT_NE(what.find(bad.key()), std::string::npos) << what;
    EXPECT_NE(what.find("value too large: 2"), std::string::npos) << what;
    ASSERT_TRUE(e.original());
    DAGFLOW_EXPECT_ORIGINAL_THROW(e, std::invalid_argument);
    try {
      e.rethrow_original();
    } catch (const std::invalid_argument& original) {
      EXPECT_STREQ(original.what(), "value too large: 2");
    } catch (const dagflow::RemoteTaskError& remote) {  // another MPI rank ran the task
      EXPECT_STREQ(remote.what(), "value too large: 2");
    }
  }
}

TEST_P(TaskErrors, IsADagflowError) {
  auto boom = dagflow::delayed([]() -> int { throw std::runtime_error("boom"); }, "boom");
  EXPECT_THROW(boom().compute(options()), dagflow::Error);
}

TEST_P(TaskErrors, ExceptionNotDerivedFromStdException) {
  auto boom = dagflow::delayed([]() -> int { throw 42; }, "boom");
  Delayed<int> bad = boom();
  try {
    bad.compute(options());
    FAIL() << "expected a TaskError";
  } catch (const dagflow::TaskError& e) {
    EXPECT_EQ(e.key(), bad.key());
    EXPECT_NE(std::string(e.what()).find("unknown exception"), std::string::npos) << e.what();
    try {
      e.rethrow_original();
    } catch (int value) {
      EXPECT_EQ(value, 42);
    } catch (const dagflow::RemoteTaskError& remote) {  // another MPI rank ran the task
      EXPECT_EQ(remote.type(), "unknown");
    }
  }
}

TEST_P(TaskErrors, FromVoidAndVectorTasks) {
  auto leaf = dagflow::delayed([](int i) { return i; }, "leaf");
  auto reject = dagflow::delayed([](const std::vector<int>& xs) { if (xs.size() > 2) throw std::length_error("long"); },
                                 "reject");
  auto total = dagflow::delayed([](std::vector<int> xs) -> int { throw std::out_of_range(std::to_string(xs.size())); },
                                "total");
  std::vector<Delayed<int>> parts{leaf(1), leaf(2), leaf(3)};
  Delayed<void> v = reject(parts);
  try {
    v.compute(options());
    FAIL() << "expected a TaskError";
  } catch (const dagflow::TaskError& e) {
    EXPECT_EQ(e.key(), v.key());
    DAGFLOW_EXPECT_ORIGINAL_THROW(e, std::length_error);
  }
  Delayed<int> t = total(parts);
  try {
    dagflow::compute(std::vector<Delayed<int>>{parts[0], t}, options());
    FAIL() << "expected a TaskError";
  } catch (const dagflow::TaskError& e) {
    EXPECT_EQ(e.key(), t.key());
    DAGFLOW_EXPECT_ORIGINAL_THROW(e, std::out_of_range);
  }
}

TEST_P(TaskErrors, GraphStaysUsableAfterAFailure) {
  std::atomic<bool> fail{true};
  auto flaky = dagflow::delayed(
      [&fail](int a) {
        if (fail) throw std::runtime_error("not yet");
        return a * 2;
      },
      "flaky");
  auto inc = dagflow::delayed([](int a) { return a + 1; }, "inc");
  Delayed<int> x = inc(flaky(inc(1)));
  EXPECT_THROW(x.compute(options()), dagflow::TaskError);
  fail = false;
  EXPECT_EQ(x.compute(options()), 5);
}

TEST_P(TaskErrors, FailureInANestedComputeKeepsBothKeys) {
  if (options().scheduler == dagflow::Scheduler::mpi) GTEST_SKIP() << "an MPI compute inside a task is a UsageError (tests/mpi)";
  auto boom = dagflow::delayed([](int) -> int { throw std::domain_error("inner"); }, "boom");
  Delayed<int> inner = boom(1);
  const ComputeOptions inner_options = options();
  auto outer = dagflow::delayed([inner, inner_options](int a) { return a + inner.compute(inner_options); }, "outer");
  Delayed<int> o = outer(1);
  try {
    o.compute(options());
    FAIL() << "expected a TaskError";
  } catch (const dagflow::TaskError& e) {
    EXPECT_EQ(e.key(), o.key());
    try {
      e.rethrow_original();
    } catch (const dagflow::TaskError& nested) {
      EXPECT_EQ(nested.key(), inner.key());
      EXPECT_THROW(nested.rethrow_original(), std::domain_error);
    }
  }
}

TEST_P(TaskErrors, ManyFailingTasksGiveOneErrorAndNoHang) {
  auto boom = dagflow::delayed([](int i) -> int { throw std::runtime_error("boom " + std::to_string(i)); }, "boom");
  std::vector<Delayed<int>> parts;
  std::set<std::string> keys;
  for (int i = 0; i < 5000; ++i) {
    parts.push_back(boom(i));
    keys.insert(parts.back().key());
  }
  auto all = dagflow::gather(parts);
  for (int repeat = 0; repeat < 3; ++repeat) {
    try {
      all.compute(options());
      FAIL() << "expected a TaskError";
    } catch (const dagflow::TaskError& e) {
      EXPECT_EQ(keys.count(e.key()), 1u) << e.key();
    }
  }
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(TaskErrors);

// --- Cancellation ---------------------------------------------------------------------------------------------

// Sync-only: which tasks ran before the failure is known only for the sync scheduler's fixed order.
TEST(CancellationWithSync, NothingRunsAfterTheFailure) {
  std::atomic<int> before{0}, after{0};
  auto count_before = dagflow::delayed([&before](int i) { ++before; return i; }, "before");
  auto count_after = dagflow::delayed([&after](int i) { ++after; return i; }, "after");
  auto boom = dagflow::delayed([](int) -> int { throw std::runtime_error("boom"); }, "boom");
  // The sync scheduler runs the plan's order: the list's elements in order, each after its inputs.
  std::vector<Delayed<int>> parts{count_before(0), count_before(1), boom(2)};
  for (int i = 0; i < 100; ++i) parts.push_back(count_after(i));
  EXPECT_THROW(dagflow::gather(parts).compute(ComputeOptions{.scheduler = Scheduler::sync}), dagflow::TaskError);
  EXPECT_EQ(before.load(), 2);
  EXPECT_EQ(after.load(), 0);
}

class Cancellation : public dagflow_test::SchedulerTest {};

TEST_P(Cancellation, SuccessorsOfAFailedTaskNeverStart) {
  std::atomic<int> runs{0};
  auto inc = dagflow::delayed([&runs](int a) { ++runs; return a + 1; }, "inc");
  auto boom = dagflow::delayed([](int) -> int { throw std::runtime_error("boom"); }, "boom");
  Delayed<int> bad = boom(0);
  Delayed<int> chain = bad;
  for (int i = 0; i < 1000; ++i) chain = inc(chain);
  std::vector<Delayed<int>> fan;
  for (int i = 0; i < 200; ++i) fan.push_back(inc(bad));
  for (int repeat = 0; repeat < 3; ++repeat) {
    try {
      chain.compute(options());
      FAIL() << "expected a TaskError";
    } catch (const dagflow::TaskError& e) {
      EXPECT_EQ(e.key(), bad.key());
    }
    EXPECT_THROW(dagflow::compute(fan, options()), dagflow::TaskError);
  }
  EXPECT_EQ(runs.load(), 0);
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(Cancellation);

// Tells a waiting task when another task has failed.
class FailureSignal : public dagflow::Callback {
 public:
  void on_task_finish(const dagflow::TaskInfo&, bool ok) noexcept override {
    if (!ok) failed.store(true);
  }
  void on_task_start(const dagflow::TaskInfo&) noexcept override { ++starts; }
  std::atomic<bool> failed{false};
  std::atomic<int> starts{0};
};

// Threads-only: it takes two tasks running at once (the gate waiting while the other one fails) to see a
// task that is independent of the failure cancelled; the sync scheduler runs one task at a time.
TEST(CancellationWithThreads, IndependentTasksNotYetStartedAreCancelled) {
  if (std::thread::hardware_concurrency() < 2) GTEST_SKIP() << "needs two threads running at once";
  FailureSignal signal;
  std::atomic<bool> gate_saw_failure{false};
  std::atomic<int> after_gate{0};
  // The gate is independent of the failing task; it waits until that task has failed, so everything
  // after the gate is ready only once the run is cancelled, and must never start.
  auto gate = dagflow::delayed(
      [&] {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (!signal.failed.load() && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
        gate_saw_failure = signal.failed.load();
        return 0;
      },
      "gate");
  auto inc = dagflow::delayed([&after_gate](int a) { ++after_gate; return a + 1; }, "inc");
  auto boom = dagflow::delayed([]() -> int { throw std::runtime_error("boom"); }, "boom");
  Delayed<int> chain = gate();
  for (int i = 0; i < 500; ++i) chain = inc(chain);
  auto both = dagflow::gather(std::vector<Delayed<int>>{chain, boom()});
  EXPECT_THROW(both.compute(ComputeOptions{.scheduler = Scheduler::threads, .workers = 2, .callback = &signal}),
               dagflow::TaskError);
  ASSERT_TRUE(gate_saw_failure.load()) << "the failing task never ran while the gate waited";
  EXPECT_EQ(after_gate.load(), 0);
  EXPECT_EQ(signal.starts.load(), 2) << "only the gate and the failing task started";
}

// --- Misuse ------------------------------------------------------------------------------------------------------

TEST(EmptyDelayed, AsAnArgumentNamesTheFunction) {
  auto add = dagflow::delayed([](int a, int b) { return a + b; }, "my_add");
  Delayed<int> empty;
  EXPECT_FALSE(empty.valid());
  try {
    add(empty, 1);
    FAIL() << "expected a UsageError";
  } catch (const dagflow::UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("my_add"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("empty"), std::string::npos) << e.what();
  }
  Delayed<int> good = add(1, 2);
  EXPECT_THROW(add(good, empty), dagflow::UsageError);
  auto total = dagflow::delayed([](const std::vector<int>& xs) { return xs.size(); }, "total");
  EXPECT_THROW(total(std::vector<Delayed<int>>{good, empty, good}), dagflow::UsageError);
  EXPECT_EQ(good.compute(), 3) << "a failed call leaves its good arguments intact";
}

class EmptyDelayedComputed : public dagflow_test::SchedulerTest {};

TEST_P(EmptyDelayedComputed, PersistedOrInspectedIsAUsageError) {
  Delayed<int> empty;
  Delayed<int> good = dagflow::value(1);
  EXPECT_THROW(empty.compute(options()), dagflow::UsageError);
  EXPECT_THROW(empty.compute(), dagflow::UsageError) << "with the default options too";
  EXPECT_THROW(empty.persist(options()), dagflow::UsageError);
  EXPECT_THROW(empty.key(), dagflow::UsageError);
  EXPECT_THROW(empty.name(), dagflow::UsageError);
  EXPECT_THROW(dagflow::compute(options(), good, empty), dagflow::UsageError);
  EXPECT_THROW(dagflow::compute(std::vector<Delayed<int>>{good, empty}, options()), dagflow::UsageError);
  EXPECT_THROW(dagflow::gather(std::vector<Delayed<int>>{empty}), dagflow::UsageError);
  EXPECT_THROW(dagflow::gather(good, empty), dagflow::UsageError);
  Delayed<void> empty_void;
  EXPECT_THROW(empty_void.compute(options()), dagflow::UsageError);
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(EmptyDelayedComputed);

// Threads-only: workers is the threads scheduler's option (the sync scheduler ignores it).
TEST(Options, NegativeWorkersIsAUsageError) {
  std::atomic<int> runs{0};
  auto inc = dagflow::delayed([&runs](int a) { ++runs; return a + 1; }, "inc");
  Delayed<int> x = inc(1);
  const ComputeOptions bad{.workers = -1};
  try {
    x.compute(bad);
    FAIL() << "expected a UsageError";
  } catch (const dagflow::UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("workers"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("-1"), std::string::npos) << e.what();
  }
  EXPECT_THROW(x.persist(bad), dagflow::UsageError);
  EXPECT_THROW(dagflow::compute(bad, x, x), dagflow::UsageError);
  EXPECT_THROW(dagflow::compute(std::vector<Delayed<int>>{x}, bad), dagflow::UsageError);
  EXPECT_EQ(runs.load(), 0);
}

// A constant whose copies can be made to fail.
struct Fragile {
  static inline std::atomic<bool> fail{false};
  int value = 0;
  explicit Fragile(int v) : value(v) {}
  Fragile(const Fragile& other) : value(other.value) {
    if (fail) throw std::bad_alloc();
  }
  Fragile& operator=(const Fragile&) = default;
};

class Building : public dagflow_test::SchedulerTest {};

TEST_P(Building, ThrowingConstantLeavesTheGraphIntact) {
  auto add = dagflow::delayed([](int a, Fragile f) { return a + f.value; }, "add");
  auto inc = dagflow::delayed([](int a) { return a + 1; }, "inc");
  Delayed<int> x = inc(1);
  const Fragile five(5);
  Fragile::fail = true;
  EXPECT_THROW(add(x, five), std::bad_alloc);  // the reference taken on x is given back
  Fragile::fail = false;
  Delayed<int> y = add(x, five);
  EXPECT_EQ(x.compute(options()), 2);
  EXPECT_EQ(y.compute(options()), 7);
  // Copying the constant for a by-value parameter happens at run time: a failure there is a task's.
  Fragile::fail = true;
  try {
    y.compute(options());
    FAIL() << "expected a TaskError";
  } catch (const dagflow::TaskError& e) {
    EXPECT_EQ(e.key(), y.key());
    DAGFLOW_EXPECT_ORIGINAL_THROW(e, std::bad_alloc);
  }
  Fragile::fail = false;
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(Building);

}  // namespace
