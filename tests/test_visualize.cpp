// DOT output structure and rendering through Graphviz.
#include <dagflow/dagflow.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace {

std::size_t count(const std::string& text, const std::regex& pattern) {
  return static_cast<std::size_t>(std::distance(std::sregex_iterator(text.begin(), text.end(), pattern), std::sregex_iterator()));
}

auto add = dagflow::delayed([](int a, int b) { return a + b; }, "add");

TEST(Visualize, OneNodePerTaskAndOneEdgePerDependency) {
  auto x = add(1, 2);
  auto y = add(x, 10);
  auto z = add(x, y);
  const std::string dot = z.to_dot();
  EXPECT_EQ(dot.rfind("digraph", 0), 0u);
  EXPECT_NE(dot.find("rankdir=BT;"), std::string::npos);
  EXPECT_EQ(count(dot, std::regex(R"(t\d+ \[label="add")")), 3u);
  EXPECT_EQ(count(dot, std::regex(R"(t\d+ -> t\d+;)")), 3u);  // x->y, x->z, y->z
  EXPECT_NE(dot.find("tooltip=\"" + z.key() + "\""), std::string::npos);
  EXPECT_EQ(count(dot, std::regex("peripheries=2")), 1u);  // the output is marked
}

TEST(Visualize, GatherOfTenIsAFanIn) {
  std::vector<dagflow::Delayed<int>> parts;
  for (int n = 0; n < 10; ++n) parts.push_back(add(n, n));
  const std::string dot = dagflow::gather(parts).to_dot({.rankdir = "LR"});
  EXPECT_NE(dot.find("rankdir=LR;"), std::string::npos);
  EXPECT_EQ(count(dot, std::regex(R"(label="gather")")), 1u);
  EXPECT_EQ(count(dot, std::regex(R"(label="add")")), 10u);
  EXPECT_EQ(count(dot, std::regex(R"(-> t10;)")), 10u);  // the gather is numbered last
}

TEST(Visualize, NamesAreEscaped) {
  auto odd = dagflow::delayed([] { return 1; }, "say \"hi\"\\");
  EXPECT_NE(odd().to_dot().find(R"(label="say \"hi\"\\")"), std::string::npos);
}

TEST(Visualize, LargeGraphsCollapseByName) {
  std::vector<dagflow::Delayed<int>> parts;
  for (int n = 0; n < 2000; ++n) parts.push_back(add(n, 1));
  auto total = dagflow::delayed([](const std::vector<int>& v) { return static_cast<int>(v.size()); }, "total")(parts);
  const std::string dot = total.to_dot();
  EXPECT_NE(dot.find("collapsed: 2001 tasks"), std::string::npos);
  EXPECT_NE(dot.find(R"x(label="add (2000)")x"), std::string::npos);
  EXPECT_NE(dot.find(R"(label="2000")"), std::string::npos);
  const std::string full = total.to_dot({.max_nodes = 0});
  EXPECT_EQ(count(full, std::regex(R"(label="add")")), 2000u);
}

TEST(Visualize, SeveralOutputsInOnePicture) {
  auto x = add(1, 2);
  const std::string dot = dagflow::to_dot({}, add(x, 1), add(x, 2));
  EXPECT_EQ(count(dot, std::regex(R"(label="add")")), 3u);
  EXPECT_EQ(count(dot, std::regex("peripheries=2")), 2u);
}

TEST(Visualize, WritesDotFiles) {
  const auto path = std::filesystem::temp_directory_path() / "dagflow_test_graph.dot";
  auto z = add(add(1, 2), 3);
  z.visualize(path);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), z.to_dot());
  std::filesystem::remove(path);
}

TEST(Visualize, RendersSvgWithGraphviz) {
  if (std::system("command -v dot > /dev/null 2>&1") != 0) GTEST_SKIP() << "Graphviz's dot is not installed";
  const auto path = std::filesystem::temp_directory_path() / "dagflow_test_graph.svg";
  add(add(1, 2), 3).visualize(path);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("<svg"), std::string::npos);
  EXPECT_NE(text.str().find(">add<"), std::string::npos);
  std::filesystem::remove(path);
}

TEST(Visualize, BadOptionsAndExtensions) {
  auto z = add(1, 2);
  EXPECT_THROW(z.to_dot({.rankdir = "UP"}), dagflow::UsageError);
  EXPECT_THROW(z.visualize("graph.jpeg2000"), dagflow::UsageError);
  EXPECT_THROW(z.visualize("/nonexistent-dir/graph.dot"), dagflow::Error);
  EXPECT_THROW(dagflow::Delayed<int>().to_dot(), dagflow::UsageError);
}

}  // namespace
