// Building Delayed graphs: keys and names, value(), gather(), vector arguments, void functions,
// move-only and large results, constants, and the lessons of the course's "Delayed evaluation" chapter;
// what computes runs on every scheduler of support/schedulers.hpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <memory>
#include <numeric>
#include <set>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <dagflow/dagflow.hpp>

#include "support/schedulers.hpp"

namespace {

using dagflow::ComputeOptions;
using dagflow::Delayed;
using dagflow::Scheduler;

// For the tests about the order only the sync scheduler fixes.
const ComputeOptions sync_options{.scheduler = Scheduler::sync};

// --- The course's lessons -----------------------------------------------------------------------

class CourseLessons : public dagflow_test::SchedulerTest {};

TEST_P(CourseLessons, SharedInputRunsOnceWhenComputedTogether) {
  DAGFLOW_SKIP_WHERE_RANKS_SHARE(options(), "task calls");
  std::atomic<int> calls{0};
  auto add = dagflow::delayed([&calls](int a, int b) { ++calls; return a + b; }, "add");
  std::atomic<int> x_calls{0};
  auto make_x = dagflow::delayed([&x_calls] { ++x_calls; return 3; }, "x");
  Delayed<int> x = make_x();
  Delayed<int> y = add(x, 10);
  Delayed<int> z = add(x, y);
  EXPECT_EQ(calls.load(), 0) << "building a graph must not run anything";

  auto [a, b] = dagflow::compute(options(), y, z);
  EXPECT_EQ(a, 13);
  EXPECT_EQ(b, 16);
  EXPECT_EQ(x_calls.load(), 1) << "x is shared by y and z and must run once";
  EXPECT_EQ(calls.load(), 2) << "y runs once even though z uses it too";
}

TEST_P(CourseLessons, ComputingSeparatelyRunsTheSharedInputTwice) {
  DAGFLOW_SKIP_WHERE_RANKS_SHARE(options(), "task calls");
  // The contrast the course draws: separate compute() calls do not share work.
  std::atomic<int> x_calls{0};
  auto make_x = dagflow::delayed([&x_calls] { ++x_calls; return 3; }, "x");
  auto add = dagflow::delayed([](int a, int b) { return a + b; }, "add");
  Delayed<int> x = make_x();
  Delayed<int> y = add(x, 10);
  Delayed<int> z = add(x, y);
  EXPECT_EQ(y.compute(options()), 13);
  EXPECT_EQ(z.compute(options()), 16);
  EXPECT_EQ(x_calls.load(), 2);
}

TEST_P(CourseLessons, GatherOfAddNN) {
  auto add = dagflow::delayed([](int a, int b) { return a + b; }, "add");
  std::vector<Delayed<int>> parts;
  for (int n = 0; n < 10; ++n) parts.push_back(add(n, n));
  Delayed<std::vector<int>> all = dagflow::gather(parts);
  EXPECT_EQ(all.compute(options()), (std::vector<int>{0, 2, 4, 6, 8, 10, 12, 14, 16, 18}));
}

TEST_P(CourseLessons, ZComputedAloneRunsXOnce) {
  DAGFLOW_SKIP_WHERE_RANKS_SHARE(options(), "task calls");
  std::atomic<int> adds{0};
  auto add = dagflow::delayed([&adds](int a, int b) { ++adds; return a + b; }, "add");
  Delayed<int> x_p = add(1, 2);
  Delayed<int> y_p = add(x_p, 3);
  Delayed<int> z_p = add(x_p, y_p);
  EXPECT_EQ(z_p.compute(options()), 9);
  EXPECT_EQ(adds.load(), 3) << "x_p feeds both y_p and z_p but runs once";
}

TEST_P(CourseLessons, MeanOfAListOfPromises) {
  auto calc = dagflow::delayed([](int i) { return static_cast<double>(i); }, "calc");
  auto mean = dagflow::delayed(
      [](const std::vector<double>& xs) { return std::accumulate(xs.begin(), xs.end(), 0.0) / xs.size(); },
      "mean");
  std::vector<Delayed<double>> parts;
  for (int i = 1; i <= 10; ++i) parts.push_back(calc(i));
  EXPECT_DOUBLE_EQ(mean(parts).compute(options()), 5.5);
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(CourseLessons);

// --- Keys and names ---------------------------------------------------------------------------------

// True when `key` is "<name>-" followed by exactly eight lowercase hex digits.
bool is_key_of(const std::string& key, const std::string& name) {
  if (key.size() != name.size() + 9 || key.compare(0, name.size(), name) != 0 || key[name.size()] != '-') return false;
  return std::all_of(key.end() - 8, key.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

TEST(Keys, FormCheckerRejectsOtherForms) {
  EXPECT_TRUE(is_key_of("add-0123abcd", "add"));
  EXPECT_FALSE(is_key_of("add-0123abc", "add"));
  EXPECT_FALSE(is_key_of("add-0123ABCD", "add"));
  EXPECT_FALSE(is_key_of("add_0123abcd", "add"));
  EXPECT_FALSE(is_key_of("sub-0123abcd", "add"));
}

TEST(Keys, HaveTheFormNameDashEightHexDigits) {
  auto add = dagflow::delayed([](int a, int b) { return a + b; }, "add");
  Delayed<int> x = add(1, 2);
  EXPECT_TRUE(is_key_of(x.key(), "add")) << x.key();
  EXPECT_EQ(x.name(), "add");
}

TEST(Keys, DefaultNamesAreTaskValueAndGather) {
  auto f = dagflow::delayed([](int a) { return a; });
  EXPECT_TRUE(is_key_of(f(1).key(), "task")) << f(1).key();
  auto c = dagflow::value(5);
  EXPECT_TRUE(is_key_of(c.key(), "value")) << c.key();
  EXPECT_EQ(dagflow::gather(std::vector<Delayed<int>>{c}).name(), "gather");
  EXPECT_EQ(dagflow::gather(c, f(1)).name(), "gather");
  EXPECT_EQ(dagflow::value(1, "one").name(), "one");
}

TEST(Keys, AreUniqueEvenForIdenticalCalls) {
  auto add = dagflow::delayed([](int a, int b) { return a + b; }, "add");
  constexpr int count = 20000;
  std::vector<Delayed<int>> nodes;
  nodes.reserve(count);
  std::set<std::string> keys;
  for (int i = 0; i < count; ++i) {
    nodes.push_back(add(1, 1));
    keys.insert(nodes.back().key());
    ASSERT_TRUE(is_key_of(nodes.back().key(), "add")) << nodes.back().key();
  }
  EXPECT_EQ(keys.size(), static_cast<std::size_t>(count));
}

TEST(Keys, CopiesOfAHandleShareTheTask) {
  auto add = dagflow::delayed([](int a, int b) { return a + b; }, "add");
  Delayed<int> x = add(1, 2);
  Delayed<int> copy = x;
  Delayed<int> moved = std::move(copy);
  EXPECT_EQ(moved.key(), x.key());
  EXPECT_FALSE(copy.valid());  // NOLINT(bugprone-use-after-move): a moved-from handle is empty
  EXPECT_TRUE(x.valid());
}

TEST(Keys, PersistKeepsTheNameButNotTheKey) {
  auto add = dagflow::delayed([](int a, int b) { return a + b; }, "add");
  Delayed<int> x = add(1, 2);
  Delayed<int> p = x.persist();
  EXPECT_EQ(p.name(), "add");
  EXPECT_NE(p.key(), x.key());
}

// --- value() and gather() -----------------------------------------------------------------------------

class Value : public dagflow_test::SchedulerTest {};

TEST_P(Value, ComputesToTheConstant) {
  Delayed<std::string> c = dagflow::value(std::string("hi"));
  EXPECT_EQ(c.compute(options()), "hi");
  EXPECT_EQ(c.compute(options()), "hi") << "and again";
  auto shout = dagflow::delayed([](const std::string& s) { return s + "!"; }, "shout");
  EXPECT_EQ(shout(c).compute(options()), "hi!");
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(Value);

class Gather : public dagflow_test::SchedulerTest {};

TEST_P(Gather, TupleOfDifferentTypes) {
  auto add = dagflow::delayed([](int a, int b) { return a + b; }, "add");
  Delayed<int> x = add(1, 2);
  Delayed<std::string> c = dagflow::value(std::string("hi"));
  Delayed<std::tuple<int, std::string>> t = dagflow::gather(x, c);
  EXPECT_EQ(t.compute(options()), std::make_tuple(3, std::string("hi")));
  static_assert(std::is_same_v<decltype(dagflow::gather(x)), Delayed<std::tuple<int>>>);
  EXPECT_EQ(dagflow::gather(x).compute(options()), std::make_tuple(3));
}

TEST_P(Gather, EmptyListGivesEmptyVector) {
  Delayed<std::vector<int>> all = dagflow::gather(std::vector<Delayed<int>>{});
  EXPECT_TRUE(all.compute(options()).empty());
}

TEST_P(Gather, RepeatedElementRunsOnceAndAppearsTwice) {
  DAGFLOW_SKIP_WHERE_RANKS_SHARE(options(), "task calls");
  std::atomic<int> calls{0};
  auto make = dagflow::delayed([&calls](int v) { ++calls; return std::vector<int>(3, v); }, "make");
  Delayed<std::vector<int>> x = make(7);
  auto all = dagflow::gather(std::vector<Delayed<std::vector<int>>>{x, x, x});
  const std::vector<std::vector<int>> expected(3, std::vector<int>(3, 7));
  EXPECT_EQ(all.compute(options()), expected);
  EXPECT_EQ(calls.load(), 1);
}

TEST_P(Gather, NestedGathers) {
  auto sq = dagflow::delayed([](int a) { return a * a; }, "sq");
  std::vector<Delayed<std::vector<int>>> rows;
  for (int r = 0; r < 3; ++r) {
    std::vector<Delayed<int>> row;
    for (int c = 0; c < 4; ++c) row.push_back(sq(r * 4 + c));
    rows.push_back(dagflow::gather(row));
  }
  const auto table = dagflow::gather(rows).compute(options());
  ASSERT_EQ(table.size(), 3u);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 4; ++c) EXPECT_EQ(table[r][c], (r * 4 + c) * (r * 4 + c));
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(Gather);

// --- Arguments ---------------------------------------------------------------------------------------

int subtract(int a, int b) { return a - b; }

struct Scale {
  int factor;
  int operator()(int x) const { return x * factor; }
};

class Arguments : public dagflow_test::SchedulerTest {};

TEST_P(Arguments, FunctionPointersGenericLambdasAndFunctionObjects) {
  auto sub = dagflow::delayed(&subtract, "subtract");
  auto generic = dagflow::delayed([](auto a, auto b) { return a * b; }, "mul");
  auto scale = dagflow::delayed(Scale{3}, "scale");
  Delayed<int> x = sub(10, 4);
  EXPECT_EQ(scale(generic(x, x)).compute(options()), 108);
  EXPECT_EQ(sub.name(), "subtract");
}

TEST_P(Arguments, VectorOfDelayedMixedWithPlainValues) {
  auto leaf = dagflow::delayed([](int i) { return i; }, "leaf");
  auto weighted = dagflow::delayed(
      [](const std::vector<int>& xs, int weight, const std::vector<int>& ys) {
        return weight * (std::accumulate(xs.begin(), xs.end(), 0) - std::accumulate(ys.begin(), ys.end(), 0));
      },
      "weighted");
  std::vector<Delayed<int>> xs{leaf(5), leaf(6)}, ys{leaf(1)};
  EXPECT_EQ(weighted(xs, 10, ys).compute(options()), 100);
  EXPECT_EQ(weighted(std::vector<Delayed<int>>{}, 2, ys).compute(options()), -2);
}

TEST_P(Arguments, VectorArgumentByValueMayBeModified) {
  auto leaf = dagflow::delayed([](int i) { return i; }, "leaf");
  auto sorted = dagflow::delayed([](std::vector<int> xs) { std::sort(xs.begin(), xs.end()); return xs; }, "sort");
  std::vector<Delayed<int>> parts{leaf(3), leaf(1), leaf(2)};
  EXPECT_EQ(sorted(parts).compute(options()), (std::vector<int>{1, 2, 3}));
}

TEST_P(Arguments, PlainArgumentsAreCopiedAtCallTime) {
  auto shout = dagflow::delayed([](const std::string& s) { return s + "!"; }, "shout");
  std::string text = "before";
  Delayed<std::string> d = shout(text);
  text = "after";
  EXPECT_EQ(d.compute(options()), "before!");
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(Arguments);

// --- void functions ------------------------------------------------------------------------------------

class VoidFunctions : public dagflow_test::SchedulerTest {};

TEST_P(VoidFunctions, GiveDelayedVoidAndRunOnCompute) {
  DAGFLOW_SKIP_WHERE_RANKS_SHARE(options(), "task calls");
  std::atomic<int> total{0};
  auto add_to = dagflow::delayed([&total](int n) { total += n; }, "add_to");
  auto three = dagflow::delayed([] { return 3; }, "three");
  Delayed<void> v = add_to(three());
  static_assert(std::is_same_v<decltype(v), Delayed<void>>);
  EXPECT_EQ(total.load(), 0);
  v.compute(options());
  EXPECT_EQ(total.load(), 3);
  v.compute(options());
  EXPECT_EQ(total.load(), 6) << "and again";
  Delayed<void> p = v.persist(options());
  EXPECT_EQ(total.load(), 9);
  EXPECT_TRUE(p.valid());
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(VoidFunctions);

// --- Move-only results -----------------------------------------------------------------------------------

class MoveOnly : public dagflow_test::SchedulerTest {};

TEST_P(MoveOnly, UniquePtrFlowsIntoAByValueConsumer) {
  auto make = dagflow::delayed([](int n) { return std::make_unique<int>(n); }, "make");
  auto twice = dagflow::delayed([](std::unique_ptr<int> p) { return *p * 2; }, "twice");
  EXPECT_EQ(twice(make(21)).compute(options()), 42);
}

TEST_P(MoveOnly, UniquePtrIsTheComputedResult) {
  if (dagflow_test::runs_a_share_only(options())) GTEST_SKIP() << "a unique_ptr output cannot travel to every rank";
  auto make = dagflow::delayed([](int n) { return std::make_unique<int>(n); }, "make");
  auto bump = dagflow::delayed([](std::unique_ptr<int> p) { ++*p; return p; }, "bump");
  std::unique_ptr<int> result = bump(bump(make(1))).compute(options());
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(*result, 3);
}

TEST_P(MoveOnly, SeveralConstReferenceReaders) {
  auto make = dagflow::delayed([](int n) { return std::make_unique<int>(n); }, "make");
  auto read = dagflow::delayed([](const std::unique_ptr<int>& p, int k) { return *p + k; }, "read");
  Delayed<std::unique_ptr<int>> p = make(10);
  auto [a, b, c] = dagflow::compute(options(), read(p, 1), read(p, 2), read(p, 3));
  EXPECT_EQ(a + b + c, 36);
}

TEST_P(MoveOnly, VectorOfUniquePtrsMovedIntoAByValueConsumer) {
  auto make = dagflow::delayed([](int n) { return std::make_unique<int>(n); }, "make");
  auto total = dagflow::delayed(
      [](std::vector<std::unique_ptr<int>> ps) {
        int sum = 0;
        for (const auto& p : ps) sum += *p;
        return sum;
      },
      "total");
  std::vector<Delayed<std::unique_ptr<int>>> parts;
  for (int i = 1; i <= 5; ++i) parts.push_back(make(i));
  EXPECT_EQ(total(parts).compute(options()), 15);
}

TEST_P(MoveOnly, RequestingTheSameMoveOnlyOutputTwiceIsAUsageError) {
  auto make = dagflow::delayed([](int n) { return std::make_unique<int>(n); }, "make");
  Delayed<std::unique_ptr<int>> p = make(1);
  EXPECT_THROW(dagflow::compute(options(), p, p), dagflow::UsageError);
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(MoveOnly);

// Sync-only: only the sync scheduler fixes which of the two readers runs first.
TEST(MoveOnlyWithSync, TwoByValueReadersIsAClearErrorNotACrash) {
  auto make = dagflow::delayed([](int n) { return std::make_unique<int>(n); }, "make");
  auto take = dagflow::delayed([](std::unique_ptr<int> p) { return *p; }, "take");
  Delayed<std::unique_ptr<int>> p = make(1);
  // Sync order is the plan's order, so the first reader is deterministic: it cannot copy.
  try {
    dagflow::compute(sync_options, take(p), take(p));
    FAIL() << "expected a TaskError";
  } catch (const dagflow::TaskError& e) {
    EXPECT_NE(std::string(e.what()).find("not copyable"), std::string::npos) << e.what();
    DAGFLOW_EXPECT_ORIGINAL_THROW(e, dagflow::UsageError);
  }
}

// --- Large results: copies and moves -------------------------------------------------------------

// A large result that counts how it is copied and moved.
struct Big {
  static inline std::atomic<int> copies{0};
  static inline std::atomic<int> moves{0};
  static void reset() { copies = 0, moves = 0; }

  std::vector<int> data;

  explicit Big(std::size_t n = 1000, int fill = 1) : data(n, fill) {}
  template <class Archive>
  void serialize(Archive& archive) {  // lets Big travel between MPI ranks (tests/mpi)
    archive(data);
  }
  Big(const Big& other) : data(other.data) { ++copies; }
  Big(Big&& other) noexcept : data(std::move(other.data)) { ++moves; }
  Big& operator=(const Big& other) {
    data = other.data;
    ++copies;
    return *this;
  }
  Big& operator=(Big&& other) noexcept {
    data = std::move(other.data);
    ++moves;
    return *this;
  }
  ~Big() = default;
  long sum() const { return std::accumulate(data.begin(), data.end(), 0L); }
};

class LargeResults : public dagflow_test::SchedulerTest {
 protected:
  void SetUp() override { Big::reset(); }
};

TEST_P(LargeResults, NotCopiedToConstReferenceConsumers) {
  auto make = dagflow::delayed([](std::size_t n) { return Big(n); }, "make");
  auto sum = dagflow::delayed([](const Big& b) { return b.sum(); }, "sum");
  auto size = dagflow::delayed([](const Big& b) { return b.data.size(); }, "size");
  auto both = dagflow::delayed([](const Big& a, const Big& b) { return a.sum() + b.sum(); }, "both");
  Delayed<Big> big = make(std::size_t{1000});
  auto [s, n, bb] = dagflow::compute(options(), sum(big), size(big), both(big, big));
  EXPECT_EQ(s, 1000);
  EXPECT_EQ(n, 1000u);
  EXPECT_EQ(bb, 2000);
  EXPECT_EQ(Big::copies.load(), 0);
  EXPECT_EQ(Big::moves.load(), 0) << "the result is constructed in place in its slot";
}

TEST_P(LargeResults, MovedAlongAChainOfByValueConsumers) {
  DAGFLOW_SKIP_WHERE_RANKS_SHARE(options(), "copies");
  auto make = dagflow::delayed([](std::size_t n) { return Big(n); }, "make");
  auto bump = dagflow::delayed([](Big b) { b.data.push_back(1); return b; }, "bump");
  Delayed<Big> x = make(std::size_t{1000});
  for (int i = 0; i < 5; ++i) x = bump(x);
  const Big result = x.compute(options());
  EXPECT_EQ(result.data.size(), 1005u);
  EXPECT_EQ(Big::copies.load(), 0);
  EXPECT_GT(Big::moves.load(), 0);
}

TEST_P(LargeResults, OutputThatIsAlsoConsumedByValueIsNotMovedFrom) {
  DAGFLOW_SKIP_WHERE_RANKS_SHARE(options(), "copies");
  auto make = dagflow::delayed([](std::size_t n) { return Big(n); }, "make");
  auto drain = dagflow::delayed([](Big b) { Big taken = std::move(b); return taken.sum(); }, "drain");
  Delayed<Big> big = make(std::size_t{100});
  auto [whole, drained] = dagflow::compute(options(), big, drain(big));
  EXPECT_EQ(whole.data.size(), 100u);
  EXPECT_EQ(drained, 100);
  EXPECT_EQ(Big::copies.load(), 1) << "the consumer needs its own copy, the output is moved out";
}

TEST_P(LargeResults, RequestingTheSameOutputTwiceCopiesOnce) {
  DAGFLOW_SKIP_WHERE_RANKS_SHARE(options(), "copies");
  auto make = dagflow::delayed([](std::size_t n) { return Big(n); }, "make");
  Delayed<Big> big = make(std::size_t{10});
  auto [a, b] = dagflow::compute(options(), big, big);
  EXPECT_EQ(a.data, b.data);
  EXPECT_EQ(Big::copies.load(), 1);
}

TEST_P(LargeResults, ByValueReaderAmongConstReadersCopiesAtMostOnce) {
  auto make = dagflow::delayed([](std::size_t n) { return Big(n); }, "make");
  auto sum = dagflow::delayed([](const Big& b) { return b.sum(); }, "sum");
  auto take = dagflow::delayed([](Big b) { return static_cast<long>(b.data.size()); }, "take");
  Delayed<Big> big = make(std::size_t{1000});
  // The by-value reader may run before the others (it copies then), or last (it moves).
  auto [d, e, f] = dagflow::compute(options(), sum(big), sum(big), take(big));
  EXPECT_EQ(d + e + f, 3000);
  EXPECT_LE(Big::copies.load(), 1);
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(LargeResults);

// Sync-only (these two): which reader is last is known only for the sync scheduler's fixed order.
TEST(LargeResultsWithSync, ByValueLastReaderMoves) {
  Big::reset();
  auto make = dagflow::delayed([](std::size_t n) { return Big(n); }, "make");
  auto sum = dagflow::delayed([](const Big& b) { return b.sum(); }, "sum");
  auto take = dagflow::delayed([](Big b) { return static_cast<long>(b.data.size()); }, "take");
  Delayed<Big> big = make(std::size_t{1000});
  // The sync scheduler runs the plan's order: both const readers, then the by-value one, last.
  auto [a, b, c] = dagflow::compute(sync_options, sum(big), sum(big), take(big));
  EXPECT_EQ(a + b + c, 3000);
  EXPECT_EQ(Big::copies.load(), 0);
}

TEST(LargeResultsWithSync, ByValueReaderThatIsNotLastCopies) {
  Big::reset();
  auto make = dagflow::delayed([](std::size_t n) { return Big(n); }, "make");
  auto sum = dagflow::delayed([](const Big& b) { return b.sum(); }, "sum");
  auto take = dagflow::delayed([](Big b) { Big mine = std::move(b); return mine.sum(); }, "take");
  Delayed<Big> big = make(std::size_t{1000});
  // take runs first here, so it must copy: the later reader still sees the whole value.
  auto [a, b] = dagflow::compute(sync_options, take(big), sum(big));
  EXPECT_EQ(a, 1000);
  EXPECT_EQ(b, 1000);
  EXPECT_EQ(Big::copies.load(), 1);
}

// --- Constants are never consumed -------------------------------------------------------------------------

class Constants : public dagflow_test::SchedulerTest {};

TEST_P(Constants, PlainArgumentTakenByValueSurvivesRepeatedComputes) {
  auto keep = dagflow::delayed([](std::string s) { std::string mine = std::move(s); return mine + "!"; }, "keep");
  Delayed<std::string> d = keep(std::string("hello"));
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(d.compute(options()), "hello!");
    EXPECT_EQ(d.compute(options()), "hello!") << "and again";
  }
}

TEST_P(Constants, ValueTakenByValueSurvivesRepeatedComputes) {
  auto pass = dagflow::delayed([](std::vector<int> v) { return v; }, "pass");
  Delayed<std::vector<int>> c = dagflow::value(std::vector<int>{1, 2, 3});
  Delayed<std::vector<int>> d = pass(c);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(d.compute(options()), (std::vector<int>{1, 2, 3}));
    EXPECT_EQ(c.compute(options()), (std::vector<int>{1, 2, 3})) << "the constant itself as the output";
  }
}

TEST_P(Constants, ValueIsReadInPlaceByConstReferenceConsumers) {
  auto sum = dagflow::delayed([](const Big& b) { return b.sum(); }, "sum");
  Delayed<Big> c = dagflow::value(Big(500));
  Big::reset();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(sum(c).compute(options()), 500);
  EXPECT_EQ(Big::copies.load(), 0);
}

TEST_P(Constants, PersistedResultTakenByValueSurvivesRepeatedComputes) {
  auto make = dagflow::delayed([](std::size_t n) { return Big(n); }, "make");
  auto drain = dagflow::delayed([](Big b) { Big mine = std::move(b); return mine.sum(); }, "drain");
  Delayed<Big> p = make(std::size_t{50}).persist(options());
  Delayed<long> d = drain(p);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(d.compute(options()), 50);
  EXPECT_EQ(p.compute(options()).data.size(), 50u);
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(Constants);

}  // namespace
