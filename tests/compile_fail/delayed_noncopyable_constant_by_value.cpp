// A constant argument stays in the graph, which may be computed many times: a function that takes it
// by value gets a copy, so it must be copyable.
// expected-error: a constant argument passed by value must be copyable
#include <dagflow/delayed.hpp>

struct NotCopyable {
  NotCopyable() = default;
  NotCopyable(const NotCopyable&) = delete;
  NotCopyable(NotCopyable&&) = default;
  int value = 1;
};

int main() {
#ifndef DAGFLOW_COMPILE_FAIL_CONTROL
  auto read = dagflow::delayed([](NotCopyable n) { return n.value; }, "read");
#else
  auto read = dagflow::delayed([](const NotCopyable& n) { return n.value; }, "read");
#endif
  auto result = read(NotCopyable{});
  (void)result;
}
