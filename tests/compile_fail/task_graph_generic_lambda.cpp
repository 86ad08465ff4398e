// TaskGraph::add matches a function's parameter types to its dependencies' result types, so it needs
// fixed ones: not a generic lambda.
// expected-error: dagflow::TaskGraph::add: the function needs fixed parameter types
#include <dagflow/task_graph.hpp>

int main() {
  dagflow::TaskGraph graph;
  graph.add_value("x", 1);
#ifndef DAGFLOW_COMPILE_FAIL_CONTROL
  graph.add("y", [](auto x) { return x + 1; }, {"x"});
#else
  graph.add("y", [](int x) { return x + 1; }, {"x"});
#endif
}
