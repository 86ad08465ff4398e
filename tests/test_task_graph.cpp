// The low-level TaskGraph API: custom graphs of string keys, checked with Boost.Graph. What computes runs
// on every scheduler of support/schedulers.hpp.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <dagflow/dagflow.hpp>
#include <numeric>
#include <string>
#include <vector>

#include "support/schedulers.hpp"

namespace {

using dagflow::GraphError;
using dagflow::TaskGraph;

TaskGraph course_graph() {
  // Dask's custom-graph example: {"x": 1, "y": (inc, "x"), "z": (add, "y", 10)}, with 10 as a task.
  TaskGraph graph;
  graph.add_value("x", 1);
  graph.add_value("ten", 10);
  graph.add("y", [](int x) { return x + 1; }, {"x"});
  graph.add("z", [](int y, int ten) { return y + ten; }, {"y", "ten"});
  return graph;
}

class TaskGraphCompute : public dagflow_test::SchedulerTest {};

TEST_P(TaskGraphCompute, ComputesARequestedKey) {
  const TaskGraph graph = course_graph();
  EXPECT_EQ(dagflow::get<int>(graph, "z", options()), 12);
  EXPECT_EQ(dagflow::get<int>(graph, "y", options()), 2);
  EXPECT_EQ(dagflow::get<int>(graph, "z", options()), 12) << "and again";
}

TEST_P(TaskGraphCompute, SeveralKeysShareOneRun) {
  DAGFLOW_SKIP_WHERE_RANKS_SHARE(options(), "task calls");
  std::atomic<int> runs{0};
  TaskGraph graph;
  graph.add("a", [&runs] { return ++runs, 5; });
  graph.add("b", [](int a) { return a * 2; }, {"a"});
  graph.add("c", [](int a) { return a * 3; }, {"a"});
  EXPECT_EQ(dagflow::get<int>(graph, std::vector<std::string>{"b", "c", "b"}, options()),
            (std::vector<int>{10, 15, 10}));
  EXPECT_EQ(runs.load(), 1);
}

TEST_P(TaskGraphCompute, KeysAsABracedListAsTheGuideWritesThem) {
  TaskGraph graph;
  graph.add_value("x", 1);
  graph.add("y", [](int x) { return x + 1; }, {"x"});
  // Two string literals could also build one std::string (from a pair of pointers): the braced list
  // must still mean two keys.
  EXPECT_EQ(dagflow::get<int>(graph, {"y", "x"}, options()), (std::vector<int>{2, 1}));
  EXPECT_EQ(dagflow::get<int>(graph, {"y"}, options()), (std::vector<int>{2}));
}

TEST_P(TaskGraphCompute, RunsOnlyWhatTheKeysNeed) {
  std::atomic<int> unrelated{0};
  TaskGraph graph = course_graph();
  graph.add("unrelated", [&unrelated] { return ++unrelated; });
  EXPECT_EQ(dagflow::get<int>(graph, "z", options()), 12);
  EXPECT_EQ(unrelated.load(), 0);
}

TEST(TaskGraph, KeysAreTheTaskKeys) {
  const TaskGraph graph = course_graph();
  EXPECT_EQ(dagflow::to_delayed<int>(graph, "z").key(), "z");
  EXPECT_EQ(graph.keys(), (std::vector<std::string>{"ten", "x", "y", "z"}));
  EXPECT_EQ(graph.dependencies("z"), (std::vector<std::string>{"y", "ten"}));
}

TEST_P(TaskGraphCompute, FeedsDelayedCode) {
  const TaskGraph graph = course_graph();
  auto twice = dagflow::delayed([](int v) { return 2 * v; }, "twice");
  EXPECT_EQ(twice(dagflow::to_delayed<int>(graph, "z")).compute(options()), 24);
}

TEST(TaskGraph, MissingDependencyNamesBothKeys) {
  TaskGraph graph;
  graph.add("y", [](int x) { return x; }, {"nowhere"});
  try {
    dagflow::get<int>(graph, "y");
    FAIL() << "expected GraphError";
  } catch (const GraphError& e) {
    EXPECT_EQ(e.keys(), (std::vector<std::string>{"y", "nowhere"}));
    EXPECT_NE(std::string(e.what()).find("'nowhere'"), std::string::npos) << e.what();
  }
}

TEST(TaskGraph, MissingRequestedKey) {
  const TaskGraph graph = course_graph();
  EXPECT_THROW(dagflow::get<int>(graph, "w"), GraphError);
  EXPECT_THROW(graph.dependencies("w"), GraphError);
}

TEST(TaskGraph, CycleIsReportedWhole) {
  TaskGraph graph;
  graph.add_value("start", 0);
  graph.add("a", [](int s, int c) { return s + c; }, {"start", "c"});
  graph.add("b", [](int a) { return a; }, {"a"});
  graph.add("c", [](int b) { return b; }, {"b"});
  graph.add("top", [](int a) { return a; }, {"a"});
  try {
    dagflow::get<int>(graph, "top");
    FAIL() << "expected GraphError";
  } catch (const GraphError& e) {
    auto keys = e.keys();
    ASSERT_EQ(keys.size(), 3u) << e.what();
    // The cycle may start anywhere; rotate it to start at "a".
    std::rotate(keys.begin(), std::find(keys.begin(), keys.end(), "a"), keys.end());
    EXPECT_EQ(keys, (std::vector<std::string>{"a", "c", "b"})) << e.what();
    EXPECT_NE(std::string(e.what()).find("cycle"), std::string::npos);
  }
}

TEST(TaskGraph, SelfDependencyIsACycle) {
  TaskGraph graph;
  graph.add("loop", [](int x) { return x; }, {"loop"});
  try {
    dagflow::get<int>(graph, "loop");
    FAIL() << "expected GraphError";
  } catch (const GraphError& e) {
    EXPECT_EQ(e.keys(), std::vector<std::string>{"loop"});
  }
}

TEST_P(TaskGraphCompute, CycleOutsideWhatIsNeededDoesNotMatter) {
  TaskGraph graph = course_graph();
  graph.add("p", [](int q) { return q; }, {"q"});
  graph.add("q", [](int p) { return p; }, {"p"});
  EXPECT_EQ(dagflow::get<int>(graph, "z", options()), 12);
}

TEST(TaskGraph, TypeMismatchIsAGraphError) {
  TaskGraph graph;
  graph.add_value("name", std::string("dagflow"));
  graph.add("len", [](int n) { return n; }, {"name"});
  try {
    dagflow::get<int>(graph, "len");
    FAIL() << "expected GraphError";
  } catch (const GraphError& e) {
    EXPECT_EQ(e.keys(), (std::vector<std::string>{"len", "name"}));
  }
  EXPECT_THROW(dagflow::get<double>(course_graph(), "z"), dagflow::UsageError);
}

TEST(TaskGraph, BadAdditionsAreUsageErrors) {
  TaskGraph graph;
  graph.add_value("x", 1);
  EXPECT_THROW(graph.add_value("x", 2), dagflow::UsageError);
  EXPECT_THROW(graph.add_value("", 2), dagflow::UsageError);
  EXPECT_THROW(graph.add("y", [](int a, int b) { return a + b; }, {"x"}), dagflow::UsageError);
}

TEST_P(TaskGraphCompute, TaskExceptionNamesTheKey) {
  TaskGraph graph;
  graph.add_value("x", 1);
  graph.add("boom", [](int) -> int { throw std::out_of_range("index 7"); }, {"x"});
  try {
    dagflow::get<int>(graph, "boom", options());
    FAIL() << "expected TaskError";
  } catch (const dagflow::TaskError& e) {
    EXPECT_EQ(e.key(), "boom");
    DAGFLOW_EXPECT_ORIGINAL_THROW(e, std::out_of_range);
  }
}

TEST_P(TaskGraphCompute, LongChainOfKeys) {
  TaskGraph graph;
  constexpr int n = 20000;
  std::vector<std::string> keys;
  for (int i = 0; i <= n; ++i) keys.push_back(std::to_string(i));
  graph.add_value(keys[0], 0);
  for (int i = 1; i <= n; ++i) graph.add(keys[i], [](int v) { return v + 1; }, {keys[i - 1]});
  EXPECT_EQ(dagflow::get<int>(graph, keys[n], options()), n);
}

// Added consumer first, so that every dependency is resolved by name when the graph is lowered; deep
// enough that a recursive cycle check or cull would overflow the stack.
TEST_P(TaskGraphCompute, DeepChainAddedBackwards) {
  constexpr int n = 100000;
  TaskGraph graph;
  for (int i = n; i >= 1; --i)
    graph.add("inc-" + std::to_string(i), [](std::uint64_t v) { return v + 1; }, {"inc-" + std::to_string(i - 1)});
  graph.add_value("inc-0", std::uint64_t{0});
  EXPECT_EQ(dagflow::get<std::uint64_t>(graph, "inc-" + std::to_string(n), options()), std::uint64_t{n});
}

TEST_P(TaskGraphCompute, WideGraphOfManyKeys) {
  constexpr std::uint64_t n = 50000;
  TaskGraph graph;
  std::vector<std::string> keys;
  for (std::uint64_t i = 0; i < n; ++i) {
    keys.push_back("leaf-" + std::to_string(i));
    graph.add(keys.back(), [i] { return i + 1; });
  }
  graph.add("join", [](std::uint64_t a, std::uint64_t b) { return a + b; }, {keys.front(), keys.back()});
  const auto values = dagflow::get<std::uint64_t>(graph, keys, options());
  ASSERT_EQ(values.size(), n);
  EXPECT_EQ(std::accumulate(values.begin(), values.end(), std::uint64_t{0}), n * (n + 1) / 2);
  EXPECT_EQ(dagflow::get<std::uint64_t>(graph, "join", options()), n + 1);
}

TEST_P(TaskGraphCompute, SmallPartOfALargeGraph) {
  // Lowering numbers few tasks in a hash table and many in an array over the whole graph; both ways,
  // and the switch between them, must give the same graph.
  TaskGraph graph;
  for (int i = 0; i < 10000; ++i) graph.add_value("other-" + std::to_string(i), i);
  graph.add_value("inc-0", 0);
  for (int i = 1; i <= 1000; ++i)
    graph.add("inc-" + std::to_string(i), [](int v) { return v + 1; }, {"inc-" + std::to_string(i - 1)});
  EXPECT_EQ(dagflow::get<int>(graph, "inc-100", options()), 100);    // 101 tasks: the hash table only
  EXPECT_EQ(dagflow::get<int>(graph, "inc-1000", options()), 1000);  // 1001 tasks: it switches to the array
  graph.add("late", [](int v) { return v; }, {"missing"});
  EXPECT_THROW(dagflow::get<int>(graph, "late", options()), GraphError);
}

TEST(TaskGraph, DelayedOutlivesItsGraph) {
  // The tasks' functions and constants must live as long as the nodes made from them.
  auto z = [] {
    TaskGraph graph = course_graph();
    graph.add_value("name", std::string(100, 'x'));  // a constant with a destructor that frees memory
    graph.add("len", [](const std::string& name, int z) { return static_cast<int>(name.size()) + z; }, {"name", "z"});
    return dagflow::to_delayed<int>(graph, "len");
  }();
  EXPECT_EQ(z.compute(), 112);
}

TEST(TaskGraph, CopiesAddIndependently) {
  TaskGraph original = course_graph();
  TaskGraph copy = original;
  original.add("w", [](int z) { return z * 2; }, {"z"});
  copy.add("w", [](int z) { return z * 3; }, {"z"});
  copy.add_value("only-in-copy", 7);
  EXPECT_EQ(dagflow::get<int>(original, "w"), 24);
  EXPECT_EQ(dagflow::get<int>(copy, "w"), 36);
  EXPECT_FALSE(original.contains("only-in-copy"));
  TaskGraph assigned;
  assigned = copy;
  copy = TaskGraph();
  assigned.add("v", [](int w, int c) { return w + c; }, {"w", "only-in-copy"});
  EXPECT_EQ(dagflow::get<int>(assigned, "v"), 43);
  EXPECT_EQ(copy.size(), 0u);
}

TEST(TaskGraph, FailedAdditionChangesNothing) {
  TaskGraph graph;
  graph.add_value("x", 1);
  EXPECT_THROW(graph.add("x", [](int a) { return a; }, {"x"}), dagflow::UsageError);
  EXPECT_EQ(graph.size(), 1u);
  EXPECT_TRUE(graph.dependencies("x").empty());
  EXPECT_EQ(dagflow::get<int>(graph, "x"), 1);
}

TEST(TaskGraph, ConstantsKeepTheirAlignment) {
  struct alignas(64) Block {
    double values[8];
  };
  TaskGraph graph;
  graph.add_value("small", 'c');  // leaves the next free byte unaligned
  graph.add_value("block", Block{{1, 2, 3, 4, 5, 6, 7, 8}});
  graph.add("aligned", [](const Block& b) { return reinterpret_cast<std::uintptr_t>(&b) % alignof(Block) == 0; },
            {"block"});
  EXPECT_TRUE(dagflow::get<bool>(graph, "aligned"));
}

TEST(TaskGraph, CycleIsReportedBeforeATypeMismatch) {
  TaskGraph graph;
  graph.add_value("name", std::string("dagflow"));
  graph.add("len", [](int n, int loop) { return n + loop; }, {"name", "loop"});
  graph.add("loop", [](int len) { return len; }, {"len"});
  try {
    dagflow::get<int>(graph, "len");
    FAIL() << "expected GraphError";
  } catch (const GraphError& e) {
    EXPECT_NE(std::string(e.what()).find("cycle"), std::string::npos) << e.what();
  }
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(TaskGraphCompute);

}  // namespace
