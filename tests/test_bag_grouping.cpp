// Bag grouping and restructuring: frequencies, foldby, groupby, distinct, topk, repartition, join,
// product; checked against plain single-threaded computations, for several partitionings and
// split_every, on every scheduler of support/schedulers.hpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <numeric>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "support/bag_support.hpp"
#include "support/schedulers.hpp"

namespace {

using dagflow::Bag;
using dagflow::ComputeOptions;
using dagflow::UsageError;
namespace bag = dagflow::bag;
using namespace bag_test;

const std::vector<std::string> text{"the", "cat", "sat", "on", "the", "mat", "the", "end", "cat", "a", "the"};

/// (element, count) pairs in order of first appearance, computed the plain way.
template <class T>
std::vector<std::pair<T, std::size_t>> plain_frequencies(const std::vector<T>& items) {
  std::vector<std::pair<T, std::size_t>> out;
  for (const auto& x : items) {
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& p) { return p.first == x; });
    if (it == out.end()) {
      out.emplace_back(x, 1);
    } else {
      ++it->second;
    }
  }
  return out;
}

// --- frequencies ------------------------------------------------------------------------------------

// param(): the number of partitions.
class Grouping : public dagflow_test::SchedulerTestWith<std::size_t> {
 protected:
  Bag<std::string> words() const { return bag::from_sequence(text, {.npartitions = param()}); }
  Bag<int> numbers() const { return bag::from_sequence(iota(200), {.npartitions = param()}); }
};

TEST_P(Grouping, FrequenciesInOrderOfFirstAppearance) {
  for (std::size_t split_every : {2u, 8u}) {
    auto counts = words().frequencies({.split_every = split_every});
    EXPECT_EQ(counts.npartitions(), 1u);
    EXPECT_EQ(counts.compute(options()), plain_frequencies(text)) << split_every;
  }
}

TEST_P(Grouping, TopWordsAreFrequenciesThenTopk) {
  auto top = words().frequencies().topk(2, [](const std::pair<std::string, std::size_t>& p) { return p.second; });
  EXPECT_EQ(top.compute(options()), (std::vector<std::pair<std::string, std::size_t>>{{"the", 4}, {"cat", 2}}));
}

TEST_P(Grouping, FoldbySumsPerKey) {
  auto key = [](int x) { return x % 7; };
  auto add = [](long long acc, int x) { return acc + x; };
  std::map<int, long long> expected;
  for (int x = 0; x < 200; ++x) expected[x % 7] += x;
  for (std::size_t split_every : {2u, 3u, 8u}) {
    auto sums = numbers().foldby(key, add, 0LL, [](long long a, long long b) { return a + b; }, 0LL, {.split_every = split_every});
    EXPECT_EQ(sums.npartitions(), 1u);
    auto got = sums.compute(options());
    ASSERT_EQ(got.size(), 7u);
    for (std::size_t k = 0; k < 7; ++k) {
      EXPECT_EQ(got[k].first, static_cast<int>(k)) << "keys in order of first appearance";
      EXPECT_EQ(got[k].second, expected[static_cast<int>(k)]);
    }
  }
}

TEST_P(Grouping, FoldbyWithSeparateCombineCountsPerKey) {
  // binop counts elements, combine adds counts: the usual "count by key" of the Dask docs.
  auto counts = words().foldby([](const std::string& w) { return w.size(); },
                               [](std::size_t n, const std::string&) { return n + 1; }, std::size_t{0},
                               [](std::size_t a, std::size_t b) { return a + b; });
  EXPECT_EQ(counts.compute(options()), (std::vector<std::pair<std::size_t, std::size_t>>{{3, 9}, {2, 1}, {1, 1}}));
}

TEST_P(Grouping, FoldbyKeepsBagOrderWithinAGroup) {
  auto joined = words().foldby([](const std::string& w) { return w.front(); },
                               [](std::string acc, const std::string& w) { return acc + w + " "; }, std::string(),
                               [](std::string a, const std::string& b) { return a + b; }, std::string(), {.split_every = 2});
  auto got = joined.compute(options());
  ASSERT_EQ(got.front().first, 't');
  EXPECT_EQ(got.front().second, "the the the the ");
  EXPECT_EQ(got[1], (std::pair<char, std::string>{'c', "cat cat "}));
}

TEST_P(Grouping, GroupbyShufflesEveryElementToItsKeysPartition) {
  for (std::size_t n : {1u, 3u, 5u}) {
    auto groups = words().groupby([](const std::string& w) { return w; }, n);
    EXPECT_EQ(groups.npartitions(), n);
    std::map<std::string, std::vector<std::string>> seen;
    for (const auto& part : groups.to_delayed()) {
      for (auto& [key, members] : part.compute(options())) {
        EXPECT_FALSE(seen.count(key)) << key << " is in two partitions";
        seen[key] = members;
      }
    }
    std::map<std::string, std::vector<std::string>> expected;
    for (const auto& w : text) expected[w].push_back(w);
    EXPECT_EQ(seen, expected);
  }
}

TEST_P(Grouping, GroupbyKeepsBagOrderWithinGroupsAndAgreesWithFoldby) {
  auto groups = numbers().groupby([](int x) { return x % 5; });
  EXPECT_EQ(groups.npartitions(), std::max<std::size_t>(1, param()));
  auto summed = groups.map([](const std::pair<int, std::vector<int>>& g) {
    EXPECT_TRUE(std::is_sorted(g.second.begin(), g.second.end()));
    return std::pair<int, long long>(g.first, std::accumulate(g.second.begin(), g.second.end(), 0LL));
  });
  auto folded = numbers().foldby([](int x) { return x % 5; }, [](long long a, int x) { return a + x; }, 0LL);
  auto a = summed.compute(options());
  auto b = folded.compute(options());
  std::sort(a.begin(), a.end());
  EXPECT_EQ(a, b);
}

TEST_P(Grouping, DistinctInOrderOfFirstAppearance) {
  EXPECT_EQ(words().distinct().compute(options()),
            (std::vector<std::string>{"the", "cat", "sat", "on", "mat", "end", "a"}));
  EXPECT_EQ(words().distinct({.split_every = 2}).npartitions(), 1u);
  EXPECT_EQ(words().distinct([](const std::string& w) { return w.size(); }).compute(options()),
            (std::vector<std::string>{"the", "on", "a"}));
}

TEST_P(Grouping, TopkLargestFirstWithTiesInBagOrder) {
  EXPECT_EQ(numbers().topk(3).compute(options()), (std::vector<int>{199, 198, 197}));
  EXPECT_EQ(numbers().topk(3, [](int x) { return -x; }).compute(options()), (std::vector<int>{0, 1, 2}));
  // Keys 0..9 repeat every 10 elements: the ties for the largest key (9) are 9, 19, 29, ... in order.
  EXPECT_EQ(numbers().topk(4, [](int x) { return x % 10; }, {.split_every = 2}).compute(options()),
            (std::vector<int>{9, 19, 29, 39}));
  EXPECT_EQ(numbers().topk(500).compute(options()).size(), 200u);
  EXPECT_TRUE(numbers().topk(0).compute(options()).empty());
}

// 1 partition, a few, more than split_every, one element per partition for the words, and more
// partitions than words.
DAGFLOW_TEST_ON_EVERY_SCHEDULER_WITH(Grouping, ::testing::Values(1, 3, 11, 20));

class GroupingSpecialCases : public dagflow_test::SchedulerTest {};

TEST_P(GroupingSpecialCases, GroupbySpreadsKeysThatAreMultiplesOfThePartitionCount) {
  // std::hash of an int is the int: without mixing, every multiple of 4 would land in partition 0.
  auto b = bag::from_sequence(iota(400), {.npartitions = 4}).filter([](int x) { return x % 4 == 0; });
  auto groups = b.groupby([](int x) { return x; }, 4);
  std::size_t busiest = 0;
  for (const auto& part : groups.to_delayed()) busiest = std::max(busiest, part.compute(options()).size());
  EXPECT_LT(busiest, 60u) << "100 keys over 4 partitions";
}

TEST(GroupingSpecialCases, GroupbyRefusesZeroPartitions) {
  EXPECT_THROW(bag::from_sequence(iota(3)).groupby([](int x) { return x; }, 0), UsageError);
}

TEST_P(GroupingSpecialCases, EmptyBagsGiveNoGroups) {
  const auto empty = bag::from_sequence(std::vector<int>{}, {.npartitions = 2});
  EXPECT_TRUE(empty.frequencies().compute(options()).empty());
  EXPECT_TRUE(empty.distinct().compute(options()).empty());
  EXPECT_TRUE(empty.topk(3).compute(options()).empty());
  EXPECT_TRUE(empty.groupby([](int x) { return x; }).compute(options()).empty());
  EXPECT_TRUE(empty.foldby([](int x) { return x; }, [](int a, int x) { return a + x; }, 0).compute(options()).empty());
  EXPECT_TRUE(Bag<int>().frequencies().compute(options()).empty());
  EXPECT_EQ(Bag<int>().groupby([](int x) { return x; }).npartitions(), 1u);
}

TEST_P(GroupingSpecialCases, FrequenciesOfBools) {
  auto flags = bag::from_sequence(std::vector<std::string>{"mary", "had", "a", "little", "lamb"}, {.npartitions = 2})
                   .map([](const std::string& w) { return w.find('a') != std::string::npos; });
  EXPECT_EQ(flags.frequencies().compute(options()), (std::vector<std::pair<bool, std::size_t>>{{true, 4}, {false, 1}}));
}

TEST_P(GroupingSpecialCases, FrequenciesTasksAreNamed) {
  DAGFLOW_SKIP_WHERE_RANKS_SHARE(options(), "task calls");
  TaskCounter counter;
  bag::from_sequence(text, {.npartitions = 10}).frequencies({.split_every = 4}).compute(options(&counter));
  EXPECT_EQ(counter.count("frequencies-partition"), 10);
  EXPECT_EQ(counter.count("frequencies-aggregate"), 4) << "10 partials in groups of 4 (3 tasks), then the final one";
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(GroupingSpecialCases);

// --- groupby as a staged shuffle ----------------------------------------------------------------------

using Groups = std::vector<std::pair<int, std::vector<int>>>;

/// What groupby(key, n) must give, computed the plain way: output partition b holds the keys k with
/// bucket_of(k, n) == b in order of first appearance, each with its elements in bag order.
std::vector<Groups> plain_groupby(const std::vector<int>& items, int (*key)(int), std::size_t n) {
  std::vector<Groups> parts(n);
  std::vector<std::map<int, std::size_t>> where(n);  // key -> index of its group in parts[b]
  for (int x : items) {
    const int k = key(x);
    const std::size_t b = dagflow::detail::bucket_of(k, n);
    auto [it, added] = where[b].try_emplace(k, parts[b].size());
    if (added) parts[b].emplace_back(k, std::vector<int>{});
    parts[b][it->second].second.push_back(x);
  }
  return parts;
}

/// The number of dependencies in a graph drawn task by task: one " -> " line each.
std::size_t edge_count(const std::string& dot) {
  std::size_t edges = 0;
  for (std::size_t at = dot.find(" -> "); at != std::string::npos; at = dot.find(" -> ", at + 1)) ++edges;
  return edges;
}

/// A groupby to check: `elements` integers in `inputs` partitions into `outputs` partitions, tasks
/// merging at most `max_branch` pieces.
struct ShuffleCase {
  int elements;
  std::size_t inputs, outputs, max_branch;
};

void PrintTo(const ShuffleCase& c, std::ostream* out) {
  *out << c.elements << "_into_" << c.inputs << "_to_" << c.outputs << "_branch_" << c.max_branch;
}

class StagedGroupby : public dagflow_test::SchedulerTestWith<ShuffleCase> {};

// Keys scattered over the bag (x * 7 % 23), so that every group gathers elements from many partitions.
int scattered_key(int x) { return x * 7 % 23; }
// Thousands of keys, each of a few elements from far apart in the bag.
int many_keys(int x) { return x * 7 % 4999; }

TEST_P(StagedGroupby, EqualsThePlainGroupingInOrder) {
  const auto& c = param();
  const auto items = iota(c.elements);
  auto groups = bag::from_sequence(items, {.npartitions = c.inputs}).groupby(scattered_key, c.outputs, c.max_branch);
  ASSERT_EQ(groups.npartitions(), c.outputs);
  EXPECT_EQ(dagflow::compute(groups.to_delayed(), options()), plain_groupby(items, scattered_key, c.outputs));
}

// Staged with 2 to 6 stages (P = n, P > n, P < n, more partitions than elements), and the one-stage
// shuffle for n = 1, P = 1 and the default max_branch.
DAGFLOW_TEST_ON_EVERY_SCHEDULER_WITH(StagedGroupby,
                                     ::testing::Values(ShuffleCase{300, 20, 20, 2}, ShuffleCase{300, 20, 20, 3},
                                                       ShuffleCase{300, 40, 7, 3}, ShuffleCase{300, 7, 40, 2},
                                                       ShuffleCase{50, 20, 100, 3}, ShuffleCase{1000, 100, 60, 4},
                                                       ShuffleCase{300, 30, 1, 2}, ShuffleCase{300, 1, 30, 2},
                                                       ShuffleCase{300, 20, 20, 32}));

class StagedGroupbySpecialCases : public dagflow_test::SchedulerTest {};

TEST_P(StagedGroupbySpecialCases, StagesOnlyWhenInputsAndOutputsBothExceedMaxBranch) {
  DAGFLOW_SKIP_WHERE_RANKS_SHARE(options(), "task calls");
  const auto b = bag::from_sequence(iota(100), {.npartitions = 20});
  auto key = [](int x) { return x % 9; };
  for (std::size_t max_branch : {2u, 3u, 19u, 20u, 32u}) {
    TaskCounter counter;
    b.groupby(key, 20, max_branch).compute(options(&counter));
    EXPECT_EQ(counter.count("groupby-split"), 20) << max_branch;
    EXPECT_EQ(counter.count("groupby-collect"), 20) << max_branch;
    // Staged only when 20 > max_branch: 5 stages of base 2, 3 of base 3, 2 of base 5 (for 19), with
    // stages - 1 layers of groupby-stage tasks between the split and the collect.
    EXPECT_EQ(counter.count("groupby-stage") > 0, max_branch < 20) << max_branch;
  }
}

TEST_P(StagedGroupbySpecialCases, ElementsAreMovedNotCopied) {
  DAGFLOW_SKIP_WHERE_RANKS_SHARE(options(), "copies");
  auto make = dagflow::delayed(
      [](int first) {
        std::vector<Tracked> v;
        for (int i = first; i < first + 10; ++i) v.emplace_back(i);
        return v;
      },
      "make");
  std::vector<dagflow::Delayed<std::vector<Tracked>>> parts;
  for (int p = 0; p < 12; ++p) parts.push_back(make(10 * p));
  auto groups = bag::from_delayed(parts).groupby([](const Tracked& t) { return t.value % 13; }, 10, 2);
  Tracked::copies = 0;
  auto got = groups.compute(options());
  EXPECT_EQ(Tracked::copies.load(), 0);
  ASSERT_EQ(got.size(), 13u);
  std::size_t members = 0;
  for (const auto& group : got) {
    members += group.second.size();
    for (std::size_t i = 1; i < group.second.size(); ++i) EXPECT_LT(group.second[i - 1].value, group.second[i].value);
  }
  EXPECT_EQ(members, 120u);
}

TEST_P(StagedGroupbySpecialCases, EmptyPartitionsAndAnEmptyBag) {
  const auto empty = bag::from_sequence(std::vector<int>{}, {.npartitions = 10});
  auto groups = empty.groupby([](int x) { return x; }, 9, 2);
  EXPECT_EQ(groups.npartitions(), 9u);
  EXPECT_TRUE(groups.compute(options()).empty());
  const auto few = bag::from_sequence(iota(3), {.npartitions = 10});
  EXPECT_EQ(dagflow::compute(few.groupby(scattered_key, 9, 2).to_delayed(), options()),
            plain_groupby(iota(3), scattered_key, 9));
}

TEST(StagedGroupbyErrors, MaxBranchBelowTwoIsRefused) {
  const auto b = bag::from_sequence(iota(10), {.npartitions = 5});
  EXPECT_THROW(b.groupby([](int x) { return x; }, 5, 1), UsageError);
  EXPECT_THROW(b.groupby([](int x) { return x; }, 5, 0), UsageError);
  EXPECT_NO_THROW(b.groupby([](int x) { return x; }, 5, 2));
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(StagedGroupbySpecialCases);

// Once, on the default scheduler: big enough to show the edge count (a one-stage shuffle would have
// 2000 x 2000 = 4 million edges), too slow to repeat on every scheduler under the sanitizers.
TEST(StagedGroupbyLarge, ThousandsOfPartitionsHaveFewEdges) {
  const auto items = iota(20000);
  auto groups = bag::from_sequence(items, {.npartitions = 2000}).groupby(many_keys, 2000);
  // max_branch 32: 3 stages of base 13 (2197 slots); each task reads at most 13 pieces.
  const std::size_t edges = edge_count(groups.to_dot({.max_nodes = 0}));
  EXPECT_GT(edges, 2000u * 2);
  EXPECT_LT(edges, 2000u + 3 * 13 * 2197);
  EXPECT_EQ(dagflow::compute(groups.to_delayed()), plain_groupby(items, many_keys, 2000));
}

// --- repartition ---------------------------------------------------------------------------------------

std::vector<std::size_t> sizes_of(const Bag<int>& b, const ComputeOptions& options) {
  std::vector<std::size_t> sizes;
  for (const auto& part : b.to_delayed()) sizes.push_back(part.compute(options).size());
  return sizes;
}

class Repartition : public dagflow_test::SchedulerTest {};

TEST_P(Repartition, FewerPartitionsConcatenateNeighbours) {
  auto b = bag::from_sequence(iota(10), {.npartitions = 5});
  auto fewer = b.repartition(2);
  EXPECT_EQ(fewer.npartitions(), 2u);
  EXPECT_EQ(sizes_of(fewer, options()), (std::vector<std::size_t>{4, 6}));
  EXPECT_EQ(fewer.compute(options()), iota(10));
  EXPECT_EQ(b.repartition(1).compute(options()), iota(10));
}

TEST_P(Repartition, MorePartitionsCutPartitionsIntoPieces) {
  auto b = bag::from_sequence(iota(10), {.npartitions = 2});
  auto more = b.repartition(5);
  EXPECT_EQ(more.npartitions(), 5u);
  EXPECT_EQ(sizes_of(more, options()), (std::vector<std::size_t>{2, 2, 1, 3, 2}));
  EXPECT_EQ(more.compute(options()), iota(10));
  EXPECT_EQ(bag::from_sequence(iota(3), {.npartitions = 1}).repartition(6).compute(options()), iota(3));
}

TEST_P(Repartition, SameCountIsTheSameBagAndZeroIsRefused) {
  auto b = bag::from_sequence(iota(10), {.npartitions = 3});
  EXPECT_EQ(b.repartition(3).to_delayed()[1].key(), b.to_delayed()[1].key());
  EXPECT_THROW(b.repartition(0), UsageError);
  EXPECT_EQ(Bag<int>().repartition(3).npartitions(), 3u);
  EXPECT_TRUE(Bag<int>().repartition(3).compute(options()).empty());
}

TEST_P(Repartition, PiecesAreMovedNotCopied) {
  DAGFLOW_SKIP_WHERE_RANKS_SHARE(options(), "copies");
  auto make = dagflow::delayed(
      [](int n) {
        std::vector<Tracked> v;
        for (int i = 0; i < n; ++i) v.emplace_back(i);
        return v;
      },
      "make");
  auto b = bag::from_delayed(std::vector<dagflow::Delayed<std::vector<Tracked>>>{make(10), make(10)});
  Tracked::copies = 0;
  EXPECT_EQ(b.repartition(7).compute(options()).size(), 20u);
  EXPECT_EQ(b.repartition(1).compute(options()).size(), 20u);
  EXPECT_EQ(Tracked::copies.load(), 0);
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(Repartition);

// --- join, product ------------------------------------------------------------------------------------

class Join : public dagflow_test::SchedulerTest {};

TEST_P(Join, PairsEveryElementWithItsMatches) {
  auto people = bag::from_sequence(std::vector<std::string>{"Alice", "Bob", "Charlie", "Dave"}, {.npartitions = 3});
  auto fruit = bag::from_sequence(std::vector<std::string>{"Apple", "Apricot", "Banana", "Cherry"}, {.npartitions = 2});
  auto initial = [](const std::string& s) { return s.front(); };
  using Pair = std::pair<std::string, std::string>;
  const std::vector<Pair> expected{{"Alice", "Apple"}, {"Alice", "Apricot"}, {"Bob", "Banana"}, {"Charlie", "Cherry"}};
  auto joined = people.join(fruit, initial);
  EXPECT_EQ(joined.npartitions(), 3u);
  EXPECT_EQ(joined.compute(options()), expected);
  EXPECT_EQ(people.join(std::vector<std::string>{"Apple", "Apricot", "Banana", "Cherry"}, initial, initial).compute(options()),
            expected);
}

TEST_P(Join, DifferentElementTypesWithTheirOwnKeys) {
  auto ids = bag::range(6, 2);
  auto names = bag::from_sequence(std::vector<std::pair<std::int64_t, std::string>>{{4, "four"}, {1, "one"}, {9, "nine"}, {4, "FOUR"}});
  auto joined = ids.join(names, [](std::int64_t x) { return x; }, [](const auto& p) { return p.first; });
  auto got = joined.compute(options());
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].first, 1);
  EXPECT_EQ(got[0].second.second, "one");
  EXPECT_EQ(got[1].second.second, "four");
  EXPECT_EQ(got[2].second.second, "FOUR");
  EXPECT_TRUE(ids.join(names, [](std::int64_t) { return std::int64_t{-1}; }, [](const auto& p) { return p.first; }).compute(options()).empty());
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(Join);

class Product : public dagflow_test::SchedulerTest {};

TEST_P(Product, EveryPairPartitionByPartition) {
  auto a = bag::from_sequence(std::vector<int>{1, 2, 3}, {.npartitions = 2});
  auto b = bag::from_sequence(std::vector<char>{'x', 'y'}, {.npartitions = 2});
  auto p = a.product(b);
  EXPECT_EQ(p.npartitions(), 4u);
  EXPECT_EQ(p.compute(options()),
            (std::vector<std::pair<int, char>>{{1, 'x'}, {2, 'x'}, {1, 'y'}, {2, 'y'}, {3, 'x'}, {3, 'y'}}));
  EXPECT_EQ(p.count().compute(options()), 6u);
  EXPECT_TRUE(a.product(Bag<char>()).compute(options()).empty());
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(Product);

// --- All together --------------------------------------------------------------------------------------

class WordCountPipeline : public dagflow_test::SchedulerTest {};

TEST_P(WordCountPipeline, GivesTheSameTopWordsForEveryPartitioning) {
  std::vector<std::string> lines;
  for (int i = 0; i < 300; ++i) {
    // Appended piece by piece: GCC 12 warns wrongly (-Wrestrict) about "w" + std::string at -O3.
    std::string line = "w";
    line += std::to_string(i % 17);
    line += " w";
    line += std::to_string(i % 5);
    line += " x";
    lines.push_back(std::move(line));
  }
  auto pipeline = [&](std::size_t npartitions) {
    return bag::from_sequence(lines, {.npartitions = npartitions})
        .map([](const std::string& line) {
          std::vector<std::string> words;
          std::size_t start = 0;
          while (start < line.size()) {
            const std::size_t end = std::min(line.find(' ', start), line.size());
            words.push_back(line.substr(start, end - start));
            start = end + 1;
          }
          return words;
        })
        .flatten()
        .frequencies({.split_every = 3})
        .topk(5, [](const auto& p) { return p.second; });
  };
  // The reference is one partition on the sync scheduler: no tree, no concurrency.
  const auto reference = pipeline(1).compute(ComputeOptions{.scheduler = dagflow::Scheduler::sync});
  ASSERT_EQ(reference.front(), (std::pair<std::string, std::size_t>{"x", 300}));
  for (std::size_t n : {1u, 2u, 7u, 40u}) EXPECT_EQ(pipeline(n).compute(options()), reference) << n;
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(WordCountPipeline);

}  // namespace
