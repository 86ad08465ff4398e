// Partition lists, the representation behind Bag<T>: how a sequence is cut into partitions, how
// partitions are glued back together, and how a list of partitions becomes a list of tasks.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "dagflow/delayed.hpp"
#include "dagflow/errors.hpp"

namespace dagflow::detail {

/// The partitions of a Bag<T>: one task per partition, each producing a std::vector<T>.
template <class T>
using Partitions = std::vector<Delayed<std::vector<T>>>;

/// The most partitions a bag can be cut into: one less than the most boundaries a std::vector can hold
/// (about 2^60 on a 64-bit machine), so that `parts + 1` boundaries never wrap around. Any count up to
/// it is honoured exactly, memory permitting (else std::bad_alloc, as for any std::vector).
inline std::size_t max_partitions() noexcept { return std::vector<std::size_t>().max_size() - 1; }

/// Throws UsageError naming `what` (e.g. "bag::range: npartitions") unless 1 <= `parts` <=
/// max_partitions().
inline void check_partition_count(std::size_t parts, const char* what) {
  if (parts == 0) throw UsageError(std::string("dagflow: ") + what + " must be at least 1, got 0");
  if (parts > max_partitions())
    throw UsageError(std::string("dagflow: ") + what + " must be at most " + std::to_string(max_partitions()) +
                     " (the most partitions a bag can have), got " + std::to_string(parts));
}

/// Boundaries of `parts` contiguous chunks of `size` items whose sizes differ by at most one, the larger
/// ones first: chunk i is [bounds[i], bounds[i + 1]). Throws std::length_error when `parts` is 0 or
/// above max_partitions() (callers check the count first, with check_partition_count, for a
/// UsageError that names their option).
inline std::vector<std::size_t> balanced_bounds(std::size_t size, std::size_t parts) {
  // `parts + 1` wrapped to 0 for parts == SIZE_MAX, and the loop below then wrote past the vector.
  if (parts == 0 || parts > max_partitions()) throw std::length_error("dagflow: balanced_bounds: bad partition count");
  std::vector<std::size_t> bounds(parts + 1, 0);
  const std::size_t base = size / parts;
  const std::size_t larger = size % parts;
  for (std::size_t i = 0; i < parts; ++i) bounds[i + 1] = bounds[i] + base + (i < larger ? 1 : 0);
  return bounds;
}

/// Boundaries of chunks of `chunk` items (the last may be shorter); at least one chunk, even when empty.
/// Any `chunk` >= 1 works, SIZE_MAX included.
inline std::vector<std::size_t> fixed_bounds(std::size_t size, std::size_t chunk) {
  std::vector<std::size_t> bounds{0};
  do {
    // min() before adding, so that a huge chunk cannot wrap around.
    bounds.push_back(bounds.back() + std::min(chunk, size - bounds.back()));
  } while (bounds.back() < size);
  return bounds;
}

/// How from_sequence cuts `size` items: exactly `npartitions` balanced chunks, or chunks of
/// `partition_size`, or (neither given) Dask's default: one item per partition up to 100 items, else
/// chunks of ceil(sqrt(size) / 10). Throws UsageError for a zero, for an npartitions above
/// max_partitions(), or for both options at once.
inline std::vector<std::size_t> sequence_bounds(std::size_t size, std::optional<std::size_t> npartitions,
                                                std::optional<std::size_t> partition_size) {
  if (npartitions && partition_size)
    throw UsageError("dagflow: bag::from_sequence: give PartitionOptions::npartitions or ::partition_size, not both");
  if (npartitions) {
    check_partition_count(*npartitions, "bag::from_sequence: npartitions");
    return balanced_bounds(size, *npartitions);
  }
  if (partition_size) {
    if (*partition_size == 0) throw UsageError("dagflow: bag::from_sequence: partition_size must be at least 1, got 0");
    return fixed_bounds(size, *partition_size);
  }
  const auto chunk =
      size <= 100 ? std::size_t{1} : static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(size)) / 10.0));
  return fixed_bounds(size, chunk);
}

/// Moves the items of `parts` into one vector, in order.
template <class T>
std::vector<T> concat_vectors(std::vector<std::vector<T>>&& parts) {
  if (parts.size() == 1) return std::move(parts.front());
  std::size_t total = 0;
  for (const auto& part : parts) total += part.size();
  std::vector<T> out;
  out.reserve(total);
  for (auto& part : parts)
    out.insert(out.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
  return out;
}

/// A Delayed holding a constant under a name shared with its siblings (one allocation for the name of
/// all partitions of a from_sequence, instead of one per partition as value() would make).
template <class V>
Delayed<V> constant(V value, const Node::Name& name) {
  auto* node = new ValueNode<V>(name, std::make_shared<const V>(std::move(value)));
  return DelayedAccess::make<V>(NodeRef::adopt(node));
}

/// An element of a partition as a `const T&`. Unlike std::as_const it also accepts the proxies that
/// std::vector<bool> hands out (the bool they stand for lives until the end of the full-expression).
template <class T>
const T& as_element(const T& element) noexcept {
  return element;
}

/// Calls `task(partition, args...)` for every partition, in order.
template <class U, class T, class Task, class... Args>
Partitions<U> apply_each(const Partitions<T>& parts, const Task& task, const Args&... args) {
  Partitions<U> out;
  out.reserve(parts.size());
  for (const auto& part : parts) out.push_back(task(part, args...));
  return out;
}

/// Throws UsageError unless `split_every` (the fan-in of a tree reduction) is at least 2.
inline void check_split_every(std::size_t split_every, const char* operation) {
  if (split_every < 2)
    throw UsageError(std::string("dagflow: Bag::") + operation + ": split_every must be at least 2, got " +
                     std::to_string(split_every));
}

}  // namespace dagflow::detail
