// visualize: look at the task graph instead of guessing it. to_dot() returns Graphviz DOT text;
// visualize(path) writes a .dot file itself and renders .svg, .png or .pdf with Graphviz's `dot`.
// The course's `bag.reduction(count_chars, sum).visualize()`, drawn as Dask draws it, inputs at the
// bottom and the output with a double border:
//
//                   reduction-aggregate                   18 characters in all
//     +-----------+-----------+-----------+-----------+
//     |           |           |           |           |
//  reduction-partition (one per partition)                characters per partition
//     |           |           |           |           |
//  "mary"       "had"        "a"       "little"     "lamb"    from_sequence: a word per partition
#include <cstdio>
#include <cstdlib>
#include <dagflow/dagflow.hpp>
#include <filesystem>
#include <numeric>
#include <string>
#include <string_view>
#include <vector>

int main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "--help") {
    std::puts(
        "usage: visualize [OUT_DIR]\nWrites reduction.dot, and reduction.svg when Graphviz's dot is\n"
        "installed, into OUT_DIR (default: the current directory).");
    return 0;
  }
  const std::filesystem::path out_dir = argc > 1 ? argv[1] : ".";
  std::filesystem::create_directories(out_dir);

  const auto words = dagflow::bag::from_sequence(std::vector<std::string>{"mary", "had", "a", "little", "lamb"});
  const auto count_chars = [](const std::vector<std::string>& partition) {
    std::size_t n = 0;
    for (const auto& word : partition) n += word.size();
    return n;
  };
  const auto sum = [](const std::vector<std::size_t>& partials) {
    return std::accumulate(partials.begin(), partials.end(), std::size_t{0});
  };
  const dagflow::Delayed<std::size_t> chars_p = words.reduction(count_chars, sum);

  // Drawing runs nothing: the picture shows what compute() will do. A .dot file dagflow writes itself;
  // other formats are rendered by Graphviz's `dot` program, which may be missing: then DOT is all we get.
  chars_p.visualize(out_dir / "reduction.dot");
  const bool have_graphviz = std::system("command -v dot > /dev/null 2>&1") == 0;
  if (have_graphviz) chars_p.visualize(out_dir / "reduction.svg");
  std::printf("wrote reduction.dot %s in %s\n",
              have_graphviz ? "and reduction.svg" : "(Graphviz's dot is not installed: no reduction.svg)",
              std::filesystem::absolute(out_dir).c_str());
  const std::string dot = chars_p.to_dot();  // the text of reduction.dot
  std::fputs(dot.c_str(), stdout);
  const std::size_t chars = chars_p.compute();
  std::printf("%zu characters\n", chars);
  const bool ok = chars == 18 && dot.find("reduction-aggregate") != std::string::npos &&
                  std::filesystem::file_size(out_dir / "reduction.dot") == dot.size() &&
                  (!have_graphviz || std::filesystem::file_size(out_dir / "reduction.svg") > 0);
  std::puts(ok ? "OK" : "WRONG: expected 18 characters, reduction.dot and (with Graphviz) reduction.svg");
  return ok ? 0 : 1;
}
