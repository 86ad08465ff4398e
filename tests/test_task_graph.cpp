// The low-level TaskGraph API: custom graphs of string keys, checked with Boost.Graph. What computes runs
// on every scheduler of support/schedulers.hpp.
#include <dagflow/dagflow.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <string>

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
  std::atomic<int> runs{0};
  TaskGraph graph;
  graph.add("a", [&runs] { return ++runs, 5; });
  graph.add("b", [](int a) { return a * 2; }, {"a"});
  graph.add("c", [](int a) { return a * 3; }, {"a"});
  EXPECT_EQ(dagflow::get<int>(graph, std::vector<std::string>{"b", "c", "b"}, options()), (std::vector<int>{10, 15, 10}));
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
    EXPECT_THROW(e.rethrow_original(), std::out_of_range);
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

DAGFLOW_TEST_ON_EVERY_SCHEDULER(TaskGraphCompute);

}  // namespace
