// DOT output and rendering through Graphviz's `dot` program.
#include "dagflow/visualize.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <sstream>
#include <vector>

#include "dagflow/atomic_file.hpp"
#include "dagflow/errors.hpp"
#include "plan.hpp"
#include "posix_file.hpp"

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

[[noreturn]] void fail_to_render(const std::string& format, const std::filesystem::path& output,
                                 const std::string& why) {
  throw Error("dagflow::visualize: Graphviz's `dot -T" + format + "` failed to draw '" + output.string() + "'" + why);
}

// The full path of `program` in the directories of PATH, or "" when none has it.
std::string find_on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string_view directories = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  for (;;) {
    const std::size_t end = std::min(directories.find(':'), directories.size());
    std::string candidate(end == 0 ? std::string_view(".") : directories.substr(0, end));
    candidate.append("/").append(program);
    struct stat status {};
    if (::stat(candidate.c_str(), &status) == 0 && S_ISREG(status.st_mode) && ::access(candidate.c_str(), X_OK) == 0)
      return candidate;
    if (end == directories.size()) return "";
    directories.remove_prefix(end + 1);
  }
}

// Starts `dot -T<format>` reading `input` as its standard input and writing to `output`. No path
// reaches dot's command line, so no file name can be taken for one of its options. The child asks the
// kernel to kill it when the thread that started it ends; that thread waits in render() until dot exits,
// so it ends early only when the process dies (a signal), and then dot dies with it instead of running on.
pid_t spawn_dot(const std::string& format, int input, int output, const std::filesystem::path& path) {
  const std::string program = find_on_path("dot");
  if (program.empty()) {
    throw Error("dagflow::visualize: Graphviz's `dot` program is needed to write '" + path.string() +
                "' but was not found on PATH; install Graphviz (Debian/Ubuntu: apt-get install graphviz) or "
                "write a .dot file instead");
  }
  std::string name = "dot", type = "-T" + format;
  char* argv[] = {name.data(), type.data(), nullptr};
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw_os_error(errno, "visualize: cannot start Graphviz's dot");
  if (pid == 0) {
    // Between fork and exec only async-signal-safe calls: other threads of the parent may have held locks.
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != parent) ::_exit(127);
    if (::dup2(input, STDIN_FILENO) < 0 || ::dup2(output, STDOUT_FILENO) < 0) ::_exit(127);
    ::execve(program.c_str(), argv, environ);
    ::_exit(127);
  }
  return pid;
}

// What dot printed, and whether it read the whole graph before it stopped.
struct Exchange {
  std::string printed;
  bool took_all_input = true;
};

// Sends `text` to dot and collects what it prints, at the same time, so that neither side waits on a full
// pipe. The text goes through a socket: send() with MSG_NOSIGNAL reports a dot that stopped reading as
// EPIPE where a pipe would raise SIGPIPE in the caller.
Exchange exchange_with(int to_dot, int from_dot, std::string_view text) {
  Exchange result;
  std::string& printed = result.printed;
  char buffer[1 << 16];
  bool sending = true;
  for (;;) {
    if (sending && text.empty()) {
      ::shutdown(to_dot, SHUT_WR);  // dot's end of input
      sending = false;
    }
    pollfd fds[2] = {{from_dot, POLLIN, 0}, {sending ? to_dot : -1, POLLOUT, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      throw_os_error(errno, "visualize: waiting for Graphviz's dot");
    }
    if (sending && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
      const ssize_t sent = ::send(to_dot, text.data(), text.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (sent >= 0) {
        text.remove_prefix(static_cast<std::size_t>(sent));
      } else if (errno == EPIPE || errno == ECONNRESET) {
        sending = false;  // dot stopped reading: it failed, and its status should say so
        result.took_all_input = false;
      } else if (errno != EAGAIN && errno != EINTR) {
        throw_os_error(errno, "visualize: writing to Graphviz's dot");
      }
    }
    if ((fds[0].revents & (POLLIN | POLLERR | POLLHUP)) != 0) {
      const ssize_t got = ::read(from_dot, buffer, sizeof buffer);
      if (got == 0) return result;
      if (got > 0) printed.append(buffer, static_cast<std::size_t>(got));
      if (got < 0 && errno != EINTR && errno != EAGAIN) throw_os_error(errno, "visualize: reading from Graphviz's dot");
    }
  }
}

// Runs dot on `text` and returns the picture. Nothing touches the file system: if this process dies,
// dot loses its input or output and exits too, and leaves no file behind.
std::string render(std::string_view text, const std::string& format, const std::filesystem::path& path) {
  int sockets[2];
  int pipe_ends[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets) != 0)
    throw_os_error(errno, "visualize: cannot connect to Graphviz's dot");
  const FileDescriptor to_dot(sockets[0]);
  FileDescriptor dot_input(sockets[1]);
  if (::pipe2(pipe_ends, O_CLOEXEC) != 0) throw_os_error(errno, "visualize: cannot connect to Graphviz's dot");
  const FileDescriptor from_dot(pipe_ends[0]);
  FileDescriptor dot_output(pipe_ends[1]);
  const pid_t pid = spawn_dot(format, dot_input.get(), dot_output.get(), path);
  // dot holds the only other ends now: its exit ends our reading, and an early exit fails our sending.
  ::close(dot_input.release());
  ::close(dot_output.release());
  Exchange exchange;
  try {
    exchange = exchange_with(to_dot.get(), from_dot.get(), text);
  } catch (...) {
    ::kill(pid, SIGKILL);
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    throw;
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status)) fail_to_render(format, path, " (killed by signal " + std::to_string(WTERMSIG(status)) + ")");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    fail_to_render(format, path, " (exit status " + std::to_string(WEXITSTATUS(status)) + "; its message is above)");
  if (!exchange.took_all_input) fail_to_render(format, path, " (it stopped reading the graph)");
  if (exchange.printed.empty()) fail_to_render(format, path, " (it printed nothing)");
  return std::move(exchange.printed);
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
  // Written whole or not at all: the picture (or the DOT text) is complete before the file is created.
  const std::string contents = format == "dot" || format == "gv" ? dot : render(dot, format, path);
  try {
    write_file_atomically(path, contents);
  } catch (const std::system_error& error) {
    throw Error(std::string("dagflow::visualize: ") + error.what());
  }
}

}  // namespace dagflow::detail
