// A Delayed<void> has no value to pass: it cannot be an argument of a delayed call.
// expected-error: dagflow::delayed: a Delayed<void> cannot be an argument
#include <dagflow/delayed.hpp>

int main() {
  auto log = dagflow::delayed([] {}, "log");
  auto inc = dagflow::delayed([](int a) { return a + 1; }, "inc");
  dagflow::Delayed<void> logged = log();
#ifndef DAGFLOW_COMPILE_FAIL_CONTROL
  auto result = inc(logged);
#else
  auto result = inc(1);
#endif
  (void)logged;
  (void)result;
}
