// A result whose destructor may throw would terminate the program when a worker thread destroys it.
// expected-error: dagflow::delayed: the function's result type has a destructor that may throw
#include <dagflow/delayed.hpp>

struct Loud {
  int value = 0;
#ifndef DAGFLOW_COMPILE_FAIL_CONTROL
  ~Loud() noexcept(false) {}
#else
  ~Loud() {}
#endif
};

int main() {
  auto make = dagflow::delayed([](int v) { return Loud{v}; }, "make");
  auto result = make(1);
  (void)result;
}
