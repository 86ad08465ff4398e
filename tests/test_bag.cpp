// Bag: the course's map/filter/reduce cases, the constructors, the element-wise operations, compute,
// take, persist, pictures, copies avoided along map/filter chains, and compile-time rejection of misuse;
// what computes runs on every scheduler of support/schedulers.hpp.
#include <gtest/gtest.h>

#include <atomic>
#include <cctype>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "support/bag_support.hpp"
#include "support/schedulers.hpp"

namespace {

using dagflow::Bag;
using dagflow::ComputeOptions;
using dagflow::Delayed;
using dagflow::TaskError;
using dagflow::UsageError;
namespace bag = dagflow::bag;
using namespace bag_test;

std::string upper(std::string word) {
  for (char& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return word;
}
bool contains_a(const std::string& word) { return word.find('a') != std::string::npos; }
std::size_t count_chars(const std::vector<std::string>& words) {
  std::size_t n = 0;
  for (const auto& w : words) n += w.size();
  return n;
}
std::size_t sum_sizes(const std::vector<std::size_t>& counts) { return std::accumulate(counts.begin(), counts.end(), std::size_t{0}); }

std::vector<std::size_t> partition_sizes(const Bag<int>& b, const ComputeOptions& options = {}) {
  std::vector<std::size_t> sizes;
  for (const auto& part : b.to_delayed()) sizes.push_back(part.compute(options).size());
  return sizes;
}

// --- The course's "Map and reduce" cases, for several partitionings and every scheduler -------------

// param(): the number of partitions.
class CourseCases : public dagflow_test::SchedulerTestWith<std::size_t> {
 protected:
  Bag<std::string> words() const { return bag::from_sequence(mary(), {.npartitions = param()}); }
};

TEST_P(CourseCases, MapUpper) {
  EXPECT_EQ(words().map(upper).compute(options()), (std::vector<std::string>{"MARY", "HAD", "A", "LITTLE", "LAMB"}));
}

TEST_P(CourseCases, FilterContainsA) {
  EXPECT_EQ(words().filter(contains_a).compute(options()), (std::vector<std::string>{"mary", "had", "a", "lamb"}));
}

TEST_P(CourseCases, MapContainsA) {
  EXPECT_EQ(words().map(contains_a).compute(options()), (std::vector<bool>{true, true, true, false, true}));
}

TEST_P(CourseCases, ReductionCountCharsSum) {
  EXPECT_EQ(words().reduction(count_chars, sum_sizes).compute(options()), 18u);
}

TEST_P(CourseCases, PluckByHand) {
  // The course's challenge: pluck without pluck is a map that picks a member.
  auto pairs = words().map([](const std::string& w) { return std::pair<std::string, std::size_t>(w, w.size()); });
  EXPECT_EQ(pairs.pluck<1>().compute(options()), pairs.map([](const auto& p) { return p.second; }).compute(options()));
  EXPECT_EQ(pairs.pluck<1>().compute(options()), (std::vector<std::size_t>{4, 3, 1, 6, 4}));
}

// 1 partition, fewer partitions than words, one word each, more partitions than words.
DAGFLOW_TEST_ON_EVERY_SCHEDULER_WITH(CourseCases, ::testing::Values(1, 2, 5, 12));

class CoursePi : public dagflow_test::SchedulerTest {};

TEST_P(CoursePi, WithABagIsAMeanOfMaps) {
  // from_sequence(repeat(N, 24)).map(calc_pi).mean(): Dask's default gives one partition per element.
  auto shots = bag::from_sequence(std::vector<std::int64_t>(24, 1000));
  EXPECT_EQ(shots.npartitions(), 24u);
  auto estimate = shots.map([](std::int64_t n) { return 3.0 + static_cast<double>(n % 7) / 10; }).mean();
  EXPECT_DOUBLE_EQ(estimate.compute(options()), 3.6);
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(CoursePi);

// --- Constructors ------------------------------------------------------------------------------------

class FromSequence : public dagflow_test::SchedulerTest {};

TEST_P(FromSequence, DaskDefaultIsOneElementPerPartitionUpTo100) {
  EXPECT_EQ(bag::from_sequence(iota(7)).npartitions(), 7u);
  EXPECT_EQ(bag::from_sequence(iota(100)).npartitions(), 100u);
  // Above 100 elements, partitions of ceil(sqrt(n) / 10): 2 for 250 elements.
  auto b = bag::from_sequence(iota(250));
  EXPECT_EQ(b.npartitions(), 125u);
  EXPECT_EQ(b.compute(options()), iota(250));
}

TEST_P(FromSequence, NpartitionsGivesExactlyThatManyBalancedPartitions) {
  auto b = bag::from_sequence(iota(10), {.npartitions = 3});
  EXPECT_EQ(partition_sizes(b, options()), (std::vector<std::size_t>{4, 3, 3}));
  EXPECT_EQ(b.compute(options()), iota(10));
  EXPECT_EQ(partition_sizes(bag::from_sequence(iota(2), {.npartitions = 4}), options()), (std::vector<std::size_t>{1, 1, 0, 0}));
}

TEST_P(FromSequence, PartitionSizeCutsFixedChunks) {
  auto b = bag::from_sequence(iota(10), {.partition_size = 4});
  EXPECT_EQ(partition_sizes(b, options()), (std::vector<std::size_t>{4, 4, 2}));
  EXPECT_EQ(partition_sizes(bag::from_sequence(iota(8), {.partition_size = 4}), options()), (std::vector<std::size_t>{4, 4}));
}

TEST_P(FromSequence, EmptySequenceGivesEmptyPartitions) {
  EXPECT_EQ(partition_sizes(bag::from_sequence(std::vector<int>{}), options()), (std::vector<std::size_t>{0}));
  EXPECT_EQ(partition_sizes(bag::from_sequence(std::vector<int>{}, {.npartitions = 3}), options()),
            (std::vector<std::size_t>{0, 0, 0}));
  EXPECT_TRUE(bag::from_sequence(std::vector<int>{}).compute(options()).empty());
}

TEST(FromSequence, BadOptionsThrowUsageError) {
  EXPECT_THROW(bag::from_sequence(iota(3), {.npartitions = 0}), UsageError);
  EXPECT_THROW(bag::from_sequence(iota(3), {.partition_size = 0}), UsageError);
  try {
    bag::from_sequence(iota(3), {.npartitions = 1, .partition_size = 1});
    FAIL() << "both options must be refused";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("not both"), std::string::npos) << e.what();
  }
}

TEST_P(FromSequence, AcceptsBracedListsAndOtherRanges) {
  EXPECT_EQ(bag::from_sequence({3, 1, 2}).compute(options()), (std::vector<int>{3, 1, 2}));
  std::deque<int> d{5, 6, 7};
  EXPECT_EQ(bag::from_sequence(d, {.npartitions = 2}).compute(options()), (std::vector<int>{5, 6, 7}));
  EXPECT_EQ(bag::from_sequence(std::views::iota(0, 4)).compute(options()), (std::vector<int>{0, 1, 2, 3}));
}

TEST_P(FromSequence, PartitionsAreConstantsReadInPlace) {
  // A const-reference consumer (count) never copies an element out of the constant partitions.
  std::vector<Tracked> items;
  for (int i = 0; i < 10; ++i) items.emplace_back(i);
  auto b = bag::from_sequence(std::move(items), {.npartitions = 3});
  Tracked::copies = 0;
  EXPECT_EQ(b.count().compute(options()), 10u);
  EXPECT_EQ(Tracked::copies.load(), 0);
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(FromSequence);

class Range : public dagflow_test::SchedulerTest {};

TEST_P(Range, GivesInt64sInBalancedPartitions) {
  Bag<std::int64_t> b = bag::range(10, 3);
  EXPECT_EQ(b.npartitions(), 3u);
  EXPECT_EQ(b.compute(options()), (std::vector<std::int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(b.to_delayed()[0].compute(options()).size(), 4u);
  EXPECT_EQ(b.to_delayed()[0].name(), "range");
  EXPECT_EQ(bag::range(0, 2).compute(options()), std::vector<std::int64_t>{});
  EXPECT_EQ(bag::range(2, 5).npartitions(), 5u);
  EXPECT_THROW(bag::range(-1, 2), UsageError);
  EXPECT_THROW(bag::range(5, 0), UsageError);
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(Range);

class FromDelayed : public dagflow_test::SchedulerTest {};

TEST_P(FromDelayed, PartitionsAreTheGivenTasks) {
  auto make = dagflow::delayed([](int first, int n) { std::vector<int> v(static_cast<std::size_t>(n)); std::iota(v.begin(), v.end(), first); return v; }, "make");
  Bag<int> b = bag::from_delayed(std::vector<Delayed<std::vector<int>>>{make(0, 2), make(2, 3)});
  EXPECT_EQ(b.npartitions(), 2u);
  EXPECT_EQ(b.compute(options()), (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(b.to_delayed()[1].name(), "make");
  EXPECT_EQ(bag::from_delayed(make(7, 1)).compute(options()), (std::vector<int>{7}));
  EXPECT_THROW(bag::from_delayed(std::vector<Delayed<std::vector<int>>>{make(0, 1), {}}), UsageError);
  EXPECT_THROW(bag::from_delayed(Delayed<std::vector<int>>()), UsageError);
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(FromDelayed);

class Concat : public dagflow_test::SchedulerTest {};

TEST_P(Concat, JoinsPartitionListsInOrderWithoutNewTasks) {
  auto a = bag::from_sequence(iota(3), {.npartitions = 2});
  auto b = bag::from_sequence(std::vector<int>{10, 11}, {.npartitions = 1});
  Bag<int> c = bag::concat(std::vector<Bag<int>>{a, b, Bag<int>()});
  EXPECT_EQ(c.npartitions(), 3u);
  EXPECT_EQ(c.compute(options()), (std::vector<int>{0, 1, 2, 10, 11}));
  EXPECT_EQ(c.to_delayed()[2].key(), b.to_delayed()[0].key());
  EXPECT_EQ(bag::concat(std::vector<Bag<int>>{}).npartitions(), 0u);
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(Concat);

class Zip : public dagflow_test::SchedulerTest {};

TEST_P(Zip, TuplesOfCorrespondingElements) {
  auto a = bag::from_sequence(iota(5), {.npartitions = 2});
  auto b = a.map([](int x) { return std::to_string(x * x); });
  auto z = bag::zip(a, b, a);
  EXPECT_EQ(z.npartitions(), 2u);
  auto items = z.compute(options());
  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(items[3], std::make_tuple(3, std::string("9"), 3));
}

TEST(Zip, DifferentPartitionCountsThrowUsageError) {
  auto a = bag::from_sequence(iota(5), {.npartitions = 2});
  auto b = bag::from_sequence(iota(5), {.npartitions = 3});
  try {
    bag::zip(a, b);
    FAIL() << "zip of 2 and 3 partitions must throw";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("2, 3"), std::string::npos) << e.what();
  }
}

TEST_P(Zip, DifferentPartitionLengthsFailInsideTheTask) {
  auto a = bag::from_sequence(iota(4), {.npartitions = 2});
  auto b = bag::from_sequence(iota(5), {.npartitions = 2});
  try {
    bag::zip(a, b).compute(options());
    FAIL() << "zip of partitions of 2 and 3 elements must fail";
  } catch (const TaskError& e) {
    EXPECT_EQ(e.key().rfind("zip-", 0), 0u) << e.key();
    DAGFLOW_EXPECT_ORIGINAL_THROW(e, UsageError);
  }
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(Zip);

// --- Element-wise operations -----------------------------------------------------------------------

class Map : public dagflow_test::SchedulerTest {};

TEST_P(Map, ChangesTypeAndKeepsPartitioning) {
  auto b = bag::from_sequence(iota(6), {.npartitions = 4});
  auto strings = b.map([](int x) { return std::string(static_cast<std::size_t>(x), 'x'); });
  EXPECT_EQ(strings.npartitions(), 4u);
  EXPECT_EQ(strings.compute(options())[3], "xxx");
  EXPECT_EQ(strings.to_delayed()[0].name(), "map");
}

TEST_P(Map, ExtraArgumentsMayBeDelayedOrPlain) {
  std::atomic<int> factor_calls{0};
  auto factor = dagflow::delayed([&factor_calls] { ++factor_calls; return 10; }, "factor")();
  auto b = bag::from_sequence(iota(4), {.npartitions = 4});
  auto mapped = b.map([](int x, int k, const std::string& suffix) { return std::to_string(x * k) + suffix; }, factor,
                      std::string("!"));
  EXPECT_EQ(mapped.compute(options()), (std::vector<std::string>{"0!", "10!", "20!", "30!"}));
  if (!dagflow_test::runs_a_share_only(options())) {
    EXPECT_EQ(factor_calls.load(), 1) << "a Delayed argument is one task shared by all partitions";
  }
  EXPECT_THROW(b.map([](int x, int k) { return x + k; }, Delayed<int>()), UsageError);
}

TEST_P(Map, FunctionErrorsNameTheMapTask) {
  auto b = bag::from_sequence(iota(4), {.npartitions = 2});
  auto failing = b.map([](int x) {
    if (x == 3) throw std::runtime_error("three");
    return x;
  });
  try {
    failing.compute(options());
    FAIL();
  } catch (const TaskError& e) {
    EXPECT_EQ(e.key().rfind("map-", 0), 0u) << e.key();
    EXPECT_NE(std::string(e.what()).find("three"), std::string::npos);
  }
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(Map);

class Starmap : public dagflow_test::SchedulerTest {};

TEST_P(Starmap, UnpacksTupleLikeElements) {
  auto pairs = bag::from_sequence(std::vector<std::pair<int, int>>{{1, 2}, {3, 4}, {5, 6}}, {.npartitions = 2});
  EXPECT_EQ(pairs.starmap([](int a, int b) { return a * b; }).compute(options()), (std::vector<int>{2, 12, 30}));
  auto triples = bag::zip(bag::range(3, 1), bag::range(3, 1), bag::range(3, 1));
  EXPECT_EQ(triples.starmap([](std::int64_t a, std::int64_t b, std::int64_t c) { return a + b + c; }).compute(options()),
            (std::vector<std::int64_t>{0, 3, 6}));
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(Starmap);

class FilterRemove : public dagflow_test::SchedulerTest {};

TEST_P(FilterRemove, KeepOrDropMatchingElementsInOrder) {
  auto b = bag::from_sequence(iota(10), {.npartitions = 3});
  auto even = [](int x) { return x % 2 == 0; };
  EXPECT_EQ(b.filter(even).compute(options()), (std::vector<int>{0, 2, 4, 6, 8}));
  EXPECT_EQ(b.remove(even).compute(options()), (std::vector<int>{1, 3, 5, 7, 9}));
  EXPECT_EQ(b.filter(even).npartitions(), 3u);
  EXPECT_EQ(b.remove(even).to_delayed()[0].name(), "remove");
  EXPECT_TRUE(b.filter([](int) { return false; }).compute(options()).empty());
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(FilterRemove);

class Flatten : public dagflow_test::SchedulerTest {};

TEST_P(Flatten, ElementsThatAreRangesBecomeTheirItems) {
  auto nested = bag::from_sequence(std::vector<std::vector<std::string>>{{"a", "b"}, {}, {"c"}}, {.npartitions = 2});
  EXPECT_EQ(nested.flatten().compute(options()), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(bag::from_sequence(std::vector<std::string>{"ab", "c"}).flatten().compute(options()), (std::vector<char>{'a', 'b', 'c'}));
  // Views are copied from, never moved from: the strings they show stay intact.
  const std::vector<std::string> storage{"xy", "z"};
  std::vector<std::string_view> views(storage.begin(), storage.end());
  EXPECT_EQ(bag::from_sequence(views).flatten().compute(options()), (std::vector<char>{'x', 'y', 'z'}));
}

TEST_P(Flatten, SplitWordsLikeTheWordCount) {
  auto lines = bag::from_sequence(std::vector<std::string>{"the cat", "", "the hat"}, {.npartitions = 2});
  auto words = lines
                   .map([](const std::string& line) {
                     std::vector<std::string> out;
                     std::istringstream in(line);
                     for (std::string w; in >> w;) out.push_back(w);
                     return out;
                   })
                   .flatten();
  EXPECT_EQ(words.compute(options()), (std::vector<std::string>{"the", "cat", "the", "hat"}));
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(Flatten);

class Pluck : public dagflow_test::SchedulerTest {};

TEST_P(Pluck, TupleMembersAndRangeItems) {
  auto pairs = bag::from_sequence(std::vector<std::pair<std::string, int>>{{"a", 1}, {"b", 2}});
  EXPECT_EQ(pairs.pluck<0>().compute(options()), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(pairs.pluck<1>().compute(options()), (std::vector<int>{1, 2}));
  auto rows = bag::from_sequence(std::vector<std::vector<int>>{{1, 2, 3}, {4, 5, 6}});
  EXPECT_EQ(rows.pluck(2).compute(options()), (std::vector<int>{3, 6}));
  try {
    rows.pluck(3).compute(options());
    FAIL();
  } catch (const TaskError& e) {
    DAGFLOW_EXPECT_ORIGINAL_THROW(e, UsageError);
    EXPECT_NE(std::string(e.what()).find("pluck(3)"), std::string::npos) << e.what();
  }
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(Pluck);

class MapPartitions : public dagflow_test::SchedulerTest {};

TEST_P(MapPartitions, WholePartitionsToAnyRange) {
  auto b = bag::from_sequence(iota(7), {.npartitions = 3});
  auto sizes = b.map_partitions([](const std::vector<int>& part) { return std::vector<std::size_t>{part.size()}; });
  EXPECT_EQ(sizes.compute(options()), (std::vector<std::size_t>{3, 2, 2}));
  auto sets = b.map_partitions([](const std::vector<int>& part) { return std::set<int>(part.begin(), part.end()); });
  EXPECT_EQ(sets.compute(options()), iota(7));
  auto reversed = b.map_partitions([](std::vector<int> part) {
    std::reverse(part.begin(), part.end());
    return part;
  });
  EXPECT_EQ(reversed.compute(options()), (std::vector<int>{2, 1, 0, 4, 3, 6, 5}));
  auto shifted = b.map_partitions(
      [](const std::vector<int>& part, int offset) {
        std::vector<int> out;
        for (int x : part) out.push_back(x + offset);
        return out;
      },
      dagflow::value(100));
  EXPECT_EQ(shifted.compute(options())[6], 106);
  EXPECT_EQ(shifted.to_delayed()[0].name(), "map_partitions");
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(MapPartitions);

class Accumulate : public dagflow_test::SchedulerTest {};

TEST_P(Accumulate, RunningValueAcrossPartitionsAsDask) {
  // Dask: range(5).accumulate(add, initial=-1) is [-1, -1, 0, 2, 5, 9].
  auto add = [](std::int64_t a, std::int64_t b) { return a + b; };
  for (std::size_t n : {1u, 2u, 5u, 8u}) {
    auto b = bag::range(5, n);
    EXPECT_EQ(b.accumulate(add, std::int64_t{-1}).compute(options()), (std::vector<std::int64_t>{-1, -1, 0, 2, 5, 9})) << n;
    EXPECT_EQ(b.accumulate(add).compute(options()), (std::vector<std::int64_t>{0, 1, 3, 6, 10})) << n;
    EXPECT_EQ(b.accumulate(add).npartitions(), n);
  }
}

TEST_P(Accumulate, AccumulatorOfAnotherTypeAndEmptyPartitions) {
  auto b = bag::from_sequence(std::vector<std::string>{"a", "b", "c"}, {.npartitions = 6});
  auto lengths = b.accumulate([](std::size_t n, const std::string& s) { return n + s.size(); }, std::size_t{0});
  EXPECT_EQ(lengths.compute(options()), (std::vector<std::size_t>{0, 1, 2, 3}));
  auto joined = b.accumulate([](const std::string& acc, const std::string& s) { return acc + s; });
  EXPECT_EQ(joined.compute(options()), (std::vector<std::string>{"a", "ab", "abc"}));
  EXPECT_TRUE(bag::from_sequence(std::vector<int>{}, {.npartitions = 3}).accumulate(std::plus<>()).compute(options()).empty());
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(Accumulate);

class ElementWise : public dagflow_test::SchedulerTest {};

TEST_P(ElementWise, BagsOfBoolUseTheVectorOfBoolProxiesCorrectly) {
  // std::vector<bool> hands out proxies instead of references: every by-value path must cope.
  auto flags = bag::from_sequence(mary(), {.npartitions = 2}).map(contains_a);
  EXPECT_EQ(flags.map([](bool b) { return !b; }).compute(options()), (std::vector<bool>{false, false, false, true, false}));
  EXPECT_EQ(flags.filter([](bool b) { return b; }).count().compute(options()), 4u);
  EXPECT_EQ(flags.topk(2).compute(options()), (std::vector<bool>{true, true}));
  EXPECT_EQ(flags.distinct().compute(options()), (std::vector<bool>{true, false}));
  EXPECT_EQ(flags.accumulate([](bool a, bool b) { return a && b; }).compute(options()), (std::vector<bool>{true, true, true, false, false}));
  EXPECT_EQ(bag::zip(flags, flags).count().compute(options()), 5u);
  EXPECT_EQ(flags.groupby([](bool b) { return b; }, 2).map([](const auto& g) { return g.second.size(); }).sum().compute(options()), 5u);
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(ElementWise);

// --- Copies along element-wise chains ----------------------------------------------------------------

// Partitions made by tasks (not constants), so the chain's first task may take them over.
Bag<Tracked> tracked_bag(int n, std::size_t npartitions) {
  auto make = dagflow::delayed(
      [](int first, int last) {
        std::vector<Tracked> v;
        for (int i = first; i < last; ++i) v.emplace_back(i);
        return v;
      },
      "make");
  std::vector<Delayed<std::vector<Tracked>>> parts;
  const int step = n / static_cast<int>(npartitions);
  for (std::size_t p = 0; p < npartitions; ++p) parts.push_back(make(static_cast<int>(p) * step, static_cast<int>(p + 1) * step));
  return bag::from_delayed(parts);
}

class Copies : public dagflow_test::SchedulerTest {};

TEST_P(Copies, MapFilterChainsMovePartitionsThrough) {
  DAGFLOW_SKIP_WHERE_RANKS_SHARE(options(), "copies");
  auto chain = tracked_bag(1000, 4)
                   .map([](Tracked t) { t.value *= 2; return t; })
                   .filter([](const Tracked& t) { return t.value % 3 != 0; })
                   .remove([](const Tracked& t) { return t.value % 5 == 0; })
                   .map([](Tracked t) { t.value += 1; return t; });
  Tracked::copies = 0;
  auto out = chain.compute(options());
  EXPECT_EQ(out.size(), 533u);
  EXPECT_EQ(Tracked::copies.load(), 0) << "no element may be copied along map -> filter -> remove -> map";
}

TEST_P(Copies, ConstantPartitionsAreCopiedOnceIntoTheFirstByValueStep) {
  DAGFLOW_SKIP_WHERE_RANKS_SHARE(options(), "copies");
  std::vector<Tracked> items;
  for (int i = 0; i < 100; ++i) items.emplace_back(i);
  auto chain = bag::from_sequence(std::move(items), {.npartitions = 4})
                   .map([](Tracked t) { t.value += 1; return t; })
                   .filter([](const Tracked& t) { return t.value % 2 == 0; });
  Tracked::copies = 0;
  EXPECT_EQ(chain.compute(options()).size(), 50u);
  EXPECT_EQ(Tracked::copies.load(), 100) << "the constants stay intact for the next compute: one copy each";
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(Copies);

// Sync-only: which of the two readers is last is known only for the sync scheduler's fixed order.
TEST(Copies, SharedPartitionIsCopiedOnlyForTheReaderThatIsNotLast) {
  auto source = tracked_bag(100, 2);
  auto doubled = source.map([](Tracked t) { t.value *= 2; return t; });
  auto halved = source.map([](Tracked t) { t.value /= 2; return t; });
  Tracked::copies = 0;
  // The sync scheduler makes "last reader" deterministic; the threads scheduler may run both at once.
  auto [a, b] = dagflow::compute(ComputeOptions{.scheduler = dagflow::Scheduler::sync},
                                 dagflow::gather(doubled.to_delayed()), dagflow::gather(halved.to_delayed()));
  EXPECT_EQ(a.size() + b.size(), 4u);
  EXPECT_EQ(Tracked::copies.load(), 100) << "each partition has two readers: one copies, the last one moves";
}

// --- compute, take, persist, pictures -----------------------------------------------------------------

class BagCompute : public dagflow_test::SchedulerTest {};

TEST_P(BagCompute, EmptyBagsOfEveryKind) {
  EXPECT_TRUE(Bag<int>().compute(options()).empty());
  EXPECT_EQ(Bag<int>().npartitions(), 0u);
  EXPECT_EQ(Bag<int>().map([](int x) { return x; }).npartitions(), 0u);
  EXPECT_EQ(Bag<int>().count().compute(options()), 0u);
  auto empty_parts = bag::from_sequence(std::vector<int>{}, {.npartitions = 4});
  EXPECT_TRUE(empty_parts.map([](int x) { return x + 1; }).filter([](int) { return true; }).compute(options()).empty());
}

TEST_P(BagCompute, ToDelayedGivesThePartitionPromises) {
  auto b = bag::from_sequence(iota(5), {.npartitions = 2}).map([](int x) { return x * 10; });
  std::vector<Delayed<std::vector<int>>> parts = b.to_delayed();
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[1].compute(options()), (std::vector<int>{30, 40}));
  EXPECT_EQ(dagflow::compute(parts, options()), (std::vector<std::vector<int>>{{0, 10, 20}, {30, 40}}));
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(BagCompute);

class Take : public dagflow_test::SchedulerTest {};

TEST_P(Take, ComputesOnlyTheLeadingPartitionsItNeeds) {
  DAGFLOW_SKIP_WHERE_RANKS_SHARE(options(), "task calls");
  std::atomic<int> calls{0};
  auto b = bag::from_sequence(iota(10), {.npartitions = 5}).map([&calls](int x) { ++calls; return x; });
  EXPECT_EQ(b.take(3, options()), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(calls.load(), 4) << "3 elements need partitions 0 and 1 (2 elements each), not the other three";
  calls = 0;
  EXPECT_EQ(b.take(2, options()), (std::vector<int>{0, 1}));
  EXPECT_EQ(calls.load(), 2);
  calls = 0;
  EXPECT_TRUE(b.take(0, options()).empty());
  EXPECT_EQ(calls.load(), 0);
  EXPECT_EQ(b.take(100, options()), iota(10)) << "asking for more than there is gives everything";
}

TEST_P(Take, SkipsEmptyLeadingPartitions) {
  auto b = bag::from_sequence(iota(10), {.npartitions = 5}).filter([](int x) { return x >= 7; });
  EXPECT_EQ(b.take(2, options()), (std::vector<int>{7, 8}));
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(Take);

class BagPersist : public dagflow_test::SchedulerTest {};

TEST_P(BagPersist, LaterGraphsDoNotRecompute) {
  DAGFLOW_SKIP_WHERE_RANKS_SHARE(options(), "task calls");
  std::atomic<int> calls{0};
  auto b = bag::from_sequence(iota(6), {.npartitions = 3}).map([&calls](int x) { ++calls; return x + 1; });
  auto kept = b.persist(options());
  EXPECT_EQ(calls.load(), 6);
  EXPECT_EQ(kept.npartitions(), 3u);
  EXPECT_EQ(kept.sum().compute(options()), 21);
  EXPECT_EQ(kept.compute(options()), (std::vector<int>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(calls.load(), 6);
  EXPECT_EQ(kept.to_delayed()[0].name(), "map");
  EXPECT_EQ(Bag<int>().persist(options()).npartitions(), 0u);
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(BagPersist);

TEST(Pictures, DotShowsEveryPartitionTask) {
  auto b = bag::from_sequence(mary(), {.npartitions = 2}).map(upper).filter(contains_a);
  const std::string dot = b.to_dot();
  EXPECT_NE(dot.find("digraph"), std::string::npos);
  EXPECT_NE(dot.find("map"), std::string::npos);
  EXPECT_NE(dot.find("filter"), std::string::npos);
  EXPECT_NE(dot.find(b.to_delayed()[1].key()), std::string::npos);
  const auto path = std::filesystem::temp_directory_path() / "dagflow_test_bag_graph.dot";
  b.visualize(path);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str().find("digraph"), 0u);
  std::filesystem::remove(path);
}

// --- Misuse is a compile-time error --------------------------------------------------------------------

struct TakesInt {
  int operator()(int x) const { return x; }
};
struct ReturnsString {
  std::string operator()(const std::string& s) const { return s; }
};
struct ReturnsVectorKey {
  std::vector<int> operator()(int x) const { return {x}; }
};
struct NotComparable {};

template <class T, class F>
concept can_map = requires(const Bag<T>& b, F f) { b.map(f); };
template <class T, class F>
concept can_filter = requires(const Bag<T>& b, F f) { b.filter(f); };
template <class T, class F>
concept can_groupby = requires(const Bag<T>& b, F f) { b.groupby(f); };
template <class T>
concept can_sum = requires(const Bag<T>& b) { b.sum(); };
template <class T>
concept can_mean = requires(const Bag<T>& b) { b.mean(); };
template <class T>
concept can_flatten = requires(const Bag<T>& b) { b.flatten(); };
template <class T>
concept can_topk = requires(const Bag<T>& b) { b.topk(3); };
template <class T>
concept can_frequencies = requires(const Bag<T>& b) { b.frequencies(); };
template <class T, std::size_t I>
concept can_pluck = requires(const Bag<T>& b) { b.template pluck<I>(); };

static_assert(can_map<int, TakesInt> && !can_map<std::string, TakesInt>, "map needs a function of the element");
static_assert(!can_filter<std::string, ReturnsString>, "filter needs a predicate");
static_assert(!can_groupby<int, ReturnsVectorKey>, "groupby needs a hashable key");
static_assert(can_sum<int> && can_sum<std::string> && !can_sum<std::vector<int>>, "sum needs a + b");
static_assert(can_mean<float> && !can_mean<std::string>, "mean needs numbers");
static_assert(can_flatten<std::vector<int>> && !can_flatten<int>, "flatten needs ranges");
static_assert(can_topk<int> && !can_topk<NotComparable>, "topk without a key needs ordered elements");
static_assert(!can_frequencies<NotComparable>, "frequencies needs hashable elements");
static_assert(can_pluck<std::pair<int, int>, 1> && !can_pluck<std::pair<int, int>, 2> && !can_pluck<int, 0>,
              "pluck<I> needs a tuple-like element with a member I");

// --- Partition counts too large to honour (reliability issue: a crash, not an error) ----------------

class PartitionCountLimits : public dagflow_test::SchedulerTest {};

// The UsageError's message, or "(nothing thrown)" / "(other exception)".
template <class F>
std::string usage_error_of(F&& action) {
  try {
    action();
  } catch (const UsageError& e) {
    return e.what();
  } catch (...) {
    return "(other exception)";
  }
  return "(nothing thrown)";
}

TEST_P(PartitionCountLimits, CountsBeyondWhatABagCanHoldAreUsageErrorsNamingTheOption) {
  // SIZE_MAX wrapped the `parts + 1` partition boundaries around to none, and filling them crashed.
  const std::size_t too_many[] = {SIZE_MAX, SIZE_MAX - 1, dagflow::detail::max_partitions() + 1};
  for (const std::size_t n : too_many) {
    const std::string from_sequence = usage_error_of([&] { bag::from_sequence(iota(3), {.npartitions = n}); });
    EXPECT_NE(from_sequence.find("bag::from_sequence: npartitions must be at most"), std::string::npos) << from_sequence;
    EXPECT_NE(from_sequence.find(std::to_string(n)), std::string::npos) << from_sequence;
    const std::string range = usage_error_of([&] { bag::range(10, n); });
    EXPECT_NE(range.find("bag::range: npartitions must be at most"), std::string::npos) << range;
    EXPECT_NE(usage_error_of([&] { bag::from_sequence(std::vector<int>{}, {.npartitions = n}); }), "(nothing thrown)");
    // repartition said std::length_error ("cannot create std::vector larger than max_size()").
    const std::string repartition = usage_error_of([&] { bag::range(10, 2).repartition(n); });
    EXPECT_NE(repartition.find("Bag::repartition: the number of partitions must be at most"), std::string::npos)
        << repartition;
    const std::string groupby = usage_error_of([&] { bag::range(10, 2).groupby([](std::int64_t x) { return x; }, n); });
    EXPECT_NE(groupby.find("Bag::groupby: npartitions must be at most"), std::string::npos) << groupby;
  }
  // Counts a bag can hold are honoured exactly, empty partitions and all.
  const auto many = bag::range(10, 1000);
  EXPECT_EQ(many.npartitions(), 1000u);
  std::vector<std::int64_t> expected(10);
  std::iota(expected.begin(), expected.end(), std::int64_t{0});
  EXPECT_EQ(many.compute(options()), expected);
  EXPECT_EQ(bag::from_sequence(iota(3), {.npartitions = 1000}).npartitions(), 1000u);
  EXPECT_EQ(bag::from_sequence(iota(3), {.npartitions = 1000}).compute(options()), iota(3));
}

TEST_P(PartitionCountLimits, HugePartitionSizeIsOnePartition) {
  EXPECT_EQ(partition_sizes(bag::from_sequence(iota(5), {.partition_size = SIZE_MAX}), options()),
            (std::vector<std::size_t>{5}));
  EXPECT_EQ(partition_sizes(bag::from_sequence(iota(5), {.partition_size = SIZE_MAX - 2}), options()),
            (std::vector<std::size_t>{5}));
  EXPECT_EQ(partition_sizes(bag::from_sequence(std::vector<int>{}, {.partition_size = SIZE_MAX}), options()),
            (std::vector<std::size_t>{0}));
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(PartitionCountLimits);

}  // namespace
