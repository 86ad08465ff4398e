// What only the MPI scheduler shows: results equal to Scheduler::sync on every rank, sources dealt out
// to ranks, a chain that crosses ranks at every step, a failure on one rank reported the same way
// everywhere, ranks that build different graphs, types that cannot travel, compute_at, and values
// larger than one message. Runs under mpiexec -n 1, 2 and 4 (tests/mpi/CMakeLists.txt).
#include <gtest/gtest.h>
#include <mpi.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <map>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include <dagflow/dagflow.hpp>
#include <dagflow/mpi.hpp>

namespace {

using dagflow::ComputeOptions;
using dagflow::Delayed;
using dagflow::Placement;
using dagflow::Scheduler;

const ComputeOptions mpi{.scheduler = Scheduler::mpi, .workers = 1};
const ComputeOptions mpi_cyclic{.scheduler = Scheduler::mpi, .workers = 2, .placement = Placement::cyclic};
const ComputeOptions sync{.scheduler = Scheduler::sync};

// Counts the calls made in this process (each rank counts its own).
std::atomic<int> calls_here{0};

TEST(MpiSession, RankAndSize) {
  EXPECT_GE(dagflow::mpi::size(), 1);
  EXPECT_GE(dagflow::mpi::rank(), 0);
  EXPECT_LT(dagflow::mpi::rank(), dagflow::mpi::size());
  EXPECT_TRUE(dagflow::mpi::active());
  EXPECT_THROW(dagflow::mpi::Session another, dagflow::UsageError);
}

TEST(MpiCompute, DiamondOnEveryRank) {
  auto inc = dagflow::delayed([](int x) { return x + 1; }, "inc");
  auto add = dagflow::delayed([](int a, int b) { return a + b; }, "add");
  auto a = inc(1);
  auto total = add(inc(a), add(a, inc(10)));
  EXPECT_EQ(total.compute(mpi), 3 + 2 + 11);
  EXPECT_EQ(total.compute(mpi_cyclic), 16);
  EXPECT_EQ(dagflow::compute(mpi, a, total), std::make_tuple(2, 16));
}

TEST(MpiCompute, SourcesAreDealtToEveryRankAndEachTaskRunsOnce) {
  calls_here = 0;
  auto square = dagflow::delayed(
      [](int x) {
        ++calls_here;
        return static_cast<std::int64_t>(x) * x;
      },
      "square");
  auto sum = dagflow::delayed([](std::vector<std::int64_t> xs) { return std::accumulate(xs.begin(), xs.end(), std::int64_t{0}); }, "sum");
  std::vector<Delayed<std::int64_t>> squares;
  for (int i = 0; i < 1000; ++i) squares.push_back(square(i));
  for (const auto& options : {mpi, mpi_cyclic}) {
    calls_here = 0;
    EXPECT_EQ(sum(squares).compute(options), 332833500);
    // Every rank ran its share (1000 / ranks), and the shares add up to each task once.
    int total_calls = 0;
    int mine = calls_here.load();
    MPI_Allreduce(&mine, &total_calls, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    EXPECT_EQ(total_calls, 1000);
    EXPECT_NEAR(mine, 1000 / dagflow::mpi::size(), 1);
  }
}

// step_i = step_{i-1} * 3 + source_i, with source_i dealt cyclically: the step follows its first input
// (the source) to the source's rank, so every step crosses to the next rank.
TEST(MpiCompute, ChainThatCrossesRanksAtEveryStep) {
  auto source = dagflow::delayed([](int i) { return static_cast<std::uint64_t>(i); }, "source");
  auto step = dagflow::delayed([](std::uint64_t s, std::uint64_t previous) { return previous * 3 + s; }, "step");
  Delayed<std::uint64_t> chain = dagflow::value(std::uint64_t{1});
  for (int i = 0; i < 500; ++i) chain = step(source(i), chain);
  EXPECT_EQ(chain.compute(mpi_cyclic), chain.compute(sync));
  EXPECT_EQ(chain.compute(mpi), chain.compute(sync));
}

// Random DAGs of integer tasks (the same on every rank: the seed is fixed) against the sync scheduler.
TEST(MpiCompute, RandomDagsEqualSync) {
  auto source = dagflow::delayed([](std::uint64_t seed) -> std::uint64_t { return seed * 2654435761ULL % 1000003; }, "source");
  auto combine = dagflow::delayed(
      [](std::vector<std::uint64_t> inputs, std::uint64_t salt) {
        std::uint64_t h = salt;
        for (std::uint64_t x : inputs) h = (h * 31 + x) % 1000000007ULL;
        return h;
      },
      "combine");
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 random(seed);
    std::vector<Delayed<std::uint64_t>> nodes;
    const int sources = 1 + static_cast<int>(random() % 40);
    for (int i = 0; i < sources; ++i) nodes.push_back(source(random() % 1000));
    const int inner = static_cast<int>(random() % 300);
    for (int i = 0; i < inner; ++i) {
      std::vector<Delayed<std::uint64_t>> inputs;
      const int fan_in = 1 + static_cast<int>(random() % 4);
      for (int k = 0; k < fan_in; ++k) inputs.push_back(nodes[random() % nodes.size()]);
      nodes.push_back(combine(inputs, random() % 97));
    }
    std::vector<Delayed<std::uint64_t>> outputs;
    for (int k = 0; k < 3; ++k) outputs.push_back(nodes[random() % nodes.size()]);
    const auto expected = dagflow::compute(outputs, sync);
    EXPECT_EQ(dagflow::compute(outputs, mpi), expected) << "seed " << seed;
    EXPECT_EQ(dagflow::compute(outputs, mpi_cyclic), expected) << "seed " << seed;
  }
}

TEST(MpiCompute, StandardContainersTravel) {
  auto make = dagflow::delayed(
      [](int i) {
        std::map<std::string, std::vector<std::tuple<int, double, std::string>>> m;
        m["k" + std::to_string(i)].emplace_back(i, i * 0.5, std::string(static_cast<std::size_t>(i) * 3, 'x'));
        return m;
      },
      "make");
  auto merge = dagflow::delayed(
      [](std::vector<std::map<std::string, std::vector<std::tuple<int, double, std::string>>>> parts) {
        std::map<std::string, std::vector<std::tuple<int, double, std::string>>> all;
        for (auto& part : parts) all.merge(part);
        return all;
      },
      "merge");
  std::vector<Delayed<std::map<std::string, std::vector<std::tuple<int, double, std::string>>>>> parts;
  for (int i = 0; i < 40; ++i) parts.push_back(make(i));
  const auto expected = merge(parts).compute(sync);
  EXPECT_EQ(merge(parts).compute(mpi), expected);
  EXPECT_EQ(expected.size(), 40U);
}

// A user type that travels through its own cereal serialize().
struct Point {
  double x = 0;
  double y = 0;
  std::string label;
  template <class Archive>
  void serialize(Archive& archive) {
    archive(x, y, label);
  }
  bool operator==(const Point&) const = default;
};

TEST(MpiCompute, UserTypeWithSerializeTravels) {
  static_assert(dagflow::detail::serializable<Point>);
  auto make = dagflow::delayed([](int i) { return Point{i * 1.0, i * 2.0, "p" + std::to_string(i)}; }, "make");
  auto far = dagflow::delayed(
      [](std::vector<Point> points) {
        return *std::max_element(points.begin(), points.end(), [](const Point& a, const Point& b) { return a.x < b.x; });
      },
      "far");
  std::vector<Delayed<Point>> points;
  for (int i = 0; i < 16; ++i) points.push_back(make(i));
  EXPECT_EQ(far(points).compute(mpi_cyclic), (Point{15, 30, "p15"}));
}

// A type without serialize(): its producer and readers stay on one rank, and the result is still right.
struct Opaque {
  std::vector<int> values;
};

TEST(MpiCompute, TypesThatCannotTravelStayWithTheirReaders) {
  static_assert(!dagflow::detail::serializable<Opaque>);
  auto make = dagflow::delayed([](int i) { return Opaque{{i, i + 1}}; }, "make");
  auto total = dagflow::delayed([](const Opaque& o) { return o.values[0] + o.values[1]; }, "total");
  auto add = dagflow::delayed([](std::vector<int> xs) { return std::accumulate(xs.begin(), xs.end(), 0); }, "add");
  std::vector<Delayed<int>> totals;
  for (int i = 0; i < 20; ++i) totals.push_back(total(make(i)));
  EXPECT_EQ(add(totals).compute(mpi_cyclic), 400);
}

TEST(MpiCompute, AnOutputThatCannotTravelIsAUsageErrorUnlessComputedAtOneRank) {
  auto make = dagflow::delayed([](int i) { return Opaque{{i}}; }, "make");
  auto opaque = make(7);
  if (dagflow::mpi::size() > 1) {
    try {
      opaque.compute(mpi);
      ADD_FAILURE() << "expected a UsageError";
    } catch (const dagflow::UsageError& e) {
      EXPECT_NE(std::string(e.what()).find("cannot be sent"), std::string::npos) << e.what();
    }
  }
  const int root = dagflow::mpi::size() - 1;
  const auto at_root = dagflow::mpi::compute_at(root, opaque);
  EXPECT_EQ(at_root.has_value(), dagflow::mpi::rank() == root);
  if (at_root) {
    EXPECT_EQ(at_root->values, std::vector<int>{7});
  }
}

TEST(MpiComputeAt, TheValueIsOnTheRootOnly) {
  auto part = dagflow::delayed([](int i) { return std::vector<int>(100, i); }, "part");
  auto join = dagflow::delayed(
      [](std::vector<std::vector<int>> parts) {
        std::vector<int> all;
        for (auto& p : parts) all.insert(all.end(), p.begin(), p.end());
        return all;
      },
      "join");
  std::vector<Delayed<std::vector<int>>> parts;
  for (int i = 0; i < 10; ++i) parts.push_back(part(i));
  const auto expected = join(parts).compute(sync);
  for (int root = 0; root < dagflow::mpi::size(); ++root) {
    const auto result = dagflow::mpi::compute_at(root, join(parts), mpi);
    EXPECT_EQ(result.has_value(), dagflow::mpi::rank() == root);
    if (result) {
      EXPECT_EQ(*result, expected);
    }
  }
  EXPECT_THROW(dagflow::mpi::compute_at(dagflow::mpi::size(), join(parts)), dagflow::UsageError);
}

TEST(MpiComputeAt, BagOnTheRootOnly) {
  auto bag = dagflow::bag::range(1000, 7).map([](std::int64_t x) { return x * x; });
  const auto result = dagflow::mpi::compute_at(0, bag, mpi_cyclic);
  EXPECT_EQ(result.has_value(), dagflow::mpi::rank() == 0);
  if (result) {
    EXPECT_EQ(*result, bag.compute(sync));
  }
}

// Values of megabytes travel in many messages (the tests' main sets the limit to 4 KiB).
TEST(MpiCompute, LargeValuesTravelInPieces) {
  auto big = dagflow::delayed(
      [](int i) {
        std::vector<std::uint64_t> v(300000);
        std::iota(v.begin(), v.end(), static_cast<std::uint64_t>(i));
        return v;
      },
      "big");
  auto sum = dagflow::delayed(
      [](std::vector<std::vector<std::uint64_t>> vs) {
        std::uint64_t s = 0;
        for (const auto& v : vs) s = std::accumulate(v.begin(), v.end(), s);
        return s;
      },
      "sum");
  std::vector<Delayed<std::vector<std::uint64_t>>> parts;
  for (int i = 0; i < 6; ++i) parts.push_back(big(i));
  EXPECT_EQ(sum(parts).compute(mpi_cyclic), sum(parts).compute(sync));
  EXPECT_EQ(big(3).compute(mpi), big(3).compute(sync));  // an output, broadcast in pieces
}

// dagflow's own partial results (mean's and var's sums, the ordered maps of frequencies, foldby and
// distinct) travel, so a Bag reduction's per-partition work runs on every rank, where the partitions are.
class PartitionTasksHere : public dagflow::Callback {
 public:
  explicit PartitionTasksHere(std::string name) : name_(std::move(name)) {}
  void on_task_start(const dagflow::TaskInfo& task) noexcept override {
    if (task.name() == name_) ++count_;
  }
  int count() const { return count_.load(); }

 private:
  std::string name_;
  std::atomic<int> count_{0};
};

TEST(MpiBag, ReductionPartialsAreComputedOnEveryRankAndTravel) {
  const auto bag = dagflow::bag::range(8000, 8).map([](std::int64_t x) { return x % 97; });
  const auto check = [&](const std::string& name, auto reduce) {
    PartitionTasksHere counter(name + "-partition");
    ComputeOptions options = mpi;
    options.callback = &counter;
    EXPECT_EQ(reduce(bag).compute(options), reduce(bag).compute(sync)) << name;
    int fewest = counter.count();
    int total = counter.count();
    MPI_Allreduce(MPI_IN_PLACE, &fewest, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    MPI_Allreduce(MPI_IN_PLACE, &total, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    EXPECT_EQ(total, 8) << name;
    EXPECT_GE(fewest, 8 / dagflow::mpi::size() - 1) << name << ": a rank ran none of the partitions' partials";
  };
  check("frequencies", [](const auto& b) { return b.frequencies(); });
  check("distinct", [](const auto& b) { return b.distinct(); });
  check("mean", [](const auto& b) { return b.mean(); });
  check("var", [](const auto& b) { return b.var(); });
  check("foldby", [](const auto& b) {
    return b.foldby([](std::int64_t x) { return x % 5; }, std::plus<>{}, std::int64_t{0});
  });
}

// --- Failures ---------------------------------------------------------------------------------------------

TEST(MpiFailures, ATaskThrowingOnOneRankIsTheSameTaskErrorOnEveryRank) {
  auto check = dagflow::delayed(
      [](int i) {
        if (i == 37) throw std::invalid_argument("bad input " + std::to_string(i));
        return i;
      },
      "check");
  auto add = dagflow::delayed([](std::vector<int> xs) { return std::accumulate(xs.begin(), xs.end(), 0); }, "add");
  std::vector<Delayed<int>> checked;
  for (int i = 0; i < 40; ++i) checked.push_back(check(i));
  const Delayed<int> total = add(checked);
  // Block placement on R ranks puts check(37) (the 38th source of 40) on the last rank.
  const int failing_rank = dagflow::mpi::size() - 1;
  for (int round = 0; round < 2; ++round) {
    try {
      total.compute(mpi);
      ADD_FAILURE() << "expected a TaskError";
    } catch (const dagflow::TaskError& e) {
      EXPECT_EQ(e.key(), checked[37].key());
      EXPECT_NE(std::string(e.what()).find("bad input 37"), std::string::npos) << e.what();
      if (dagflow::mpi::rank() == failing_rank) {
        EXPECT_THROW(e.rethrow_original(), std::invalid_argument);
      } else {
        try {
          e.rethrow_original();
        } catch (const dagflow::RemoteTaskError& remote) {
          EXPECT_EQ(remote.rank(), failing_rank);
          EXPECT_EQ(remote.type(), "std::invalid_argument");
          EXPECT_STREQ(remote.what(), "bad input 37");
        } catch (...) {
          ADD_FAILURE() << "expected a RemoteTaskError";
        }
      }
    }
  }
  // The next compute works.
  checked.pop_back();
  checked.pop_back();
  checked.pop_back();
  EXPECT_EQ(add(checked).compute(mpi), 36 * 37 / 2);
}

TEST(MpiFailures, FailuresOnSeveralRanksAgreeOnOne) {
  auto fail_odd = dagflow::delayed(
      [](int i) {
        if (i % 2 == 1) throw std::runtime_error("odd " + std::to_string(i));
        return i;
      },
      "fail_odd");
  auto add = dagflow::delayed([](std::vector<int> xs) { return std::accumulate(xs.begin(), xs.end(), 0); }, "add");
  std::vector<Delayed<int>> parts;
  for (int i = 0; i < 64; ++i) parts.push_back(fail_odd(i));
  std::string key;
  try {
    add(parts).compute(mpi_cyclic);
    ADD_FAILURE() << "expected a TaskError";
  } catch (const dagflow::TaskError& e) {
    key = e.key();
  }
  // Every rank names the same task.
  std::vector<char> mine(64, '\0');
  std::copy_n(key.begin(), std::min<std::size_t>(key.size(), 63), mine.begin());
  std::vector<char> all(64 * static_cast<std::size_t>(dagflow::mpi::size()));
  MPI_Allgather(mine.data(), 64, MPI_CHAR, all.data(), 64, MPI_CHAR, MPI_COMM_WORLD);
  for (int rank = 0; rank < dagflow::mpi::size(); ++rank)
    EXPECT_EQ(std::string(all.data() + 64 * rank), key) << "rank " << rank;
}

TEST(MpiFailures, RanksWithDifferentGraphsGetAUsageErrorNamingTheTask) {
  if (dagflow::mpi::size() == 1) GTEST_SKIP() << "needs two ranks";
  auto inc = dagflow::delayed([](int x) { return x + 1; }, "inc");
  auto dbl = dagflow::delayed([](int x) { return x * 2; }, "dbl");
  Delayed<int> x = inc(0);
  for (int i = 0; i < 10; ++i) x = i == 6 && dagflow::mpi::rank() == 1 ? dbl(x) : inc(x);
  try {
    x.compute(mpi);
    ADD_FAILURE() << "expected a UsageError";
  } catch (const dagflow::UsageError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("different graphs"), std::string::npos) << what;
    EXPECT_NE(what.find("task #7"), std::string::npos) << what;
  }
  // Different sizes too.
  Delayed<int> y = inc(0);
  for (int i = 0; i < 5 + dagflow::mpi::rank(); ++i) y = inc(y);
  EXPECT_THROW(y.compute(mpi), dagflow::UsageError);
  // And the next compute works.
  EXPECT_EQ(inc(inc(1)).compute(mpi), 3);
}

TEST(MpiFailures, ComputeInsideAnMpiTaskIsAUsageError) {
  auto inner = dagflow::delayed([](int x) { return x + 1; }, "inner");
  auto outer = dagflow::delayed([&](int x) { return inner(x).compute(mpi); }, "outer");
  try {
    outer(1).compute(mpi);
    ADD_FAILURE() << "expected a TaskError";
  } catch (const dagflow::TaskError& e) {
    EXPECT_NE(std::string(e.what()).find("another MPI compute is running"), std::string::npos) << e.what();
  }
}

}  // namespace
