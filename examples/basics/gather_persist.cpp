// gather and persist. `gather` turns a list of promises into a promise of a list (the course's
// `gather(*(square(n) for n in range(10)))`); `persist` computes a promise once and keeps the result,
// so graphs built on it later start from the value instead of recomputing it.
//
//   square(0)  square(1)  ...  square(9)     ten independent tasks
//        \         |             /
//                gather                      -> [0, 1, 4, ..., 81]
//                  |  persist(): run now, then a constant
//           +------+------+
//          sum           max                 two later graphs: 285 and 81, no square reruns
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <dagflow/dagflow.hpp>
#include <numeric>
#include <string_view>
#include <vector>

namespace {
std::atomic<int> squares_run{0};  // tasks run on worker threads, so the counter must be atomic

int square_and_count(int n) {
  ++squares_run;
  return n * n;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc > 1) {
    std::puts("usage: gather_persist\nGathers ten squares into one list, persists it, reduces it twice.");
    return std::string_view(argv[1]) == "--help" ? 0 : 2;
  }
  const auto square = dagflow::delayed(square_and_count, "square");
  const auto sum =
      dagflow::delayed([](const std::vector<int>& v) { return std::accumulate(v.begin(), v.end(), 0); }, "sum");
  const auto max = dagflow::delayed([](const std::vector<int>& v) { return *std::ranges::max_element(v); }, "max");

  std::vector<dagflow::Delayed<int>> parts;
  for (int n = 0; n < 10; ++n) parts.push_back(square(n));
  const dagflow::Delayed<std::vector<int>> squares_p = dagflow::gather(parts);  // still nothing has run

  // Without persist, every graph that reads squares_p would run the ten squares again.
  const dagflow::Delayed<std::vector<int>> kept_p = squares_p.persist();
  const int after_persist = squares_run.load();
  const int total = sum(kept_p).compute();
  const int largest = max(kept_p).compute();

  std::printf("squares:");
  for (int s : kept_p.compute()) std::printf(" %d", s);
  std::printf("\nsum = %d, max = %d; square ran %d times for persist and %d times since\n", total, largest,
              after_persist, squares_run.load() - after_persist);
  const bool ok = total == 285 && largest == 81 && after_persist == 10 && squares_run.load() == 10;
  std::puts(ok ? "OK" : "WRONG: expected sum 285, max 81 and ten squares in all");
  return ok ? 0 : 1;
}
