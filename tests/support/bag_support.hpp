// Helpers shared by the Bag test suites: a callback that counts tasks by name, an element type that counts
// its copies, and the course's five words. (The schedulers they run on are in schedulers.hpp.)
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <dagflow/bag.hpp>

namespace bag_test {

/// Counts the tasks a run executes, by task name.
class TaskCounter : public dagflow::Callback {
 public:
  void on_task_start(const dagflow::TaskInfo& task) noexcept override {
    std::lock_guard lock(mutex_);
    ++counts_[std::string(task.name())];
  }
  int count(const std::string& name) const {
    std::lock_guard lock(mutex_);
    auto it = counts_.find(name);
    return it == counts_.end() ? 0 : it->second;
  }
  int total() const {
    std::lock_guard lock(mutex_);
    int sum = 0;
    for (const auto& entry : counts_) sum += entry.second;
    return sum;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, int> counts_;
};

/// An int that counts how often any Tracked was copy-constructed or copy-assigned.
struct Tracked {
  static inline std::atomic<int> copies{0};
  int value = 0;

  Tracked() = default;
  explicit Tracked(int v) : value(v) {}
  Tracked(const Tracked& other) : value(other.value) { ++copies; }
  Tracked(Tracked&& other) noexcept = default;
  Tracked& operator=(const Tracked& other) {
    value = other.value;
    ++copies;
    return *this;
  }
  Tracked& operator=(Tracked&& other) noexcept = default;
  friend bool operator==(const Tracked& a, const Tracked& b) { return a.value == b.value; }
};

/// The course's words.
inline std::vector<std::string> mary() { return {"mary", "had", "a", "little", "lamb"}; }

inline std::vector<int> iota(int n) {
  std::vector<int> out(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out[static_cast<std::size_t>(i)] = i;
  return out;
}

}  // namespace bag_test
