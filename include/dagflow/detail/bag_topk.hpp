// topk: the k largest elements by a key, largest first, as a tree reduction whose partials are the
// top k of each partition (so no task ever holds more than split_every * k candidates).
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <type_traits>
#include <utility>
#include <vector>

#include "dagflow/delayed.hpp"
#include "dagflow/detail/bag_concepts.hpp"
#include "dagflow/detail/bag_partitions.hpp"
#include "dagflow/detail/bag_reductions.hpp"

namespace dagflow::detail {

/// topk's default key: the element itself.
struct IdentityKey {
  template <class U>
  const U& operator()(const U& x) const noexcept {
    return x;
  }
};

/// Orders candidates (key, position) largest key first and, among equal keys, earliest position first:
/// a strict total order, so the selection is the same whatever the algorithm's internal order.
template <class Less>
auto largest_first(Less less) {
  return [less](const auto& a, const auto& b) { return less(b, a) || (!less(a, b) && a.position < b.position); };
}

/// The `k` largest of `items` by `key`, largest first, ties in their order in `items`. Each key is
/// computed once (a key may be costly); the element itself is compared in place for IdentityKey.
template <class T, class Key>
std::vector<T> select_top(std::vector<T>&& items, std::size_t k, const Key& key) {
  k = std::min(k, items.size());
  auto pick = [&](auto& candidates, auto before) {
    const auto kth = candidates.begin() + static_cast<std::ptrdiff_t>(k);
    if (kth != candidates.end()) std::nth_element(candidates.begin(), kth, candidates.end(), before);
    candidates.resize(k);
    std::sort(candidates.begin(), candidates.end(), before);
    std::vector<T> out;
    out.reserve(k);
    for (const auto& candidate : candidates) out.push_back(std::move(items[candidate.position]));
    return out;
  };
  if constexpr (std::is_same_v<Key, IdentityKey>) {
    struct Candidate {
      std::size_t position;
    };
    std::vector<Candidate> candidates(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) candidates[i].position = i;
    return pick(candidates, largest_first([&](const Candidate& a, const Candidate& b) {
                  return items[a.position] < items[b.position];
                }));
  } else {
    struct Candidate {
      CallResult<Key, T> key;
      std::size_t position;
    };
    std::vector<Candidate> candidates;
    candidates.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) candidates.push_back({std::invoke(key, as_element<T>(items[i])), i});
    return pick(candidates, largest_first([](const Candidate& a, const Candidate& b) { return a.key < b.key; }));
  }
}

/// topk(k, key): one partition holding the k largest elements by key, largest first.
template <class T, class Key>
Partitions<T> topk(const Partitions<T>& parts, std::size_t k, Key key, std::size_t split_every) {
  auto per_partition = [k, key](std::vector<T> part) { return select_top(std::move(part), k, key); };
  auto combine = [k, key](std::vector<std::vector<T>> partials) {
    return select_top(concat_vectors(std::move(partials)), k, key);
  };
  return {reduce_partitions(parts, "topk", split_every, per_partition, combine, combine)};
}

}  // namespace dagflow::detail
