// Errors. A task's exception reaches compute()'s caller as dagflow::TaskError, naming the task's key and holding
// the original; the first failure cancels the tasks not yet started. Misuse throws dagflow::UsageError at once.
//
//   parse("1")  parse("2")  parse("x3")  parse("4")     parse("x3") throws std::invalid_argument
//        \          |           |           /
//                       total                         cancelled: never runs
#include <atomic>
#include <cstdio>
#include <dagflow/dagflow.hpp>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

namespace {
std::atomic<int> parses_run{0}, totals_run{0};  // tasks run on worker threads: atomic counters
int parse_int(const std::string& text) {
  ++parses_run;
  if (text.find_first_not_of("0123456789") != std::string::npos) throw std::invalid_argument("not a number: " + text);
  return std::stoi(text);
}
int sum_ints(const std::vector<int>& numbers) {
  ++totals_run;
  return std::accumulate(numbers.begin(), numbers.end(), 0);
}
}  // namespace

int main(int argc, char** argv) {
  if (argc > 1) {
    std::puts("usage: errors\nRuns a graph in which a task throws, then misuses the API; prints what is caught.");
    return std::string(argv[1]) == "--help" ? 0 : 2;
  }
  const auto parse = dagflow::delayed(parse_int, "parse");
  const auto total = dagflow::delayed(sum_ints, "total");
  std::vector<dagflow::Delayed<int>> numbers;
  for (const char* text : {"1", "2", "x3", "4"}) numbers.push_back(parse(std::string(text)));
  std::string failed, misuse;
  try {  // one task at a time (sync), so that the cancelled parse("4") is plain to see
    total(numbers).compute({.scheduler = dagflow::Scheduler::sync});
  } catch (const dagflow::TaskError& error) {
    failed = error.key();
    std::printf("TaskError: %s\n", error.what());
    try {
      error.rethrow_original();  // the task's own exception, to be caught by its own type
    } catch (const std::invalid_argument& original) {
      std::printf("  original std::invalid_argument: %s\n", original.what());
    }
  }
  std::printf("parse ran %d of 4 times, total %d times\n", parses_run.load(), totals_run.load());
  try {
    total(std::vector<dagflow::Delayed<int>>(2));  // default-constructed promises: no task behind them
  } catch (const dagflow::UsageError& error) {
    misuse = error.what();
    std::printf("UsageError: %s\n", misuse.c_str());
  }
  const bool ok = failed == numbers[2].key() && totals_run == 0 && !misuse.empty();
  std::puts(ok ? "OK" : "WRONG: expected a TaskError from parse(\"x3\") and a UsageError");
  return ok ? 0 : 1;
}
