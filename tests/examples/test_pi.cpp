// The π example (examples/pi): the exact inside-the-circle test, calc_pi's reproducibility and
// accuracy, the course's `mean(*(delayed(calc_pi)(N) for i in range(10)))` graph and its bag version
// agreeing with the plain loop, and the program itself.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

#include <dagflow/bag.hpp>
#include <dagflow/dagflow.hpp>

#include "pi/calc_pi.hpp"
#include "support/run_example.hpp"
#include "support/schedulers.hpp"

namespace {

using pi_example::calc_pi;
using pi_example::count_inside;
using pi_example::mean;

constexpr std::uint64_t seed = 2023;

// --- the inside test ----------------------------------------------------------------------------------------

std::uint32_t bits(std::int32_t v) { return static_cast<std::uint32_t>(v); }

// Reference: the point (x, y) / 2^31 lies inside the unit circle, in 128-bit arithmetic.
bool inside_reference(std::uint32_t xbits, std::uint32_t ybits) {
  __extension__ using int128 = __int128;
  const int128 x = static_cast<std::int32_t>(xbits), y = static_cast<std::int32_t>(ybits);
  return x * x + y * y < (int128{1} << 62);
}

TEST(CountInside, IsExactOnTheCircle) {
  constexpr std::int32_t min = INT32_MIN, max = INT32_MAX;
  // x = -2^31 lies exactly on the circle (x^2 = 2^62): outside, as x^2 + y^2 < 1 is strict.
  const std::vector<std::uint32_t> xs{bits(0), bits(min), bits(max), bits(min), bits(-1), bits(1), bits(min + 1)};
  const std::vector<std::uint32_t> ys{bits(0), bits(0), bits(0), bits(min), bits(0), bits(1), bits(0)};
  const std::vector<std::uint64_t> expected{1, 0, 1, 0, 1, 1, 1};
  for (std::size_t i = 0; i < xs.size(); ++i)
    EXPECT_EQ(count_inside(&xs[i], &ys[i], 1), expected[i]) << static_cast<std::int32_t>(xs[i]) << ", " << static_cast<std::int32_t>(ys[i]);
  // Points a few units from the circle: (2^31 - 1)^2 + y^2 < 2^62 exactly when y^2 < 2^32 - 1, and
  // 1518500249 < 2^30.5 < 1518500250 on the diagonal.
  const std::uint32_t near_x[] = {bits(max), bits(max), bits(-max), bits(1518500249), bits(1518500250), bits(-1518500250)};
  const std::uint32_t near_y[] = {bits(65535), bits(65536), bits(-65536), bits(1518500249), bits(-1518500250), bits(1518500249)};
  const std::uint64_t near_expected[] = {1, 0, 0, 1, 0, 1};
  for (std::size_t i = 0; i < std::size(near_x); ++i) {
    EXPECT_EQ(count_inside(&near_x[i], &near_y[i], 1), near_expected[i]) << i;
    EXPECT_EQ(inside_reference(near_x[i], near_y[i]), near_expected[i] == 1) << i;
  }
}

TEST(CountInside, AgreesWithA128BitReference) {
  pcg64 rng(seed, 99);
  std::vector<std::uint32_t> xs(100'000), ys(100'000);
  std::uint64_t expected = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    // Half the points near the circle, where rounding would show.
    const std::uint64_t word = rng();
    xs[i] = static_cast<std::uint32_t>(word);
    ys[i] = static_cast<std::uint32_t>(word >> 32);
    if (i % 2 == 1) {
      const double angle = static_cast<double>(word % 1'000'000) * 6.283185307179586e-6;
      const double radius = 2147483648.0 + static_cast<double>(static_cast<std::int64_t>(word >> 54) - 512);
      xs[i] = bits(static_cast<std::int32_t>(std::clamp(radius * std::cos(angle), -2147483648.0, 2147483647.0)));
      ys[i] = bits(static_cast<std::int32_t>(std::clamp(radius * std::sin(angle), -2147483648.0, 2147483647.0)));
    }
    expected += inside_reference(xs[i], ys[i]) ? 1 : 0;
  }
  EXPECT_EQ(count_inside(xs.data(), ys.data(), xs.size()), expected);
  EXPECT_GT(expected, 0u);
  EXPECT_LT(expected, xs.size());
}

// --- calc_pi ------------------------------------------------------------------------------------------------

TEST(CalcPi, IsReproducibleAndDependsOnSeedAndTask) {
  EXPECT_EQ(calc_pi(100'000, seed, 3), calc_pi(100'000, seed, 3));
  EXPECT_NE(calc_pi(100'000, seed, 3), calc_pi(100'000, seed, 4));
  EXPECT_NE(calc_pi(100'000, seed, 3), calc_pi(100'000, seed + 1, 3));
}

TEST(CalcPi, IsAccurateToItsStatisticalError) {
  // The standard error of 4M/N is 4 sqrt(p (1 - p) / N) with p = pi/4: 0.0016 for N = 10^6.
  for (std::uint64_t task = 0; task < 4; ++task) EXPECT_NEAR(calc_pi(1'000'000, seed, task), std::numbers::pi, 0.01);
  std::vector<double> estimates;
  for (std::uint64_t task = 0; task < 10; ++task) estimates.push_back(calc_pi(1'000'000, seed, task));
  EXPECT_NEAR(mean(estimates), std::numbers::pi, 0.003);  // 6 standard errors of the mean
}

TEST(CalcPi, CountsExactlyTheFirstNPoints) {
  // Whatever N, the task draws the same sequence of points and counts the first N of them.
  auto inside = [](std::uint64_t n) { return std::llround(calc_pi(n, seed, 0) * static_cast<double>(n) / 4); };
  long long previous = 0;
  for (std::uint64_t n = 1; n <= 600; ++n) {
    const long long m = inside(n);
    EXPECT_EQ(static_cast<double>(m) * 4 / static_cast<double>(n), calc_pi(n, seed, 0)) << n;
    EXPECT_TRUE(m == previous || m == previous + 1) << n;
    previous = m;
  }
}

TEST(CalcPi, RejectsZeroSamplesAndMeanRejectsNoEstimates) {
  EXPECT_THROW(calc_pi(0, seed, 0), std::invalid_argument);
  EXPECT_THROW(mean({}), std::invalid_argument);
  EXPECT_EQ(mean({1.0, 2.0, 3.0, 6.0}), 3.0);
}

// --- the course's graphs ------------------------------------------------------------------------------------

double serial_pi(std::uint64_t samples, std::uint64_t tasks) {
  std::vector<double> estimates;
  for (std::uint64_t task = 0; task < tasks; ++task) estimates.push_back(calc_pi(samples, seed, task));
  return mean(estimates);
}

// pi_p = mean(*(delayed(calc_pi)(N) for i in range(10)))
dagflow::Delayed<double> delayed_pi(std::uint64_t samples, std::uint64_t tasks) {
  const auto calc_pi_p = dagflow::delayed(calc_pi, "calc_pi");
  std::vector<dagflow::Delayed<double>> estimates;
  for (std::uint64_t task = 0; task < tasks; ++task) estimates.push_back(calc_pi_p(samples, seed, task));
  return dagflow::delayed(mean, "mean")(estimates);
}

// On every scheduler of support/schedulers.hpp.
class PiGraph : public dagflow_test::SchedulerTest {};

TEST_P(PiGraph, DelayedEqualsThePlainLoopExactly) {
  const double expected = serial_pi(20'000, 10);
  const auto pi_p = delayed_pi(20'000, 10);
  EXPECT_EQ(pi_p.compute(options()), expected);
  EXPECT_EQ(pi_p.compute(options()), expected) << "and again";
  const std::string dot = pi_p.to_dot();
  EXPECT_NE(dot.find("calc_pi"), std::string::npos);
  EXPECT_NE(dot.find("mean"), std::string::npos);
}

TEST_P(PiGraph, BagVersionGivesTheSameMean) {
  // from_sequence(repeat(N, 24)).map(calc_pi).mean(), with task numbers picking the random streams.
  std::vector<std::uint64_t> task_numbers(24);
  for (std::uint64_t task = 0; task < 24; ++task) task_numbers[task] = task;
  const auto pi_p = dagflow::bag::from_sequence(task_numbers)
                        .map([](std::uint64_t task) { return calc_pi(20'000, seed, task); })
                        .mean();
  EXPECT_NEAR(pi_p.compute(options()), serial_pi(20'000, 24), 1e-14);
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(PiGraph);

// --- the program --------------------------------------------------------------------------------------------

class PiProgram : public ::testing::Test {
 protected:
  void SetUp() override {
    program_ = example_test::program("pi", "pi").string();
    if (program_.empty()) GTEST_SKIP() << "examples/pi was not built";
  }
  std::string program_;
};

std::string printed_estimate(double pi) {
  char text[32];
  std::snprintf(text, sizeof text, "pi ~ %.8f", pi);
  return text;
}

TEST_F(PiProgram, HelpListsTheOptions) {
  const auto result = example_test::run(program_ + " --help");
  EXPECT_EQ(result.status, 0);
  for (const char* option : {"--samples", "--tasks", "--workers", "--seed", "--graph", "--serial", "--bag", "--mpi"})
    EXPECT_NE(result.output.find(option), std::string::npos) << option;
}

TEST_F(PiProgram, PrintsTheSameEstimateInEveryMode) {
  const std::string expected = printed_estimate(serial_pi(5'000, 6));
  for (const char* mode : {"", " --serial", " --workers 1", " --bag"}) {
    const auto result = example_test::run(program_ + " --samples 5000 --tasks 6 --seed 2023" + mode);
    EXPECT_EQ(result.status, 0) << result.output;
    EXPECT_NE(result.output.find(expected), std::string::npos) << mode << ": " << result.output;
    EXPECT_NE(result.output.find("error"), std::string::npos);
  }
}

TEST_F(PiProgram, BagModeDefaultsToTheCourses24Tasks) {
  const auto result = example_test::run(program_ + " --bag --samples 1000");
  EXPECT_EQ(result.status, 0) << result.output;
  EXPECT_NE(result.output.find("24 tasks"), std::string::npos) << result.output;
}

TEST_F(PiProgram, DrawsTheTaskGraph) {
  const auto dot = std::filesystem::temp_directory_path() / ("dagflow_pi_test_" + std::to_string(::getpid()) + ".dot");
  const auto result = example_test::run(program_ + " --samples 100 --tasks 3 --graph " + dot.string());
  EXPECT_EQ(result.status, 0) << result.output;
  std::ifstream in(dot);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("calc_pi"), std::string::npos) << text;
  EXPECT_NE(text.find("mean"), std::string::npos) << text;
  std::filesystem::remove(dot);
}

TEST_F(PiProgram, RejectsBadArguments) {
  EXPECT_NE(example_test::run(program_ + " --samples 0").status, 0);
  EXPECT_NE(example_test::run(program_ + " --tasks 0").status, 0);
  EXPECT_NE(example_test::run(program_ + " --serial --bag").status, 0);
  EXPECT_NE(example_test::run(program_ + " --graph out.gif --samples 10").status, 0);
}

}  // namespace
