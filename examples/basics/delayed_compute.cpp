// Delayed and compute: `delayed(f)` makes calls to f record tasks instead of running them, and
// `compute()` runs the recorded graph. The course's challenge: how often does x_p run?
//
//     inc(1) ---------------+      x_p = 2    called with a plain value
//       |                   |
//     add(x_p, 10)          |      y_p = 12   called with a promise and a value
//       |                   |
//     add(x_p, y_p) <-------+      z_p = 14   two promises: x_p is read twice
#include <atomic>
#include <cstdio>
#include <dagflow/dagflow.hpp>
#include <string_view>
#include <tuple>

namespace {
std::atomic<int> calls{0};  // tasks run on worker threads, so the counter must be atomic

int counted(int result) {  // every task's result passes through here, so calls counts the tasks run
  ++calls;
  return result;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc > 1) {
    std::puts("usage: delayed_compute\nBuilds inc/add promises, computes them, counts how often each task runs.");
    return std::string_view(argv[1]) == "--help" ? 0 : 2;
  }
  const auto inc = dagflow::delayed([](int x) { return counted(x + 1); }, "inc");
  const auto add = dagflow::delayed([](int a, int b) { return counted(a + b); }, "add");

  const auto x_p = inc(1);  // nothing runs here: x_p is a promise with a key
  const auto y_p = add(x_p, 10);
  const auto z_p = add(x_p, y_p);  // the function will see ints, never promises
  std::printf("z_p is the promise %s; %d tasks have run\n", z_p.key().c_str(), calls.load());

  const int z = z_p.compute();  // x_p is read twice but runs once: 3 calls
  const int one_graph = calls.exchange(0);
  std::printf("z_p.compute() = %d after %d calls\n", z, one_graph);

  // Separate computes are separate graphs, so x_p runs in each (the course's challenge) ...
  const int y = y_p.compute(), z_again = z_p.compute();
  const int separate = calls.exchange(0);
  // ... while computing both outputs together shares it again.
  const auto [y_both, z_both] = dagflow::compute(y_p, z_p);
  const int together = calls.exchange(0);
  std::printf("y and z separately: %d calls; together: %d calls\n", separate, together);

  const bool ok = z == 14 && one_graph == 3 && y == 12 && z_again == 14 && separate == 5 && y_both == 12 &&
                  z_both == 14 && together == 3;
  std::puts(ok ? "OK" : "WRONG: expected z = 14 with 3, 5 and 3 calls");
  return ok ? 0 : 1;
}
