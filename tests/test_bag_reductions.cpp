// Bag reductions: reduction, fold, count, sum, mean, min, max, var, std, any, all; the shape of their
// task trees for several split_every; empty bags; on every scheduler of support/schedulers.hpp.
#include <gtest/gtest.h>

#include <cmath>
#include <compare>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/bag_support.hpp"
#include "support/schedulers.hpp"

namespace {

using dagflow::Bag;
using dagflow::ComputeOptions;
using dagflow::TaskError;
using dagflow::UsageError;
namespace bag = dagflow::bag;
using namespace bag_test;

/// Number of aggregate tasks Dask's tree makes for `partitions` partials combined `split_every` at a
/// time: one per group at each inner level, plus the final one.
int expected_aggregates(std::size_t partitions, std::size_t split_every) {
  int tasks = 1;
  for (std::size_t k = partitions; k > split_every;) {
    k = (k + split_every - 1) / split_every;
    tasks += static_cast<int>(k);
  }
  return tasks;
}

/// A UsageError thrown inside the task `name`-...: reaches the caller as a TaskError.
template <class F>
void expect_task_usage_error(F&& compute, const std::string& name, const std::string& message) {
  try {
    compute();
    FAIL() << "expected a TaskError from " << name;
  } catch (const TaskError& e) {
    EXPECT_EQ(e.key().rfind(name + "-", 0), 0u) << e.key();
    EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
    DAGFLOW_EXPECT_ORIGINAL_THROW(e, UsageError);
  }
}

// --- Values -----------------------------------------------------------------------------------------

// param(): the number of partitions.
class Reductions : public dagflow_test::SchedulerTestWith<std::size_t> {
 protected:
  // 0 .. 99 in param() partitions.
  Bag<int> numbers() const { return bag::from_sequence(iota(100), {.npartitions = param()}); }
};

TEST_P(Reductions, CountSumMeanMinMax) {
  EXPECT_EQ(numbers().count().compute(options()), 100u);
  EXPECT_EQ(numbers().sum().compute(options()), 4950);
  EXPECT_DOUBLE_EQ(numbers().mean().compute(options()), 49.5);
  EXPECT_EQ(numbers().min().compute(options()), 0);
  EXPECT_EQ(numbers().max().compute(options()), 99);
}

TEST_P(Reductions, VarAndStdWithDdof) {
  // Population variance of 0..99 is (100^2 - 1) / 12; the sample variance divides by 99 instead.
  EXPECT_NEAR(numbers().var().compute(options()), 833.25, 1e-9);
  EXPECT_NEAR(numbers().var(1).compute(options()), 833.25 * 100 / 99, 1e-9);
  EXPECT_NEAR(numbers().std().compute(options()), std::sqrt(833.25), 1e-9);
  EXPECT_NEAR(numbers().std(1).compute(options()), std::sqrt(833.25 * 100 / 99), 1e-9);
}

TEST_P(Reductions, AnyAll) {
  EXPECT_TRUE(numbers().any().compute(options()));
  EXPECT_FALSE(numbers().all().compute(options())) << "0 is false";
  EXPECT_TRUE(numbers().map([](int x) { return x + 1; }).all().compute(options()));
  EXPECT_FALSE(numbers().map([](int) { return 0; }).any().compute(options()));
}

TEST_P(Reductions, FoldWithAndWithoutCombine) {
  auto add = [](long long acc, int x) { return acc + x; };
  auto combine = [](long long a, long long b) { return a + b; };
  EXPECT_EQ(numbers().fold(add, combine, 0LL).compute(options()), 4950);
  EXPECT_EQ(numbers().fold([](int a, int b) { return std::max(a, b); }, -1).compute(options()), 99);
}

TEST_P(Reductions, OrderIsKeptSoAggregatesNeedOnlyBeAssociative) {
  // String concatenation is associative but not commutative.
  auto letters = bag::from_sequence(std::vector<std::string>{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m"},
                                    {.npartitions = param()});
  for (std::size_t split_every : {2u, 3u, 8u}) {
    EXPECT_EQ(letters.sum({.split_every = split_every}).compute(options()), "abcdefghijklm");
    EXPECT_EQ(letters.fold([](std::string acc, const std::string& s) { return acc + s; },
                           [](std::string a, const std::string& b) { return a + b; }, std::string(), {.split_every = split_every})
                  .compute(options()),
              "abcdefghijklm");
    auto concat_partition = [](const std::vector<std::string>& part) { return std::accumulate(part.begin(), part.end(), std::string()); };
    auto concat_all = [](const std::vector<std::string>& partials) { return std::accumulate(partials.begin(), partials.end(), std::string()); };
    EXPECT_EQ(letters.reduction(concat_partition, concat_all, {.split_every = split_every}).compute(options()), "abcdefghijklm");
  }
}

// 1 partition, a few, exactly split_every, more than split_every, one element per partition, and more
// partitions than elements.
DAGFLOW_TEST_ON_EVERY_SCHEDULER_WITH(Reductions, ::testing::Values(1, 3, 8, 9, 100, 150));

// --- Tree shape ----------------------------------------------------------------------------------------

class ReductionTree : public dagflow_test::SchedulerTest {};

TEST_P(ReductionTree, AggregatesSplitEveryPartialsAtATime) {
  DAGFLOW_SKIP_WHERE_RANKS_SHARE(options(), "tasks");
  auto b = bag::from_sequence(iota(40), {.npartitions = 20});
  for (std::size_t split_every : {2u, 3u, 4u, 8u, 20u, 100u}) {
    TaskCounter counter;
    EXPECT_EQ(b.count({.split_every = split_every}).compute(options(&counter)), 40u);
    EXPECT_EQ(counter.count("count-partition"), 20) << split_every;
    EXPECT_EQ(counter.count("count-aggregate"), expected_aggregates(20, split_every)) << split_every;
  }
  // split_every 2 over 20 partials: 10, 5, 3, 2 inner aggregates and the final one.
  EXPECT_EQ(expected_aggregates(20, 2), 21);
}

TEST_P(ReductionTree, NoAggregateTakesMoreThanSplitEveryInputs) {
  DAGFLOW_SKIP_WHERE_RANKS_SHARE(options(), "task inputs");
  auto b = bag::from_sequence(iota(50), {.npartitions = 50});
  std::atomic<std::size_t> widest{0};
  auto per_partition = [](const std::vector<int>& part) { return std::accumulate(part.begin(), part.end(), 0); };
  auto aggregate = [&widest](const std::vector<int>& partials) {
    std::size_t seen = widest.load();
    while (partials.size() > seen && !widest.compare_exchange_weak(seen, partials.size())) {
    }
    return std::accumulate(partials.begin(), partials.end(), 0);
  };
  EXPECT_EQ(b.reduction(per_partition, aggregate, {.split_every = 4}).compute(options()), 1225);
  EXPECT_EQ(widest.load(), 4u);
}

TEST(ReductionTree, SplitEveryBelowTwoIsRefused) {
  auto b = bag::from_sequence(iota(4));
  EXPECT_THROW(b.count({.split_every = 1}), UsageError);
  EXPECT_THROW(b.sum({.split_every = 0}), UsageError);
  EXPECT_THROW(b.frequencies({.split_every = 1}), UsageError);
}

TEST_P(ReductionTree, TasksAreNamedAfterTheOperation) {
  DAGFLOW_SKIP_WHERE_RANKS_SHARE(options(), "tasks");
  auto b = bag::from_sequence(iota(4), {.npartitions = 2});
  EXPECT_EQ(b.sum().name(), "sum-aggregate");
  EXPECT_EQ(b.mean().name(), "mean-aggregate");
  EXPECT_EQ(b.std().name(), "std-aggregate");
  TaskCounter counter;
  b.max().compute(options(&counter));
  EXPECT_EQ(counter.count("max-partition"), 2);
  EXPECT_EQ(counter.count("max-aggregate"), 1);
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(ReductionTree);

// --- Empty bags and data-dependent errors ---------------------------------------------------------

class EmptyBags : public dagflow_test::SchedulerTest {};

TEST_P(EmptyBags, NeutralResultsWhereThereIsOne) {
  for (const Bag<int>& empty : {Bag<int>(), bag::from_sequence(std::vector<int>{}, {.npartitions = 3})}) {
    EXPECT_EQ(empty.count().compute(options()), 0u);
    EXPECT_EQ(empty.sum().compute(options()), 0);
    EXPECT_FALSE(empty.any().compute(options()));
    EXPECT_TRUE(empty.all().compute(options()));
    EXPECT_EQ(empty.fold([](int a, int x) { return a + x; }, 0).compute(options()), 0);
  }
  // `initial` starts every partition's fold (so it should be binop's identity, as in Dask); a bag
  // without partitions folds to it.
  EXPECT_EQ(Bag<int>().fold([](int a, int x) { return a + x; }, 7).compute(options()), 7);
  EXPECT_EQ(bag::from_sequence(std::vector<int>{}, {.npartitions = 3}).fold([](int a, int x) { return a + x; }, 7).compute(options()), 21);
}

TEST_P(EmptyBags, MeanMinMaxVarFailInsideTheTask) {
  const auto empty = bag::from_sequence(std::vector<int>{}, {.npartitions = 3});
  expect_task_usage_error([&] { empty.mean().compute(options()); }, "mean-aggregate", "mean of an empty bag");
  expect_task_usage_error([&] { empty.min().compute(options()); }, "min-aggregate", "min of an empty bag");
  expect_task_usage_error([&] { empty.max().compute(options()); }, "max-aggregate", "max of an empty bag");
  expect_task_usage_error([&] { Bag<int>().mean().compute(options()); }, "mean-aggregate", "empty");
  const auto one = bag::from_sequence({5});
  expect_task_usage_error([&] { one.var(1).compute(options()); }, "var-aggregate", "ddof = 1");
  expect_task_usage_error([&] { one.std(2).compute(options()); }, "std-aggregate", "needs more than 2");
  EXPECT_DOUBLE_EQ(one.var().compute(options()), 0.0);
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(EmptyBags);

class Errors : public dagflow_test::SchedulerTest {};

TEST_P(Errors, ThrowingPerPartitionFunctionNamesItsTask) {
  auto b = bag::from_sequence(iota(6), {.npartitions = 3});
  auto failing = [](const std::vector<int>& part) -> int {
    if (part.front() == 2) throw std::runtime_error("bad partition");
    return 0;
  };
  try {
    b.reduction(failing, [](const std::vector<int>& v) { return static_cast<int>(v.size()); }).compute(options());
    FAIL();
  } catch (const TaskError& e) {
    EXPECT_EQ(e.key().rfind("reduction-partition-", 0), 0u) << e.key();
    EXPECT_NE(std::string(e.what()).find("bad partition"), std::string::npos);
  }
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(Errors);

// --- Types -------------------------------------------------------------------------------------------

class Types : public dagflow_test::SchedulerTest {};

TEST_P(Types, SumOfBoolsCountsAndSumOfStringsConcatenates) {
  auto flags = bag::from_sequence(std::vector<bool>{true, false, true, true}, {.npartitions = 3});
  EXPECT_EQ(flags.sum().compute(options()), 3);
  static_assert(std::is_same_v<decltype(flags.sum().compute(options())), int>);
  EXPECT_TRUE(flags.any().compute(options()));
  EXPECT_FALSE(flags.all().compute(options()));
  EXPECT_EQ(flags.min().compute(options()), false);
  EXPECT_EQ(flags.count().compute(options()), 4u);
  auto words = bag::from_sequence(mary(), {.npartitions = 2});
  EXPECT_EQ(words.sum().compute(options()), "maryhadalittlelamb");
  EXPECT_EQ(words.min().compute(options()), "a");
  EXPECT_EQ(words.max().compute(options()), "mary");
  EXPECT_EQ(bag::range(10, 3).sum().compute(options()), 45);
  static_assert(std::is_same_v<decltype(bag::range(10, 3).sum().compute(options())), std::int64_t>);
}

// Ordered by key only, so that equal elements can still be told apart by tag.
struct Keyed {
  int key;
  int tag;
  friend bool operator==(const Keyed& a, const Keyed& b) { return a.key == b.key; }
  friend auto operator<=>(const Keyed& a, const Keyed& b) { return a.key <=> b.key; }
  template <class Archive>
  void serialize(Archive& archive) {  // lets Keyed travel between MPI ranks (tests/mpi)
    archive(key, tag);
  }
};

TEST_P(Types, MinAndMaxKeepTheFirstOfEqualElements) {
  std::vector<Keyed> items;
  for (int i = 0; i < 30; ++i) items.push_back({i % 3 == 0 ? 0 : (i % 3 == 1 ? 5 : 2), i});
  for (std::size_t n : {1u, 4u, 30u}) {
    auto b = bag::from_sequence(items, {.npartitions = n});
    EXPECT_EQ(b.min({.split_every = 2}).compute(options()).tag, 0) << n;
    EXPECT_EQ(b.max({.split_every = 2}).compute(options()).tag, 1) << n;
  }
}

TEST_P(Types, MeanKeepsPrecisionAndVarIgnoresALargeOffset) {
  // 1e6 copies of 0.1 summed naively drift by about 1e-10; the compensated mean is exact to rounding.
  auto tenths = bag::from_sequence(std::vector<double>(1'000'000, 0.1), {.npartitions = 7});
  EXPECT_NEAR(tenths.mean().compute(options()), 0.1, 1e-16);
  // Sum-of-squares formulas lose everything here (1e18 against a variance of 2/3).
  auto offset = bag::from_sequence(std::vector<double>{1e9 + 1, 1e9 + 2, 1e9 + 3}, {.npartitions = 2});
  EXPECT_NEAR(offset.var().compute(options()), 2.0 / 3.0, 1e-9);
}

TEST_P(Types, FoldIntoAnotherType) {
  auto words = bag::from_sequence(mary(), {.npartitions = 3});
  auto longest = words.fold([](std::size_t best, const std::string& w) { return std::max(best, w.size()); },
                            [](std::size_t a, std::size_t b) { return std::max(a, b); }, std::size_t{0});
  EXPECT_EQ(longest.compute(options()), 6u);
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(Types);

class LargerPipeline : public dagflow_test::SchedulerTest {};

TEST_P(LargerPipeline, GivesTheBitsOfTheSyncScheduler) {
  // The sync scheduler's results are the reference: the same tree, the same arithmetic, the same bits.
  const ComputeOptions sync_options{.scheduler = dagflow::Scheduler::sync};
  auto b = bag::range(10'000, 37).map([](std::int64_t x) { return (x * 7919) % 1000; }).filter([](std::int64_t x) { return x % 3 != 0; });
  const auto sync_sum = b.sum({.split_every = 3}).compute(sync_options);
  EXPECT_EQ(b.sum({.split_every = 3}).compute(options()), sync_sum);
  EXPECT_EQ(b.var(1).compute(options()), b.var(1).compute(sync_options)) << "same tree, same arithmetic, same bits";
  EXPECT_EQ(b.mean().compute(options()), b.mean().compute(sync_options));
  std::int64_t direct = 0;
  for (std::int64_t x = 0; x < 10'000; ++x)
    if ((x * 7919) % 1000 % 3 != 0) direct += (x * 7919) % 1000;
  EXPECT_EQ(sync_sum, direct);
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(LargerPipeline);

}  // namespace
