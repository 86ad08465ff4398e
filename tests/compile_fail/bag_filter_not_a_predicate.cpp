// Bag::filter needs a predicate: a function of the element that answers true or false.
// expected-error: bag_predicate<
#include <dagflow/bag.hpp>
#include <string>
#include <vector>

int main() {
  auto words = dagflow::bag::from_sequence(std::vector<std::string>{"mary", "had", "a", "lamb"});
#ifndef DAGFLOW_COMPILE_FAIL_CONTROL
  auto kept = words.filter([](const std::string& word) { return word + "?"; });
#else
  auto kept = words.filter([](const std::string& word) { return word.size() > 1; });
#endif
  (void)kept;
}
