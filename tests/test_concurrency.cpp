// Thread safety: several threads call compute() at once, on one shared graph or on graphs of their own,
// while others build on the shared graph or drop their handles; on every scheduler of
// support/schedulers.hpp, each meeting the others' concurrent runs.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <dagflow/dagflow.hpp>

#include "support/schedulers.hpp"

namespace {

using dagflow::ComputeOptions;
using dagflow::Delayed;

constexpr int thread_count = 6;

// Each test runs once per scheduler, half its threads on that scheduler (see options_for). Its loops run
// repeats(n) = n / 2 times where the one mixed test it replaces ran n times with all six threads cycling
// through four schedulers: each scheduler still gets as many runs, at half the total cost (under TSan, tens
// of seconds).
constexpr int repeats(int n) { return n / 2; }

// Runs `body(t)` on `thread_count` threads that start together.
template <class Body>
void on_threads(Body body) {
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < thread_count; ++t) {
    threads.emplace_back([&, t] {
      ++ready;
      while (ready.load() < thread_count) std::this_thread::yield();
      body(t);
    });
  }
  for (auto& thread : threads) thread.join();
}

class Concurrency : public dagflow_test::SchedulerTest {
 protected:
  // Options for thread t's run number r. Even threads use this instance's scheduler; odd threads go
  // through every scheduler in turn, so that concurrent runs of different executors meet as well. (Tests
  // whose threads do different things by t % 2 pass t / 2, so that both kinds meet both.)
  ComputeOptions options_for(int t, int r) const {
    if (t % 2 == 0) return options();
    const auto& all = dagflow_test::schedulers();
    return all[static_cast<std::size_t>(t + r) % all.size()].options;
  }
};

TEST_P(Concurrency, ComputeOnASharedGraph) {
  std::atomic<int> leaf_runs{0};
  auto leaf = dagflow::delayed([&leaf_runs](int i) { ++leaf_runs; return std::vector<int>(100, i); }, "leaf");
  auto sum = dagflow::delayed([](const std::vector<int>& v) { return std::accumulate(v.begin(), v.end(), 0L); }, "sum");
  // By-value readers move their input only within one run; other runs have results of their own.
  auto drain = dagflow::delayed([](std::vector<int> v) { std::vector<int> mine = std::move(v); return static_cast<long>(mine.size()); },
                                "drain");
  auto total = dagflow::delayed([](const std::vector<long>& xs) { return std::accumulate(xs.begin(), xs.end(), 0L); }, "total");
  std::vector<Delayed<long>> parts;
  for (int i = 0; i < 50; ++i) {
    Delayed<std::vector<int>> l = leaf(i);
    parts.push_back(sum(l));
    parts.push_back(drain(l));
  }
  const Delayed<long> result = total(parts);
  const long expected = 100L * (49 * 50 / 2) + 50L * 100;

  constexpr int runs = repeats(30);
  std::atomic<int> wrong{0};
  on_threads([&](int t) {
    for (int r = 0; r < runs; ++r)
      if (result.compute(options_for(t, r)) != expected) ++wrong;
  });
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(leaf_runs.load(), thread_count * runs * 50) << "each run runs each leaf once";
}

TEST_P(Concurrency, SharedConstantsAreReadNotConsumed) {
  const Delayed<std::string> text = dagflow::value(std::string(1000, 'a'));
  auto take = dagflow::delayed([](std::string s) { std::string mine = std::move(s); return mine.size(); }, "take");
  const Delayed<std::size_t> taken = take(text);
  std::atomic<int> wrong{0};
  on_threads([&](int t) {
    for (int r = 0; r < repeats(50); ++r) {
      if (taken.compute(options_for(t, r)) != 1000u) ++wrong;
      if (text.compute(options_for(t, r + 1)).size() != 1000u) ++wrong;
    }
  });
  EXPECT_EQ(wrong.load(), 0);
}

TEST_P(Concurrency, ComputeOnSeparateGraphs) {
  std::atomic<int> wrong{0};
  on_threads([&](int t) {
    auto inc = dagflow::delayed([](int a) { return a + 1; }, "inc");
    auto add = dagflow::delayed([](int a, int b) { return a + b; }, "add");
    for (int r = 0; r < repeats(20); ++r) {
      Delayed<int> x = dagflow::value(t);
      for (int i = 0; i < 200; ++i) x = add(inc(x), dagflow::value(1));
      if (x.compute(options_for(t, r)) != t + 400) ++wrong;
    }
  });
  EXPECT_EQ(wrong.load(), 0);
}

TEST_P(Concurrency, BuildingOnASharedGraphWhileOthersComputeIt) {
  auto inc = dagflow::delayed([](std::int64_t a) { return a + 1; }, "inc");
  Delayed<std::int64_t> base = dagflow::value(std::int64_t{0});
  for (int i = 0; i < 1000; ++i) base = inc(base);
  const Delayed<std::int64_t> shared = base;
  base = Delayed<std::int64_t>();
  std::atomic<int> wrong{0};
  on_threads([&](int t) {
    for (int r = 0; r < repeats(10); ++r) {
      if (t % 2 == 0) {
        if (shared.compute(options_for(t / 2, r)) != 1000) ++wrong;
      } else {
        // Extend the shared chain privately, compute it, and drop it while others still use the base.
        Delayed<std::int64_t> mine = shared;
        for (int i = 0; i < 100; ++i) mine = inc(mine);
        if (mine.compute(options_for(t / 2, r)) != 1100) ++wrong;
      }
    }
  });
  EXPECT_EQ(wrong.load(), 0);
}

TEST_P(Concurrency, PersistFromSeveralThreads) {
  std::atomic<int> runs{0};
  auto slow = dagflow::delayed([&runs](int a) { ++runs; return std::to_string(a); }, "slow");
  const Delayed<std::string> x = slow(7);
  std::vector<Delayed<std::string>> persisted(thread_count);
  on_threads([&](int t) { persisted[t] = x.persist(options_for(t, 0)); });
  EXPECT_EQ(runs.load(), thread_count);
  auto twice = dagflow::delayed([](const std::string& a, const std::string& b) { return a + b; }, "twice");
  for (int t = 0; t < thread_count; ++t)
    EXPECT_EQ(twice(persisted[t], persisted[(t + 1) % thread_count]).compute(options()), "77");
  EXPECT_EQ(runs.load(), thread_count);
}

TEST_P(Concurrency, FailuresInConcurrentRunsStayInTheirOwnRun) {
  auto check = dagflow::delayed([](int a) -> int { if (a % 2 != 0) throw std::runtime_error("odd"); return a; }, "check");
  auto add = dagflow::delayed([](int a, int b) { return a + b; }, "add");
  std::atomic<int> wrong{0};
  on_threads([&](int t) {
    Delayed<int> mine = add(check(t), dagflow::value(1));
    for (int r = 0; r < repeats(20); ++r) {
      try {
        if (mine.compute(options_for(t / 2, r)) != t + 1 || t % 2 != 0) ++wrong;
      } catch (const dagflow::TaskError&) {
        if (t % 2 == 0) ++wrong;
      }
    }
  });
  EXPECT_EQ(wrong.load(), 0);
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(Concurrency);

}  // namespace
