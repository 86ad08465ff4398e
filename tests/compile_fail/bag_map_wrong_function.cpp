// Bag::map needs a function of the element.
// expected-error: element_function<
#include <dagflow/bag.hpp>
#include <string>
#include <vector>

struct Shout {
  std::string operator()(const std::string& word) const { return word + "!"; }
};

int main() {
  auto numbers = dagflow::bag::from_sequence(std::vector<int>{1, 2, 3});
  auto words = dagflow::bag::from_sequence(std::vector<std::string>{"a", "b"});
#ifndef DAGFLOW_COMPILE_FAIL_CONTROL
  auto shouted = numbers.map(Shout{});
#else
  auto shouted = words.map(Shout{});
#endif
  (void)numbers;
  (void)words;
  (void)shouted;
}
