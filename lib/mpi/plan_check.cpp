#include "mpi/plan_check.hpp"

#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <array>
#include <boost/core/demangle.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dagflow/errors.hpp"

namespace dagflow::detail {

namespace {

std::uint64_t mix(std::uint64_t hash, std::uint64_t value) noexcept {
  // splitmix64's finalizer over the running hash and the next value: order-sensitive and well spread.
  std::uint64_t x = hash ^ (value + 0x9e3779b97f4a7c15ULL + (hash << 6) + (hash >> 2));
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t hash_text(std::string_view text) noexcept {
  std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a
  for (const char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return hash;
}

// What must agree between ranks about one task: its name, the type of its result, whether it is a
// constant, and its inputs (by plan index). Names and type names repeat across tasks, so their hashes are
// remembered by address in a small direct-mapped cache.
class TaskHasher {
 public:
  explicit TaskHasher(const Plan& plan) : plan_(plan) {}

  std::uint64_t operator()(std::uint32_t task, std::uint8_t& kind) {
    const Node& node = plan_.node(task);
    const ResultType& type = node.result_type();
    kind = node.constant() ? constant_task : type.serializable() ? ordinary_task : unsendable_result;
    std::uint64_t hash = mix(cached(node.name()), cached_type(type));
    hash = mix(hash, kind);
    const auto deps = plan_.deps(task);
    hash = mix(hash, deps.size());
    for (std::uint32_t dep : deps) hash = mix(hash, dep);
    return hash;
  }

 private:
  struct Entry {
    const void* address = nullptr;
    std::uint64_t hash = 0;
  };

  std::uint64_t lookup(const void* address, std::string_view text) {
    Entry& entry = cache_[(reinterpret_cast<std::uintptr_t>(address) >> 4) % cache_.size()];
    if (entry.address != address) entry = {address, hash_text(text)};
    return entry.hash;
  }
  std::uint64_t cached(const std::string& name) { return lookup(&name, name); }
  std::uint64_t cached_type(const ResultType& type) {
    const char* name = type.type->name();
    return lookup(name, name);
  }

  const Plan& plan_;
  std::array<Entry, 64> cache_{};
};

// True when every rank passed the same value. One allreduce of (value, ~value) with MIN gives both the
// minimum and the maximum.
bool agree(std::uint64_t value, MPI_Comm comm) {
  std::array<std::uint64_t, 2> mine{value, ~value};
  std::array<std::uint64_t, 2> least{};
  MPI_Allreduce(mine.data(), least.data(), 2, MPI_UINT64_T, MPI_MIN, comm);
  return least[0] == ~least[1];
}

std::string describe(const Plan& plan, std::uint32_t task) {
  // fmt (spdlog's): GCC 12 warns falsely (-Wrestrict) about std::string concatenation here.
  if (task >= plan.size()) return fmt::format("none (this rank's graph has only {} tasks)", plan.size());
  const Node& node = plan.node(task);
  return fmt::format("'{}' ({} inputs, result {})", node.key(), plan.deps(task).size(),
                     boost::core::demangle(node.result_type().type->name()));
}

}  // namespace

std::vector<std::uint8_t> check_same_plan(const Plan& plan, MPI_Comm comm) {
  TaskHasher hash_task(plan);
  std::vector<std::uint8_t> kinds(plan.size());
  std::uint64_t whole = mix(0, plan.size());
  for (std::uint32_t task = 0; task < plan.size(); ++task) whole = mix(whole, hash_task(task, kinds[task]));
  for (std::uint32_t output : plan.outputs()) whole = mix(whole, output);
  if (agree(whole, comm)) return kinds;

  // Binary search, in lockstep on every rank, for the first task whose prefix fingerprint differs.
  std::vector<std::uint64_t> prefix(plan.size());
  std::uint64_t running = 0;
  for (std::uint32_t task = 0; task < plan.size(); ++task)
    prefix[task] = running = mix(running, hash_task(task, kinds[task]));
  std::uint64_t tasks = plan.size();
  std::uint64_t most_tasks = 0;
  MPI_Allreduce(&tasks, &most_tasks, 1, MPI_UINT64_T, MPI_MAX, comm);
  std::uint64_t low = 0;
  std::uint64_t high = most_tasks;  // the first difference is in [low, high]; high: only the outputs differ
  while (low < high) {
    const std::uint64_t middle = low + (high - low) / 2;
    const std::uint64_t value = middle < tasks ? prefix[middle] : mix(~std::uint64_t{0}, tasks);
    if (agree(value, comm)) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  const std::string what = low < most_tasks
                               ? "task #" + std::to_string(low) + " of the plan differs; on this rank it is " +
                                     describe(plan, static_cast<std::uint32_t>(low))
                               : std::string("the requested outputs differ");
  throw UsageError(
      "dagflow: Scheduler::mpi: the ranks are computing different graphs: " + what +
      ". Every rank must build the same graph and call compute() with the same outputs, in the same order");
}

}  // namespace dagflow::detail
