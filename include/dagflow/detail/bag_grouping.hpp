// Grouping operations of Bag. Two strategies, as in Dask:
//
// - frequencies, foldby and distinct are *tree reductions*: each partition is folded into a small hash
//   map of its groups, and the maps are merged split_every at a time. Only one map per group of
//   partitions ever travels, so they are cheap when the number of groups is small next to the data.
// - groupby is a *shuffle*: every partition is cut into one bucket per output partition by the hash of
//   the key, and output partition j collects bucket j of every input. All the data moves (once), and
//   the graph has inputs x outputs edges, but the groups themselves are materialised as vectors.
//
// All maps keep insertion order, so groups come out in order of first appearance in the bag.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "dagflow/delayed.hpp"
#include "dagflow/detail/bag_concepts.hpp"
#include "dagflow/detail/bag_handoff.hpp"
#include "dagflow/detail/bag_ordered_map.hpp"
#include "dagflow/detail/bag_partitions.hpp"
#include "dagflow/detail/bag_reductions.hpp"

namespace dagflow::detail {

/// The value a key first seen in a merge gets: the partial value itself.
struct KeepValue {
  template <class V>
  V&& operator()(V&& value) const noexcept {
    return std::forward<V>(value);
  }
};

/// Merges maps in order: a key new to the result gets `adopt(value)`, a known key `merge(existing,
/// value)`; the first map's values are adopted too.
template <class K, class V, class Adopt, class Merge>
InsertionOrderedMap<K, V> merge_maps(std::vector<InsertionOrderedMap<K, V>>&& maps, const Adopt& adopt,
                                     const Merge& merge) {
  if (maps.empty()) return {};
  InsertionOrderedMap<K, V> result = std::move(maps.front());
  if constexpr (!std::is_same_v<Adopt, KeepValue>) {
    for (auto& entry : result.entries()) entry.second = adopt(std::move(entry.second));
  }
  for (std::size_t i = 1; i < maps.size(); ++i) {
    for (auto& entry : maps[i].entries()) {
      auto [slot, inserted] =
          result.try_emplace(std::move(entry.first), [&] { return V(adopt(std::move(entry.second))); });
      if (!inserted) merge(*slot, std::move(entry.second));
    }
  }
  return result;
}

// --- frequencies -----------------------------------------------------------------------------------

template <class T>
Partitions<std::pair<T, std::size_t>> frequencies(const Partitions<T>& parts, std::size_t split_every) {
  using Map = InsertionOrderedMap<T, std::size_t>;
  // By value: an element seen for the first time is moved into the map, not copied.
  auto per_partition = [](std::vector<T> part) {
    Map counts;
    for (auto&& x : part) ++*counts.try_emplace(std::move(x), [] { return std::size_t{0}; }).first;
    return counts;
  };
  auto combine = [](std::vector<Map> partials) {
    return merge_maps(std::move(partials), KeepValue{}, [](std::size_t& into, std::size_t count) { into += count; });
  };
  auto finish = [combine](std::vector<Map> partials) { return combine(std::move(partials)).release(); };
  return {reduce_partitions(parts, "frequencies", split_every, per_partition, combine, finish)};
}

// --- foldby ------------------------------------------------------------------------------------------

/// foldby: per partition, group by `key` folding each group with `binop` from `initial`; then merge the
/// groups' partial values, each key's starting from `combine_initial`, with `combine`.
template <class K, class V, class T, class Key, class Binop, class Combine>
Partitions<std::pair<K, V>> foldby(const Partitions<T>& parts, Key key, Binop binop, V initial, Combine combine,
                                   V combine_initial, std::size_t split_every) {
  using Map = InsertionOrderedMap<K, V>;
  auto per_partition = [key = std::move(key), binop = std::move(binop), initial](const std::vector<T>& part) {
    Map groups;
    for (const auto& x : part) {
      V* acc = groups.try_emplace(std::invoke(key, x), [&] { return initial; }).first;
      *acc = std::invoke(binop, std::move(*acc), x);
    }
    return groups;
  };
  auto combine_maps = [combine = std::move(combine), combine_initial](std::vector<Map> partials) {
    return merge_maps(
        std::move(partials), [&](V&& value) { return V(std::invoke(combine, V(combine_initial), std::move(value))); },
        [&](V& into, V&& value) { into = std::invoke(combine, std::move(into), std::move(value)); });
  };
  auto finish = [combine_maps](std::vector<Map> partials) { return combine_maps(std::move(partials)).release(); };
  return {reduce_partitions(parts, "foldby", split_every, std::move(per_partition), combine_maps, finish)};
}

// --- distinct ------------------------------------------------------------------------------------------

struct Unit {};

/// distinct(): each element once, in order of first appearance.
template <class T>
Partitions<T> distinct(const Partitions<T>& parts, std::size_t split_every) {
  using Map = InsertionOrderedMap<T, Unit>;
  auto per_partition = [](std::vector<T> part) {
    Map seen;
    for (auto&& x : part) seen.try_emplace(std::move(x), [] { return Unit{}; });
    return seen;
  };
  auto combine = [](std::vector<Map> partials) {
    return merge_maps(std::move(partials), KeepValue{}, [](Unit&, Unit&&) {});
  };
  auto finish = [combine](std::vector<Map> partials) {
    auto entries = combine(std::move(partials)).release();
    std::vector<T> out;
    out.reserve(entries.size());
    for (auto& entry : entries) out.push_back(std::move(entry.first));
    return out;
  };
  return {reduce_partitions(parts, "distinct", split_every, per_partition, combine, finish)};
}

/// distinct(key): the first element of each key, in order of first appearance.
template <class K, class T, class Key>
Partitions<T> distinct_by(const Partitions<T>& parts, Key key, std::size_t split_every) {
  using Map = InsertionOrderedMap<K, T>;
  auto per_partition = [key = std::move(key)](std::vector<T> part) {
    Map firsts;
    for (auto&& x : part) firsts.try_emplace(std::invoke(key, as_element<T>(x)), [&] { return T(std::move(x)); });
    return firsts;
  };
  auto combine = [](std::vector<Map> partials) { return merge_maps(std::move(partials), KeepValue{}, [](T&, T&&) {}); };
  auto finish = [combine](std::vector<Map> partials) {
    auto entries = combine(std::move(partials)).release();
    std::vector<T> out;
    out.reserve(entries.size());
    for (auto& entry : entries) out.push_back(std::move(entry.second));
    return out;
  };
  return {reduce_partitions(parts, "distinct", split_every, std::move(per_partition), combine, finish)};
}

// --- groupby -----------------------------------------------------------------------------------------

/// The output partition of a key: its hash, mixed (std::hash of an integer is the integer itself, and
/// keys that are all multiples of the partition count must still spread), modulo the partition count.
template <class K>
std::size_t bucket_of(const K& key, std::size_t buckets) {
  auto x = static_cast<std::uint64_t>(std::hash<K>{}(key));
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return static_cast<std::size_t>(x % buckets);
}

/// groupby: a full shuffle into `n` partitions by the hash of the key; each output partition holds
/// (key, elements) pairs, the elements of a group in bag order.
template <class K, class T, class Key>
Partitions<std::pair<K, std::vector<T>>> groupby(const Partitions<T>& parts, Key key, std::size_t n) {
  auto split = delayed(
      [key, n](std::vector<T> part) {
        std::vector<std::vector<T>> buckets(n);
        for (auto&& x : part) buckets[bucket_of(std::invoke(key, as_element<T>(x)), n)].push_back(std::move(x));
        return std::make_shared<Handoff<T>>(std::move(buckets));
      },
      "groupby-split");
  auto collect = delayed(
      [key](const std::vector<HandoffPtr<T>>& splits, std::size_t bucket) {
        InsertionOrderedMap<K, std::vector<T>> groups;
        for (const auto& split_result : splits) {
          std::vector<T> piece = split_result->take(bucket);
          for (auto&& x : piece) {
            groups.try_emplace(std::invoke(key, as_element<T>(x)), [] { return std::vector<T>{}; })
                .first->push_back(std::move(x));
          }
        }
        return std::move(groups).release();
      },
      "groupby-collect");

  std::vector<Delayed<HandoffPtr<T>>> splits;
  splits.reserve(parts.size());
  for (const auto& part : parts) splits.push_back(split(part));
  Partitions<std::pair<K, std::vector<T>>> out;
  out.reserve(n);
  for (std::size_t bucket = 0; bucket < n; ++bucket) out.push_back(collect(splits, bucket));
  return out;
}

}  // namespace dagflow::detail
