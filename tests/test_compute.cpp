// compute(): several outputs, duplicates, lists, persist, culling, random graphs, worker counts, callbacks,
// nested computes and the logger's level; on every scheduler of support/schedulers.hpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <numeric>
#include <random>
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

// Records everything a run reports, checking along the way that the callback contract holds.
class Recorder : public dagflow::Callback {
 public:
  void on_run_start(std::size_t tasks) noexcept override {
    std::lock_guard guard(mutex_);
    ++run_starts;
    planned = tasks;
  }
  void on_task_start(const dagflow::TaskInfo& task) noexcept override {
    std::lock_guard guard(mutex_);
    started.push_back(task.key());
    indices.push_back(task.index());
    workers.insert(task.worker());
    ++names[std::string(task.name())];
  }
  void on_task_finish(const dagflow::TaskInfo& task, bool ok) noexcept override {
    std::lock_guard guard(mutex_);
    (ok ? finished_ok : finished_failed).push_back(task.key());
  }
  void on_run_finish(bool ok) noexcept override {
    std::lock_guard guard(mutex_);
    ++run_finishes;
    run_ok = ok;
  }

  int run_starts = 0;
  int run_finishes = 0;
  std::size_t planned = 0;
  bool run_ok = false;
  std::vector<std::string> started;
  std::vector<std::uint32_t> indices;
  std::set<int> workers;
  std::map<std::string, int> names;
  std::vector<std::string> finished_ok;
  std::vector<std::string> finished_failed;

 private:
  std::mutex mutex_;
};

// --- Several outputs ------------------------------------------------------------------------------------

class Compute : public dagflow_test::SchedulerTest {};

TEST_P(Compute, SeveralOutputsWithOptions) {
  DAGFLOW_SKIP_WHERE_RANKS_SHARE(options(), "task calls");
  std::atomic<int> calls{0};
  auto inc = dagflow::delayed([&calls](int a) { ++calls; return a + 1; }, "inc");
  Delayed<int> a = inc(1);
  Delayed<int> b = inc(a);
  Delayed<std::string> s = dagflow::value(std::string("s"));
  auto [x, y, z] = dagflow::compute(options(), a, b, s);
  EXPECT_EQ(x, 2);
  EXPECT_EQ(y, 3);
  EXPECT_EQ(z, "s");
  EXPECT_EQ(calls.load(), 2);
}

TEST_P(Compute, SameOutputTwiceRunsOnceAndGivesBothValues) {
  DAGFLOW_SKIP_WHERE_RANKS_SHARE(options(), "task calls");
  std::atomic<int> calls{0};
  auto make = dagflow::delayed([&calls](int n) { ++calls; return std::vector<int>(n, n); }, "make");
  Delayed<std::vector<int>> x = make(4);
  auto [a, b] = dagflow::compute(options(), x, x);
  EXPECT_EQ(a, std::vector<int>(4, 4));
  EXPECT_EQ(b, std::vector<int>(4, 4));
  auto [c, d, e] = dagflow::compute(options(), x, make(2), x);
  EXPECT_EQ(c, std::vector<int>(4, 4));
  EXPECT_EQ(d, std::vector<int>(2, 2));
  EXPECT_EQ(e, std::vector<int>(4, 4));
  EXPECT_EQ(calls.load(), 3);
}

TEST_P(Compute, ListOfOutputsKeepsOrderAndDuplicates) {
  DAGFLOW_SKIP_WHERE_RANKS_SHARE(options(), "task calls");
  std::atomic<int> calls{0};
  auto sq = dagflow::delayed([&calls](int a) { ++calls; return std::to_string(a * a); }, "sq");
  std::vector<Delayed<std::string>> outputs;
  for (int i = 0; i < 50; ++i) outputs.push_back(sq(i));
  outputs.push_back(outputs[3]);
  outputs.push_back(outputs[3]);
  const std::vector<std::string> values = dagflow::compute(outputs, options());
  ASSERT_EQ(values.size(), 52u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(values[i], std::to_string(i * i));
  EXPECT_EQ(values[50], "9");
  EXPECT_EQ(values[51], "9");
  EXPECT_EQ(calls.load(), 50);
}

TEST_P(Compute, EmptyListRunsNothing) {
  Recorder recorder;
  const auto values = dagflow::compute(std::vector<Delayed<int>>{}, options(&recorder));
  EXPECT_TRUE(values.empty());
  EXPECT_EQ(recorder.planned, 0u);
  EXPECT_TRUE(recorder.started.empty());
}

TEST_P(Compute, RepeatedComputesRunAgain) {
  DAGFLOW_SKIP_WHERE_RANKS_SHARE(options(), "task calls");
  std::atomic<int> calls{0};
  auto inc = dagflow::delayed([&calls](int a) { ++calls; return a + 1; }, "inc");
  Delayed<int> x = inc(inc(0));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(x.compute(options()), 2);
  EXPECT_EQ(calls.load(), 10);
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(Compute);

// --- persist ---------------------------------------------------------------------------------------------

class Persist : public dagflow_test::SchedulerTest {};

TEST_P(Persist, PersistedGraphIsNotRecomputed) {
  DAGFLOW_SKIP_WHERE_RANKS_SHARE(options(), "task calls");
  std::atomic<int> calls{0};
  auto inc = dagflow::delayed([&calls](int a) { ++calls; return a + 1; }, "inc");
  Delayed<int> x = inc(0);
  for (int i = 0; i < 9; ++i) x = inc(x);
  Delayed<int> p = x.persist(options());
  EXPECT_EQ(calls.load(), 10) << "persist computes now";
  EXPECT_EQ(p.compute(options()), 10);
  EXPECT_EQ(calls.load(), 10);

  Recorder recorder;
  Delayed<int> later = inc(inc(p));
  EXPECT_EQ(later.compute(options(&recorder)), 12);
  EXPECT_EQ(calls.load(), 12) << "only the two new tasks run";
  EXPECT_EQ(recorder.planned, 3u) << "the persisted value and the two new tasks";
}

TEST_P(Persist, PersistedResultIsIndependentOfTheOriginalHandles) {
  auto make = dagflow::delayed([](int n) { return std::string(static_cast<std::size_t>(n), 'x'); }, "make");
  auto len = dagflow::delayed([](const std::string& s) { return s.size(); }, "len");
  Delayed<std::string> p;
  {
    Delayed<std::string> s = make(5);
    p = s.persist(options());
  }  // the original graph is gone
  EXPECT_EQ(p.compute(options()), "xxxxx");
  EXPECT_EQ(len(p).compute(options()), 5u);
  EXPECT_EQ(len(p).compute(options()), 5u) << "and again";
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(Persist);

// --- culling ------------------------------------------------------------------------------------------------

class Culling : public dagflow_test::SchedulerTest {};

TEST_P(Culling, OnlyWhatTheOutputsNeedRuns) {
  DAGFLOW_SKIP_WHERE_RANKS_SHARE(options(), "task calls");
  std::atomic<int> a_calls{0}, b_calls{0}, c_calls{0}, d_calls{0};
  auto fa = dagflow::delayed([&a_calls] { ++a_calls; return 1; }, "a");
  auto fb = dagflow::delayed([&b_calls] { ++b_calls; return 2; }, "b");
  auto fc = dagflow::delayed([&c_calls](int x) { ++c_calls; return x * 10; }, "c");
  auto fd = dagflow::delayed([&d_calls](int x, int y) { ++d_calls; return x + y; }, "d");
  Delayed<int> a = fa();
  Delayed<int> b = fb();
  Delayed<int> c = fc(a);
  Delayed<int> d = fd(b, c);

  Recorder recorder;
  EXPECT_EQ(c.compute(options(&recorder)), 10);
  EXPECT_EQ(recorder.planned, 2u);
  EXPECT_EQ(a_calls.load(), 1);
  EXPECT_EQ(c_calls.load(), 1);
  EXPECT_EQ(b_calls.load(), 0);
  EXPECT_EQ(d_calls.load(), 0) << "d uses c, but was not asked for";

  EXPECT_EQ(d.compute(options()), 12);
  EXPECT_EQ(b_calls.load(), 1);
  EXPECT_EQ(d_calls.load(), 1);
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(Culling);

// --- random graphs: every scheduler gives the values computed directly ------------------------------------

std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return x;
}

// A random DAG, built both as Delayed tasks and evaluated directly, so every run can be checked.
struct RandomDag {
  std::vector<Delayed<std::uint64_t>> nodes;
  std::vector<std::uint64_t> expected;
  std::vector<std::vector<std::size_t>> deps;

  explicit RandomDag(std::uint32_t seed, std::size_t size) {
    static const auto leaf = dagflow::delayed([](std::uint64_t s) { return mix(s); }, "leaf");
    static const auto pair = dagflow::delayed([](std::uint64_t a, std::uint64_t b) { return mix(a * 31 + b); }, "pair");
    static const auto many = dagflow::delayed(
        [](const std::vector<std::uint64_t>& xs, std::uint64_t salt) {
          std::uint64_t h = salt;
          for (auto x : xs) h = mix(h ^ x);
          return h;
        },
        "many");
    std::mt19937 rng(seed);
    for (std::size_t i = 0; i < size; ++i) {
      const int kind = i < 4 ? 0 : static_cast<int>(rng() % 3);
      auto pick = [&] { return static_cast<std::size_t>(rng() % i); };
      if (kind == 0) {
        const std::uint64_t s = rng();
        nodes.push_back(leaf(s));
        expected.push_back(mix(s));
        deps.emplace_back();
      } else if (kind == 1) {
        const std::size_t a = pick(), b = pick();
        nodes.push_back(pair(nodes[a], nodes[b]));
        expected.push_back(mix(expected[a] * 31 + expected[b]));
        deps.push_back({a, b});
      } else {
        const std::size_t count = rng() % 6;  // sometimes none
        const std::uint64_t salt = rng();
        std::vector<Delayed<std::uint64_t>> parts;
        std::uint64_t h = salt;
        deps.emplace_back();
        for (std::size_t k = 0; k < count; ++k) {
          const std::size_t d = pick();
          parts.push_back(nodes[d]);
          h = mix(h ^ expected[d]);
          deps.back().push_back(d);
        }
        nodes.push_back(many(parts, salt));
        expected.push_back(h);
      }
    }
  }

  // Number of distinct tasks that `outputs` need.
  std::size_t closure(const std::vector<std::size_t>& outputs) const {
    std::vector<bool> seen(nodes.size(), false);
    std::vector<std::size_t> stack(outputs);
    std::size_t count = 0;
    while (!stack.empty()) {
      const std::size_t n = stack.back();
      stack.pop_back();
      if (seen[n]) continue;
      seen[n] = true;
      ++count;
      for (auto d : deps[n]) stack.push_back(d);
    }
    return count;
  }
};

class RandomDags : public dagflow_test::SchedulerTest {};

TEST_P(RandomDags, GiveTheValuesComputedDirectly) {
  for (std::uint32_t seed = 1; seed <= 20; ++seed) {
    const RandomDag dag(seed, 300);
    EXPECT_EQ(dagflow::compute(dag.nodes, options()), dag.expected) << "seed " << seed;
  }
}

TEST_P(RandomDags, RunExactlyTheCulledSubgraph) {
  DAGFLOW_SKIP_WHERE_RANKS_SHARE(options(), "task calls");
  for (std::uint32_t seed = 100; seed < 110; ++seed) {
    const RandomDag dag(seed, 400);
    std::mt19937 rng(seed);
    std::vector<std::size_t> picks;
    std::vector<Delayed<std::uint64_t>> outputs;
    std::vector<std::uint64_t> expected;
    for (int k = 0; k < 5; ++k) {
      picks.push_back(rng() % dag.nodes.size());
      outputs.push_back(dag.nodes[picks.back()]);
      expected.push_back(dag.expected[picks.back()]);
    }
    Recorder recorder;
    EXPECT_EQ(dagflow::compute(outputs, options(&recorder)), expected);
    EXPECT_EQ(recorder.planned, dag.closure(picks)) << "seed " << seed;
    EXPECT_EQ(recorder.started.size(), recorder.planned);
  }
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(RandomDags);

// --- workers -----------------------------------------------------------------------------------------------
// These are about one scheduler each: the arena size only the threads scheduler has, and the one thread the
// sync scheduler promises.

// Tasks that record how many of them run at the same time.
struct Overlap {
  std::atomic<int> running{0};
  std::atomic<int> peak{0};
  int enter() {
    const int now = ++running;
    int seen = peak.load();
    while (now > seen && !peak.compare_exchange_weak(seen, now)) {
    }
    volatile std::uint64_t spin = 0;  // some work, so that tasks have a chance to overlap
    for (int i = 0; i < 20000; ++i) spin = spin + static_cast<std::uint64_t>(i);
    --running;
    return now;
  }
};

TEST(Workers, ArenaSizeBoundsConcurrencyAndWorkerIndices) {
  for (const int workers : {1, 2, 3}) {  // 3: an odd size, and more than a two-core machine has
    Overlap overlap;
    auto busy = dagflow::delayed([&overlap](int i) { overlap.enter(); return i; }, "busy");
    std::vector<Delayed<int>> parts;
    for (int i = 0; i < 300; ++i) parts.push_back(busy(i));
    auto total = dagflow::delayed([](const std::vector<int>& xs) { return std::accumulate(xs.begin(), xs.end(), 0); },
                                  "total");
    Recorder recorder;
    EXPECT_EQ(total(parts).compute(ComputeOptions{.scheduler = Scheduler::threads, .workers = workers, .callback = &recorder}),
              299 * 300 / 2);
    EXPECT_GE(overlap.peak.load(), 1);
    EXPECT_LE(overlap.peak.load(), workers);
    for (const int worker : recorder.workers) {
      EXPECT_GE(worker, 0);
      EXPECT_LT(worker, workers);
    }
  }
}

TEST(Workers, SyncSchedulerRunsOnTheCallingThread) {
  const auto caller = std::this_thread::get_id();
  std::atomic<int> elsewhere{0};
  auto where = dagflow::delayed(
      [&](int i) {
        if (std::this_thread::get_id() != caller) ++elsewhere;
        return i;
      },
      "where");
  std::vector<Delayed<int>> parts;
  for (int i = 0; i < 100; ++i) parts.push_back(where(i));
  Recorder recorder;
  const auto values = dagflow::gather(parts).compute(ComputeOptions{.scheduler = Scheduler::sync, .callback = &recorder});
  EXPECT_EQ(values.size(), 100u);
  EXPECT_EQ(elsewhere.load(), 0);
  EXPECT_EQ(recorder.workers, std::set<int>{0});
}

// --- callbacks ------------------------------------------------------------------------------------------------

class Callbacks : public dagflow_test::SchedulerTest {};

TEST_P(Callbacks, OneStartAndOneFinishPerTaskInTopologicalOrder) {
  DAGFLOW_SKIP_WHERE_RANKS_SHARE(options(), "task calls");
  auto add = dagflow::delayed([](int a, int b) { return a + b; }, "add");
  Delayed<int> x = add(1, 2);
  Delayed<int> y = add(x, 10);
  Delayed<int> z = add(x, y);
  Recorder recorder;
  EXPECT_EQ(z.compute(options(&recorder)), 16);
  EXPECT_EQ(recorder.run_starts, 1);
  EXPECT_EQ(recorder.run_finishes, 1);
  EXPECT_TRUE(recorder.run_ok);
  EXPECT_EQ(recorder.planned, 3u);
  EXPECT_EQ(std::multiset<std::string>(recorder.started.begin(), recorder.started.end()),
            (std::multiset<std::string>{x.key(), y.key(), z.key()}));
  EXPECT_EQ(std::multiset<std::string>(recorder.finished_ok.begin(), recorder.finished_ok.end()),
            (std::multiset<std::string>{x.key(), y.key(), z.key()}));
  EXPECT_TRUE(recorder.finished_failed.empty());
  EXPECT_EQ(recorder.names["add"], 3);
  // Indices are positions in a topological order: each task once, dependencies first.
  std::map<std::string, std::uint32_t> index;
  for (std::size_t i = 0; i < recorder.started.size(); ++i) index[recorder.started[i]] = recorder.indices[i];
  EXPECT_EQ(std::set<std::uint32_t>(recorder.indices.begin(), recorder.indices.end()),
            (std::set<std::uint32_t>{0, 1, 2}));
  EXPECT_LT(index[x.key()], index[y.key()]);
  EXPECT_LT(index[y.key()], index[z.key()]);
}

TEST_P(Callbacks, FailingTaskFinishesNotOk) {
  DAGFLOW_SKIP_WHERE_RANKS_SHARE(options(), "task calls");
  auto boom = dagflow::delayed([](int) -> int { throw std::runtime_error("boom"); }, "boom");
  auto inc = dagflow::delayed([](int a) { return a + 1; }, "inc");
  Delayed<int> x = dagflow::value(1);
  Delayed<int> bad = boom(x);
  Recorder recorder;
  EXPECT_THROW(inc(bad).compute(options(&recorder)), dagflow::TaskError);
  EXPECT_EQ(recorder.planned, 3u);
  EXPECT_EQ(recorder.run_finishes, 1);
  EXPECT_FALSE(recorder.run_ok);
  EXPECT_EQ(recorder.finished_failed, std::vector<std::string>{bad.key()});
  EXPECT_EQ(recorder.finished_ok, std::vector<std::string>{x.key()});
  EXPECT_EQ(recorder.started.size(), 2u) << "inc depends on the failed task and never starts";
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(Callbacks);

// --- nested computes ---------------------------------------------------------------------------------------------

class Nested : public dagflow_test::SchedulerTest {};

TEST_P(Nested, ComputeInsideATask) {
  if (options().scheduler == dagflow::Scheduler::mpi) GTEST_SKIP() << "an MPI compute inside a task is a UsageError (tests/mpi)";
  // The outer run uses this instance's scheduler; the inner runs cycle through every scheduler.
  auto inc = dagflow::delayed([](int a) { return a + 1; }, "inc");
  Delayed<int> inner = inc(inc(inc(0)));
  auto outer_fn = dagflow::delayed([inner](int base, std::size_t inner_scheduler) {
    return base + inner.compute(dagflow_test::schedulers()[inner_scheduler].options);
  }, "outer");
  const std::size_t scheduler_count = dagflow_test::schedulers().size();
  std::vector<Delayed<int>> parts;
  for (int i = 0; i < 20; ++i) parts.push_back(outer_fn(inc(i), static_cast<std::size_t>(i) % scheduler_count));
  const auto values = dagflow::compute(parts, options());
  for (int i = 0; i < 20; ++i) EXPECT_EQ(values[i], i + 1 + 3);
}

TEST_P(Nested, InnerGraphSharesNodesWithTheOuterGraph) {
  if (options().scheduler == dagflow::Scheduler::mpi) GTEST_SKIP() << "an MPI compute inside a task is a UsageError (tests/mpi)";
  std::atomic<int> calls{0};
  auto inc = dagflow::delayed([&calls](int a) { ++calls; return a + 1; }, "inc");
  Delayed<int> shared = inc(0);
  // The task recomputes `shared` while the outer run holds its own copy of the same result.
  const ComputeOptions inner_options = options();
  auto twice = dagflow::delayed([shared, inner_options](int outer) { return outer + shared.compute(inner_options); },
                                "twice");
  EXPECT_EQ(twice(shared).compute(options()), 2);
  EXPECT_EQ(calls.load(), 2);
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(Nested);

// --- logging ------------------------------------------------------------------------------------------------

TEST(Logging, LevelRoundTrip) {
  const auto original = dagflow::log_level();
  using dagflow::LogLevel;
  for (const auto level : {LogLevel::trace, LogLevel::debug, LogLevel::info, LogLevel::warn, LogLevel::error,
                           LogLevel::off}) {
    dagflow::set_log_level(level);
    EXPECT_EQ(dagflow::log_level(), level);
  }
  dagflow::set_log_level(original);
  EXPECT_EQ(dagflow::log_level(), original);
}

// The debug line names the arena size, which only the threads scheduler has.
TEST(Logging, DebugReportsTheRunAndWarnIsSilent) {
  const auto original = dagflow::log_level();
  auto add = dagflow::delayed([](int a, int b) { return a + b; }, "add");
  Delayed<int> x = add(add(1, 2), add(3, 4));

  dagflow::set_log_level(dagflow::LogLevel::warn);
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(x.compute(), 10);
  const std::string quiet = ::testing::internal::GetCapturedStderr();

  dagflow::set_log_level(dagflow::LogLevel::debug);
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(x.compute(ComputeOptions{.scheduler = Scheduler::threads, .workers = 2}), 10);
  const std::string loud = ::testing::internal::GetCapturedStderr();
  dagflow::set_log_level(original);

  EXPECT_EQ(quiet, "");
  EXPECT_NE(loud.find("3 tasks"), std::string::npos) << loud;
  EXPECT_NE(loud.find("2 workers"), std::string::npos) << loud;
  EXPECT_NE(loud.find(" ms"), std::string::npos) << loud;
}

}  // namespace
