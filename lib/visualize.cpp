// DOT output and rendering through Graphviz's `dot` program.
#include "dagflow/visualize.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <unordered_map>
#include <vector>

#include "dagflow/errors.hpp"
#include "plan.hpp"

extern char** environ;

namespace dagflow::detail {

namespace {

std::string dot_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

void check(const VisualizeOptions& options) {
  static const char* const directions[] = {"BT", "TB", "LR", "RL"};
  if (std::find(std::begin(directions), std::end(directions), options.rankdir) == std::end(directions))
    throw UsageError("dagflow::visualize: rankdir must be BT, TB, LR or RL, got '" + options.rankdir + "'");
}

void write_header(std::ostringstream& dot, const VisualizeOptions& options) {
  dot << "digraph dagflow {\n"
      << "  rankdir=" << options.rankdir << ";\n"
      << "  node [shape=ellipse, style=filled, fillcolor=\"#dbe9f6\", fontname=\"Helvetica\"];\n"
      << "  edge [color=\"#555555\"];\n";
}

// One DOT node per task, labelled with its name; the key goes to the tooltip (shown by SVG viewers).
void write_tasks(std::ostringstream& dot, const Plan& plan) {
  std::vector<bool> is_output(plan.size(), false);
  for (std::uint32_t output : plan.outputs()) is_output[output] = true;
  for (std::uint32_t task = 0; task < plan.size(); ++task) {
    const Node& node = plan.node(task);
    dot << "  t" << task << " [label=" << dot_string(node.name()) << ", tooltip=" << dot_string(node.key());
    if (is_output[task]) dot << ", peripheries=2, fillcolor=\"#b3d4f0\"";
    dot << "];\n";
  }
  for (std::uint32_t task = 0; task < plan.size(); ++task) {
    for (std::uint32_t dep : plan.deps(task)) dot << "  t" << dep << " -> t" << task << ";\n";
  }
}

// A picture of a million ellipses helps nobody: draw one box per task name instead, with counts, and
// say so in the picture.
void write_collapsed(std::ostringstream& dot, const Plan& plan, std::size_t limit) {
  std::map<std::string_view, std::uint32_t> group_of_name;
  std::vector<std::uint32_t> group(plan.size());
  std::vector<std::size_t> members;
  for (std::uint32_t task = 0; task < plan.size(); ++task) {
    auto [where, added] = group_of_name.try_emplace(plan.node(task).name(), static_cast<std::uint32_t>(members.size()));
    if (added) members.push_back(0);
    group[task] = where->second;
    ++members[where->second];
  }
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::size_t> edges;
  for (std::uint32_t task = 0; task < plan.size(); ++task) {
    for (std::uint32_t dep : plan.deps(task)) ++edges[{group[dep], group[task]}];
  }
  dot << "  label="
      << dot_string("collapsed: " + std::to_string(plan.size()) + " tasks exceed max_nodes=" + std::to_string(limit) +
                    "; one box per task name (task count), edges show how many " +
                    "dependencies they stand for. Set VisualizeOptions::max_nodes = 0 to draw every task.")
      << ";\n  labelloc=t;\n";
  for (const auto& [name, index] : group_of_name) {
    dot << "  g" << index
        << " [shape=box3d, label=" << dot_string(std::string(name) + " (" + std::to_string(members[index]) + ")")
        << "];\n";
  }
  for (const auto& [ends, count] : edges) {
    dot << "  g" << ends.first << " -> g" << ends.second;
    if (count > 1) dot << " [label=" << dot_string(std::to_string(count)) << "]";
    dot << ";\n";
  }
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw Error("dagflow::visualize: cannot write '" + path.string() + "'");
}

// Runs `dot -T<format> -o <output> <input>` without a shell, so no path needs quoting.
void render(const std::filesystem::path& dot_file, const std::filesystem::path& output, const std::string& format) {
  std::string program = "dot", type = "-T" + format, out_flag = "-o" + output.string(), in = dot_file.string();
  char* argv[] = {program.data(), type.data(), out_flag.data(), in.data(), nullptr};
  pid_t pid = 0;
  const int spawn_error = posix_spawnp(&pid, "dot", nullptr, nullptr, argv, environ);
  if (spawn_error == ENOENT) {
    throw Error("dagflow::visualize: Graphviz's `dot` program is needed to write '" + output.string() +
                "' but was not found on PATH; install Graphviz (Debian/Ubuntu: apt-get install graphviz) or "
                "write a .dot file instead");
  }
  if (spawn_error != 0)
    throw Error("dagflow::visualize: cannot start Graphviz's `dot`: " + std::string(std::strerror(spawn_error)));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw Error("dagflow::visualize: Graphviz's `dot -T" + format + "` failed to write '" + output.string() + "'");
}

}  // namespace

std::string to_dot(std::span<Node* const> roots, const VisualizeOptions& options) {
  check(options);
  const Plan plan(roots);
  std::ostringstream dot;
  write_header(dot, options);
  if (options.max_nodes != 0 && plan.size() > options.max_nodes) {
    write_collapsed(dot, plan, options.max_nodes);
  } else {
    write_tasks(dot, plan);
  }
  dot << "}\n";
  return std::move(dot).str();
}

void visualize(std::span<Node* const> roots, const std::filesystem::path& path, const VisualizeOptions& options) {
  std::string format = path.extension().string();
  if (!format.empty()) format.erase(0, 1);
  std::transform(format.begin(), format.end(), format.begin(), [](unsigned char c) { return std::tolower(c); });
  if (format != "dot" && format != "gv" && format != "svg" && format != "png" && format != "pdf") {
    throw UsageError("dagflow::visualize: cannot tell the format of '" + path.string() +
                     "'; use a .dot, .svg, .png or .pdf file name");
  }
  const std::string dot = to_dot(roots, options);
  if (format == "dot" || format == "gv") {
    write_file(path, dot);
    return;
  }
  std::filesystem::path dot_file = path;
  dot_file += ".dagflow-tmp.dot";
  write_file(dot_file, dot);
  try {
    render(dot_file, path, format);
  } catch (...) {
    std::filesystem::remove(dot_file);
    throw;
  }
  std::filesystem::remove(dot_file);
}

}  // namespace dagflow::detail
