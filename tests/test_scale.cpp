// Scale: a chain of 1,000,000 delayed calls and a fan-in of 1,000,000 tasks build, compute and are
// destroyed without overflowing the stack; intermediate results are freed as soon as they are read.
//
// The million-task graphs take about a second each, and several times that under the sanitizers, so they
// run once per executor (one_per_executor(): sync and threads with one worker), which is what stack depth
// depends on, rather than once per configuration of the threads executor; the rest runs on every scheduler.
#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <vector>

#include <dagflow/dagflow.hpp>

#include "support/schedulers.hpp"

namespace {

using dagflow::Delayed;

constexpr int million = 1'000'000;

class Scale : public dagflow_test::SchedulerTest {};

TEST_P(Scale, ChainOfAMillionCalls) {
  std::atomic<int> runs{0};
  auto inc = dagflow::delayed([&runs](std::int64_t a) { runs.fetch_add(1, std::memory_order_relaxed); return a + 1; },
                              "inc");
  Delayed<std::int64_t> chain = dagflow::value(std::int64_t{0});
  for (int i = 0; i < million; ++i) chain = inc(chain);

  EXPECT_EQ(chain.compute(options()), million);
  EXPECT_EQ(runs.load(), million);

  // Graphs built on top of the long chain, and a persisted copy of it, work as well.
  Delayed<std::int64_t> persisted = chain.persist(options());
  EXPECT_EQ(runs.load(), 2 * million);
  EXPECT_EQ(inc(persisted).compute(options()), million + 1);

  chain = Delayed<std::int64_t>();  // the last handle: a million nodes die here, iteratively
  EXPECT_EQ(persisted.compute(options()), million);
}

TEST_P(Scale, FanInOfAMillionTasks) {
  std::atomic<int> runs{0};
  auto leaf = dagflow::delayed([&runs](std::int64_t i) { runs.fetch_add(1, std::memory_order_relaxed); return i; },
                               "leaf");
  auto total = dagflow::delayed(
      [](const std::vector<std::int64_t>& xs) { return std::accumulate(xs.begin(), xs.end(), std::int64_t{0}); },
      "total");
  std::vector<Delayed<std::int64_t>> parts;
  parts.reserve(million);
  for (std::int64_t i = 0; i < million; ++i) parts.push_back(leaf(i));
  Delayed<std::int64_t> sum = total(parts);
  parts.clear();  // only the join keeps the leaves alive now
  parts.shrink_to_fit();

  const std::int64_t expected = std::int64_t{million} * (million - 1) / 2;
  EXPECT_EQ(sum.compute(options()), expected);
  EXPECT_EQ(runs.load(), million);
}

TEST_P(Scale, GatherOfAMillionTasks) {
  auto leaf = dagflow::delayed([](int i) { return i * 2; }, "leaf");
  std::vector<Delayed<int>> parts;
  parts.reserve(million);
  for (int i = 0; i < million; ++i) parts.push_back(leaf(i));
  const std::vector<int> values = dagflow::gather(parts).compute(options());
  ASSERT_EQ(values.size(), static_cast<std::size_t>(million));
  for (int i = 0; i < million; i += 9973) ASSERT_EQ(values[i], 2 * i);
  EXPECT_EQ(values.back(), 2 * (million - 1));
}

DAGFLOW_TEST_ON_EACH_EXECUTOR(Scale);

// A result that counts how many instances are alive, and the most that ever were.
struct Tracked {
  static inline std::atomic<int> alive{0};
  static inline std::atomic<int> peak{0};
  static void reset() { alive = 0, peak = 0; }
  static void born() {
    const int now = ++alive;
    int seen = peak.load();
    while (now > seen && !peak.compare_exchange_weak(seen, now)) {
    }
  }

  std::vector<int> payload;
  explicit Tracked(int v) : payload(64, v) { born(); }
  Tracked(const Tracked& other) : payload(other.payload) { born(); }
  Tracked(Tracked&& other) noexcept : payload(std::move(other.payload)) { born(); }
  Tracked& operator=(const Tracked&) = default;
  Tracked& operator=(Tracked&&) = default;
  ~Tracked() { --alive; }
};

class Memory : public dagflow_test::SchedulerTest {};

TEST_P(Memory, IntermediateResultsAreFreedOnceRead) {
  auto start = dagflow::delayed([](int v) { return Tracked(v); }, "start");
  auto step = dagflow::delayed([](const Tracked& t) { return Tracked(t.payload[0] + 1); }, "step");
  Delayed<Tracked> chain = start(0);
  for (int i = 0; i < 10000; ++i) chain = step(chain);
  Tracked::reset();
  {
    const Tracked result = chain.compute(options());
    EXPECT_EQ(result.payload[0], 10000);
  }
  EXPECT_EQ(Tracked::alive.load(), 0) << "every intermediate result was freed";
  // At any moment: a step's input and its output (or, at the end, the last result and its move).
  EXPECT_LE(Tracked::peak.load(), 2);
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(Memory);

}  // namespace
