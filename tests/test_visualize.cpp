// DOT output structure and rendering through Graphviz.
#include <dagflow/dagflow.hpp>
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <thread>

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

// A directory of its own for each test that writes pictures, removed afterwards.
class VisualizeFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("dagflow_visualize_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    if (saved_path_) ::setenv("PATH", saved_path_->c_str(), 1);
    std::filesystem::remove_all(dir_);
  }

  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) out.push_back(entry.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }
  static std::string read(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  // Puts a fake `dot` running `script` first on PATH (restored by TearDown).
  void fake_dot(const std::string& script) {
    const auto bin = dir_ / "bin";
    std::filesystem::create_directories(bin);
    std::ofstream(bin / "dot") << "#!/bin/sh\n" << script << "\n";
    std::filesystem::permissions(bin / "dot", std::filesystem::perms::owner_all);
    saved_path_ = std::getenv("PATH");
    ::setenv("PATH", (bin.string() + ":" + *saved_path_).c_str(), 1);
  }

  std::filesystem::path dir_;
  std::optional<std::string> saved_path_;
};

bool have_dot() { return std::system("command -v dot > /dev/null 2>&1") == 0; }

TEST_F(VisualizeFiles, ANameStartingWithADashIsAFileNotAnOption) {
  if (!have_dot()) GTEST_SKIP() << "Graphviz's dot is not installed";
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir_);
  add(add(1, 2), 3).visualize("-v.svg");
  add(1, 2).visualize("-o.dot");
  std::filesystem::current_path(cwd);
  EXPECT_NE(read(dir_ / "-v.svg").find("<svg"), std::string::npos);
  EXPECT_EQ(read(dir_ / "-o.dot").rfind("digraph", 0), 0u);
  EXPECT_EQ(names(), (std::vector<std::string>{"-o.dot", "-v.svg"}));  // and no temporary files
}

TEST_F(VisualizeFiles, AFailingDotLeavesTheOldPictureAndNoTemporaries) {
  std::ofstream(dir_ / "graph.svg") << "<svg>the old picture</svg>";
  fake_dot("cat > /dev/null; echo 'half a picture'; exit 3");
  try {
    add(1, 2).visualize(dir_ / "graph.svg");
    FAIL() << "expected dagflow::Error";
  } catch (const dagflow::Error& error) {
    EXPECT_NE(std::string(error.what()).find("graph.svg"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("exit status 3"), std::string::npos) << error.what();
  }
  EXPECT_EQ(read(dir_ / "graph.svg"), "<svg>the old picture</svg>");
  EXPECT_EQ(names(), (std::vector<std::string>{"bin", "graph.svg"}));
}

TEST_F(VisualizeFiles, ADotThatStopsReadingIsAnErrorNotASignal) {
  // The DOT text of 5000 tasks is far larger than a socket buffer, so sending it meets a closed reader.
  std::vector<dagflow::Delayed<int>> parts;
  for (int n = 0; n < 5000; ++n) parts.push_back(add(n, n));
  fake_dot("exit 0");
  EXPECT_THROW(dagflow::gather(parts).visualize(dir_ / "big.png", {.max_nodes = 0}), dagflow::Error);
  EXPECT_EQ(names(), std::vector<std::string>{"bin"});
}

TEST_F(VisualizeFiles, WhatDotPrintsIsThePicture) {
  fake_dot("cat");  // a dot that draws its input as is
  const auto graph = add(1, 2);
  graph.visualize(dir_ / "echo.pdf");
  EXPECT_EQ(read(dir_ / "echo.pdf"), graph.to_dot());
}

// True while process `pid` exists and is not a zombie (a killed child's orphan may wait to be reaped).
bool running(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  const auto state = line.rfind(')');
  return state != std::string::npos && state + 2 < line.size() && line[state + 2] != 'Z';
}

TEST_F(VisualizeFiles, AKilledCallerTakesDotWithIt) {
  // A dot that takes its time; the process that started it is killed meanwhile (as by SIGTERM or a job
  // scheduler). dot must not run on, and no file may appear. The caller is a forked child, which only
  // draws (no oneTBB threads are needed after fork()).
  fake_dot("echo $$ > '" + (dir_ / "dot.pid").string() + "'; exec sleep 60");
  const pid_t caller = ::fork();
  ASSERT_GE(caller, 0);
  if (caller == 0) {
    try {
      add(1, 2).visualize(dir_ / "slow.svg");
    } catch (...) {
    }
    ::_exit(0);
  }
  pid_t dot = 0;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (dot == 0 && std::chrono::steady_clock::now() < give_up) {
    std::ifstream(dir_ / "dot.pid") >> dot;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::kill(caller, SIGKILL);
  ASSERT_EQ(::waitpid(caller, nullptr, 0), caller);
  ASSERT_GT(dot, 0) << "the fake dot never started";
  while (running(dot) && std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_FALSE(running(dot)) << "dot " << dot << " outlived the process that started it";
  if (running(dot)) ::kill(dot, SIGKILL);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "slow.svg"));
  EXPECT_EQ(names(), (std::vector<std::string>{"bin", "dot.pid"}));
}

TEST(Visualize, BadOptionsAndExtensions) {
  auto z = add(1, 2);
  EXPECT_THROW(z.to_dot({.rankdir = "UP"}), dagflow::UsageError);
  EXPECT_THROW(z.visualize("graph.jpeg2000"), dagflow::UsageError);
  EXPECT_THROW(z.visualize("/nonexistent-dir/graph.dot"), dagflow::Error);
  EXPECT_THROW(dagflow::Delayed<int>().to_dot(), dagflow::UsageError);
}

}  // namespace
