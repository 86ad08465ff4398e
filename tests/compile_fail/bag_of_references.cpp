// A Bag holds its elements: a reference, void or const element type is refused.
// expected-error: dagflow::Bag<T>: T must be a non-const object type
#include <dagflow/bag.hpp>

int main() {
#ifndef DAGFLOW_COMPILE_FAIL_CONTROL
  dagflow::Bag<const int> bag;
#else
  dagflow::Bag<int> bag;
#endif
  (void)bag;
}
