// Operations of Bag that change the partitioning: repartition, join (with an index of the other bag)
// and product (the Cartesian product, partition by partition).
#pragma once

#include <cstddef>
#include <functional>
#include <iterator>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "dagflow/delayed.hpp"
#include "dagflow/detail/bag_concepts.hpp"
#include "dagflow/detail/bag_handoff.hpp"
#include "dagflow/detail/bag_ordered_map.hpp"
#include "dagflow/detail/bag_partitions.hpp"
#include "dagflow/errors.hpp"

namespace dagflow::detail {

// --- repartition ---------------------------------------------------------------------------------------

/// Fewer partitions: output j concatenates inputs [j * m / n, (j + 1) * m / n) (Dask's boundaries).
template <class T>
Partitions<T> merge_partitions(const Partitions<T>& parts, std::size_t n) {
  const auto merge =
      delayed([](std::vector<std::vector<T>> group) { return concat_vectors(std::move(group)); }, "repartition-merge");
  const std::size_t m = parts.size();
  Partitions<T> out;
  out.reserve(n);
  for (std::size_t j = 0; j < n; ++j) {
    const auto first = parts.begin() + static_cast<std::ptrdiff_t>(j * m / n);
    const auto last = parts.begin() + static_cast<std::ptrdiff_t>((j + 1) * m / n);
    out.push_back(last - first == 1 ? *first : merge(Partitions<T>(first, last)));
  }
  return out;
}

/// More partitions: input i is cut into pieces[i] balanced pieces (the earlier inputs get the extra
/// ones); each piece is moved out of the cut by its own task.
template <class T>
Partitions<T> split_partitions(const Partitions<T>& parts, std::size_t n) {
  const auto split = delayed(
      [](std::vector<T> part, std::size_t count) {
        const auto bounds = balanced_bounds(part.size(), count);
        std::vector<std::vector<T>> pieces(count);
        for (std::size_t p = 0; p < count; ++p) {
          pieces[p].assign(std::make_move_iterator(part.begin() + static_cast<std::ptrdiff_t>(bounds[p])),
                           std::make_move_iterator(part.begin() + static_cast<std::ptrdiff_t>(bounds[p + 1])));
        }
        return std::make_shared<Handoff<T>>(std::move(pieces));
      },
      "repartition-split");
  const auto piece = delayed([](const HandoffPtr<T>& cut, std::size_t p) { return cut->take(p); }, "repartition-piece");
  const auto counts = balanced_bounds(n, parts.size());
  Partitions<T> out;
  out.reserve(n);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::size_t count = counts[i + 1] - counts[i];
    if (count == 1) {
      out.push_back(parts[i]);
      continue;
    }
    const auto cut = split(parts[i], count);
    for (std::size_t p = 0; p < count; ++p) out.push_back(piece(cut, p));
  }
  return out;
}

/// repartition(n): the same elements in the same order in n partitions. Throws UsageError for n == 0 or
/// above max_partitions().
template <class T>
Partitions<T> repartition(const Partitions<T>& parts, std::size_t n) {
  check_partition_count(n, "Bag::repartition: the number of partitions");
  if (n == parts.size()) return parts;
  if (parts.empty()) {
    // Nothing to cut: n empty partitions sharing one constant.
    const auto empty = constant(std::vector<T>(), std::make_shared<const std::string>("repartition"));
    return Partitions<T>(n, empty);
  }
  return n < parts.size() ? merge_partitions(parts, n) : split_partitions(parts, n);
}

// --- join, product -----------------------------------------------------------------------------------

/// join: for every element x of `parts` and every element y of `other` with key(x) == other_key(y), the
/// pair (x, y), in the order of `parts` and then of `other`. `other` is indexed once, by one
/// "join-index" task that every "join" task reads in place.
template <class K, class T, class U, class Key, class OtherKey>
Partitions<std::pair<T, U>> join(const Partitions<T>& parts, const Partitions<U>& other, Key key, OtherKey other_key) {
  using Index = InsertionOrderedMap<K, std::vector<U>>;
  const auto index_task = delayed(
      [other_key = std::move(other_key)](std::vector<std::vector<U>> other_parts) {
        Index index;
        for (auto& part : other_parts) {
          for (auto&& y : part) {
            index.try_emplace(std::invoke(other_key, as_element<U>(y)), [] { return std::vector<U>{}; })
                .first->push_back(std::move(y));
          }
        }
        return index;
      },
      "join-index");
  const auto join_task = delayed(
      [key = std::move(key)](const std::vector<T>& part, const Index& index) {
        std::vector<std::pair<T, U>> out;
        for (const auto& x : part) {
          if (const auto* matches = index.find(std::invoke(key, x))) {
            for (const auto& y : *matches) out.emplace_back(x, y);
          }
        }
        return out;
      },
      "join");
  return apply_each<std::pair<T, U>>(parts, join_task, index_task(other));
}

/// product: every (x, y) with x in `parts` and y in `other`; output partition i * other.size() + j
/// pairs input partition i with other partition j, as Dask's.
template <class T, class U>
Partitions<std::pair<T, U>> product(const Partitions<T>& parts, const Partitions<U>& other) {
  const auto task = delayed(
      [](const std::vector<T>& left, const std::vector<U>& right) {
        std::vector<std::pair<T, U>> out;
        out.reserve(left.size() * right.size());
        for (const auto& x : left)
          for (const auto& y : right) out.emplace_back(x, y);
        return out;
      },
      "product");
  Partitions<std::pair<T, U>> out;
  out.reserve(parts.size() * other.size());
  for (const auto& left : parts)
    for (const auto& right : other) out.push_back(task(left, right));
  return out;
}

}  // namespace dagflow::detail
