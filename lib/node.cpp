// Node lifetime and naming, and the few exceptions thrown from header templates.
#include "dagflow/detail/node.hpp"

#include <boost/core/demangle.hpp>
#include <cstdio>
#include <vector>

#include "dagflow/errors.hpp"
#include "dagflow/options.hpp"

namespace dagflow::detail {

void release(Node* node) noexcept {
  if (node->refs_.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  // Delete iteratively: a dependency whose last reference was held by a dying node joins the worklist
  // instead of being deleted from inside that node's destructor.
  std::vector<Node*> dying;  // allocates only when a dependency dies too
  for (Node* current = node;;) {
    for (Node* dep : current->deps()) {
      if (dep->refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) dying.push_back(dep);
    }
    delete current;
    if (dying.empty()) return;
    current = dying.back();
    dying.pop_back();
  }
}

std::uint64_t new_node_id() noexcept {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

namespace {
// A bijective mix of the id, so that consecutive tasks get unrelated-looking, still unique, suffixes.
std::uint32_t mix_id(std::uint64_t id) noexcept {
  auto x = static_cast<std::uint32_t>(id);
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}
}  // namespace

std::string Node::key() const {
  if (name_is_key_) return *name_;
  char suffix[24];
  if (id_ <= 0xffffffffULL) {
    std::snprintf(suffix, sizeof suffix, "-%08x", mix_id(id_));
  } else {
    std::snprintf(suffix, sizeof suffix, "-%llx", static_cast<unsigned long long>(id_));
  }
  return *name_ + suffix;
}

void throw_empty_delayed(const std::string& context) { throw UsageError("dagflow: " + context); }

void throw_not_copyable(const std::type_info& type) {
  throw UsageError("dagflow: a result of type " + boost::core::demangle(type.name()) +
                   " is not copyable but is needed by more than one consumer (or is a constant); take it "
                   "by const reference or wrap it in std::shared_ptr");
}

}  // namespace dagflow::detail

namespace dagflow {

namespace {
std::string describe(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    // what() may legally return null (a user override); std::string would throw std::logic_error for it.
    const char* message = e.what();
    return message != nullptr ? message : "<no message>";
  } catch (...) {
    return "unknown exception (not derived from std::exception)";
  }
}
}  // namespace

TaskError::TaskError(std::string key, std::exception_ptr original)
    : Error("dagflow: task '" + key + "' failed: " + describe(original)),
      key_(std::move(key)),
      original_(std::move(original)) {}

std::string TaskInfo::key() const { return node_->key(); }
std::string_view TaskInfo::name() const noexcept { return node_->name(); }

}  // namespace dagflow
