// dagflow::compute(a, b, ...) returns a tuple of values; a Delayed<void> has none.
// expected-error: dagflow::compute\(a, b, \.\.\.\): use a\.compute\(\) for Delayed<void>
#include <dagflow/delayed.hpp>

int main() {
  auto one = dagflow::delayed([] { return 1; }, "one");
  auto log = dagflow::delayed([] {}, "log");
#ifndef DAGFLOW_COMPILE_FAIL_CONTROL
  auto [a, b] = dagflow::compute(one(), log());
#else
  auto [a, b] = dagflow::compute(one(), one());
#endif
  (void)a;
  (void)b;
  (void)log;
}
