// TaskGraph: a Dask-style custom graph, tasks named by string keys. Useful when the graph comes from
// data (here a loop, in practice a workflow file) rather than from function calls. Dask's example:
//   {"load-1": (load, "file-1"), "clean-1": (clean, "load-1"), ..., "analyze": (analyze, [...])}
//
//   load-1    load-2    load-3       constants: 10, 20, 30
//     |         |         |
//   clean-1   clean-2   clean-3      + 1
//       \       |       /
//            analyze                 sum: 63
//               |
//             store                  not requested by get("analyze"), so it never runs
#include <atomic>
#include <cstdio>
#include <dagflow/dagflow.hpp>
#include <string>
#include <string_view>
#include <vector>

int main(int argc, char** argv) {
  if (argc > 1) {
    std::puts("usage: task_graph\nBuilds a load/clean/analyze graph of string keys and gets keys from it.");
    return std::string_view(argv[1]) == "--help" ? 0 : 2;
  }
  dagflow::TaskGraph graph;
  // A task's parameters receive its dependencies' results in order; their types must match exactly,
  // which get() checks for the whole graph before anything runs.
  for (int i = 1; i <= 3; ++i) {
    const std::string n = std::to_string(i);
    graph.add_value("load-" + n, 10 * i);
    graph.add("clean-" + n, [](int raw) { return raw + 1; }, {"load-" + n});
  }
  std::atomic<bool> stored{false};  // tasks run on worker threads; this one should not run at all
  graph.add("store",
            [&stored](int result) {
              stored = true;
              return std::to_string(result);
            },
            {"analyze"});
  // Keys may be added in any order: "store" names "analyze" before it exists.
  graph.add("analyze", [](int a, int b, int c) { return a + b + c; }, {"clean-1", "clean-2", "clean-3"});

  const int analyzed = dagflow::get<int>(graph, "analyze");
  // Several keys in one run: clean-1 runs once although both requested keys need it.
  const std::vector<int> both = dagflow::get<int>(graph, std::vector<std::string>{"clean-1", "analyze"});
  std::printf("analyze = %d; clean-1 and analyze = %d, %d; store ran: %s\n", analyzed, both[0], both[1],
              stored ? "yes" : "no");

  const bool ok = analyzed == 63 && both == std::vector<int>{11, 63} && !stored;
  std::puts(ok ? "OK" : "WRONG: expected analyze = 63, clean-1 = 11, and store not run");
  return ok ? 0 : 1;
}
