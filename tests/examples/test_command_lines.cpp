// Bad command lines of the three workflow programs, as a hostile user types them: each must end with a
// message a person can read and a non-zero status — never a crash, a hang, an allocation that cannot
// succeed, or an output file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include <dagflow/config.hpp>

#include "support/run_example.hpp"

namespace {

namespace fs = std::filesystem;

struct BadCommandLine {
  std::string program;  ///< examples/<program>/<program>
  std::string args;     ///< "{out}" stands for an output file that must not appear
  std::string message;  ///< a piece of what the program must say
};

void PrintTo(const BadCommandLine& line, std::ostream* out) { *out << line.program << ' ' << line.args; }

class CommandLines : public ::testing::TestWithParam<BadCommandLine> {};

TEST_P(CommandLines, FailWithAMessageAndWriteNothing) {
  const BadCommandLine& line = GetParam();
  const fs::path program = example_test::program(line.program, line.program);
  if (program.empty()) GTEST_SKIP() << "examples/" << line.program << " was not built";
  const fs::path out = fs::temp_directory_path() / ("dagflow_bad_args_" + std::to_string(::getpid()) + ".png");
  std::string args = line.args;
  if (const auto at = args.find("{out}"); at != std::string::npos) args.replace(at, 5, out.string());

  // `timeout` turns a hang (or a run of hours) into a failure instead of a stuck suite.
  const auto result = example_test::run("timeout 60 " + program.string() + " " + args);
  EXPECT_GT(result.status, 0) << result.output;   // exited, and not with 0
  EXPECT_LT(result.status, 124) << result.output;  // 124: timed out; 125+: killed by a signal
  EXPECT_NE(result.output.find(line.message), std::string::npos) << result.output;
  EXPECT_FALSE(fs::exists(out)) << out;
  fs::remove(out);
}

const std::string novel = std::string(DAGFLOW_SHARED_DATA_DIR) + "/moby_dick.txt";

INSTANTIATE_TEST_SUITE_P(
    Examples, CommandLines,
    ::testing::Values(BadCommandLine{"pi", "--samples 0 --graph {out}", "not in range 1 to 1000000000000"},
                      BadCommandLine{"pi", "--samples 99999999999999999999999", "--samples"},
                      BadCommandLine{"pi", "--tasks 100000000000", "not in range 1 to 1000000"},
                      BadCommandLine{"pi", "--tasks -3", "--tasks"},
                      BadCommandLine{"pi", "--workers -1", "--workers"},
                      BadCommandLine{"pi", "--samples ten", "--samples"},
                      BadCommandLine{"pi", "--bag --serial", "excludes"},
                      BadCommandLine{"mandelbrot", "--width 0 -o {out}", "not in range 1 to 16384"},
                      BadCommandLine{"mandelbrot", "--height 100000 -o {out}", "not in range 1 to 16384"},
                      BadCommandLine{"mandelbrot", "--max-iter 0 -o {out}", "not in range 1 to 1000000000"},
                      BadCommandLine{"mandelbrot", "--tiles 2000 -o {out}", "not in range 1 to 1024"},
                      BadCommandLine{"mandelbrot", "--center nan -o {out}", "not a finite complex number"},
                      BadCommandLine{"mandelbrot", "--center inf+infi -o {out}", "not a finite complex number"},
                      BadCommandLine{"mandelbrot", "--julia nan -o {out}", "not a finite complex number"},
                      BadCommandLine{"mandelbrot", "--extent 0+0i -o {out}", "extent"},
                      BadCommandLine{"mandelbrot", "--colormap rainbow -o {out}", "rainbow"},
                      BadCommandLine{"wordcount", "--top -1 " + novel, "not in range 0 to 1000000"},
                      BadCommandLine{"wordcount", "--blocksize -1 " + novel, "blocksize cannot be negative"},
                      BadCommandLine{"wordcount", "--blocksize 2TiB " + novel, "not in range 0 to 1099511627776"},
                      BadCommandLine{"wordcount", "--graph {out} /no/such/book.txt", "does not exist"},
                      BadCommandLine{"wordcount", "", "files is required"},
                      BadCommandLine{"mandelbrot", "--width 8 --height 8 -o /no/such/dir/m.png", "/no/such/dir/m.png"},
                      BadCommandLine{"pi", "--samples 10 --graph /no/such/dir/g.dot", "/no/such/dir/g.dot"}),
    [](const ::testing::TestParamInfo<BadCommandLine>& info) {
      return info.param.program + "_" + std::to_string(info.index);
    });

// Without MPI in dagflow, --mpi is refused with a message and status 2. (With MPI, the example_mpi_*
// tests of CMakeLists.txt run the programs with --mpi.)
TEST(MpiFlag, SaysWhenDagflowHasNoMpi) {
  if (DAGFLOW_WITH_MPI) GTEST_SKIP() << "this dagflow has MPI";
  for (const std::string name : {"pi", "wordcount", "mandelbrot"}) {
    const fs::path program = example_test::program(name, name);
    if (program.empty()) continue;
    const std::string files = name == "wordcount" ? novel : "";
    const auto result = example_test::run("timeout 60 " + program.string() + " --mpi " + files);
    EXPECT_EQ(result.status, 2) << name << ": " << result.output;
    EXPECT_NE(result.output.find("this build of dagflow has no MPI (configure with -DDAGFLOW_WITH_MPI=ON)"),
              std::string::npos)
        << name << ": " << result.output;
  }
}

}  // namespace
