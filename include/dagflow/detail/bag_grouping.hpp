// Grouping operations of Bag. Two strategies, as in Dask:
//
// - frequencies, foldby and distinct are *tree reductions*: each partition is folded into a small hash
//   map of its groups, and the maps are merged split_every at a time. Only one map per group of
//   partitions ever travels, so they are cheap when the number of groups is small next to the data.
// - groupby is a *shuffle*: every element moves to the output partition given by the hash of its key,
//   and the groups themselves are materialised as vectors. With few input or output partitions it
//   takes one stage (every input cut into one bucket per output, inputs x outputs edges); with many of
//   both, several stages of tasks that each merge at most max_branch pieces (Dask's tasks shuffle),
//   about stages x max_branch x partitions edges.
//
// All maps keep insertion order, so groups come out in order of first appearance in the bag.
#pragma once

#include <algorithm>
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
#include "dagflow/errors.hpp"

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

struct Unit {
  /// cereal: distinct's partial sets travel between MPI ranks.
  template <class Archive>
  void serialize(Archive& /*archive*/) {}
};

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

/// Dask's default max_branch: the most inputs a task of a staged shuffle reads.
inline constexpr std::size_t default_max_branch = 32;

/// Throws UsageError unless `max_branch` is at least 2 (a task must merge at least two pieces for the
/// stages to get anywhere).
inline void check_max_branch(std::size_t max_branch) {
  if (max_branch < 2)
    throw UsageError("dagflow: Bag::groupby: max_branch must be at least 2, got " + std::to_string(max_branch));
}

/// The one-stage shuffle: each input partition is cut into `n` buckets, and output partition j collects
/// bucket j of every input (inputs x n edges).
template <class K, class T, class Key>
Partitions<std::pair<K, std::vector<T>>> one_stage_groupby(const Partitions<T>& parts, Key key, std::size_t n) {
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

// --- staged shuffle ------------------------------------------------------------------------------------
//
// Dask's tasks shuffle. Slots 0 .. radix^stages - 1 are numbered in base `radix`; input partition p
// starts in slot p and an element bound for output partition b ends in slot b. Stage t moves every
// element from its slot to the slot that has digit t replaced by digit t of b: each task of stage t
// reads the `radix` slots of the previous stage that differ from its own in digit t only, takes the
// piece meant for it from each, and (but in the last stage) cuts what it got by digit t + 1. After the
// last stage all digits are b's. A task reads at most `radix` pieces, so the graph has about
// stages x radix x max(inputs, outputs) edges instead of inputs x outputs.
//
// Order: a slot's sources are read in slot order, and sources that differ in digit t only differ in
// which inputs they hold by digit t of the input's index, so every slot holds its elements in the
// order of their input partition, then of their place in it: bag order, all the way through.

/// An element on its way through a staged shuffle, with its output partition worked out once, at the
/// first split, so that later stages do not call the key function again.
template <class T>
struct Routed {
  std::size_t bucket;
  T value;
};

template <class T>
using RoutedPieces = HandoffPtr<Routed<T>>;

/// The shape of a staged shuffle: `stages` digits in base `radix`, `radix^stages` slots; `step[t]` is
/// radix^t. One stage means the one-stage shuffle.
struct ShufflePlan {
  std::size_t stages = 1;
  std::size_t radix = 0;
  std::vector<std::size_t> step;

  std::size_t slots() const noexcept { return step.back(); }
  std::size_t digit(std::size_t slot, std::size_t t) const noexcept { return slot / step[t] % radix; }
};

/// base^exponent, or SIZE_MAX when that overflows.
inline std::size_t saturating_power(std::size_t base, std::size_t exponent) noexcept {
  std::size_t result = 1;
  for (std::size_t i = 0; i < exponent; ++i) {
    if (result > SIZE_MAX / base) return SIZE_MAX;
    result *= base;
  }
  return result;
}

/// The plan for `inputs` partitions into `outputs`. With at most max_branch of either, one stage (it
/// has at most max_branch x max(inputs, outputs) edges: no staged graph does much better). Else, as
/// Dask: stages = ceil(log_max_branch(max(inputs, outputs))), and the smallest radix that gives that
/// many stages enough slots, so that the slots (and tasks) are not many more than the partitions.
inline ShufflePlan shuffle_plan(std::size_t inputs, std::size_t outputs, std::size_t max_branch) {
  ShufflePlan plan;
  if (std::min(inputs, outputs) <= max_branch) return plan;
  const std::size_t widest = std::max(inputs, outputs);
  while (saturating_power(max_branch, plan.stages) < widest) ++plan.stages;
  plan.radix = 2;
  while (saturating_power(plan.radix, plan.stages) < widest) ++plan.radix;
  for (std::size_t t = 0; t <= plan.stages; ++t) plan.step.push_back(saturating_power(plan.radix, t));
  return plan;
}

/// Appends `items` to `pieces`, cut by digit `t` (of `plan`) of their output partition.
template <class T>
void cut_by_digit(std::vector<Routed<T>>&& items, const ShufflePlan& plan, std::size_t t,
                  std::vector<std::vector<Routed<T>>>& pieces) {
  for (auto& item : items) pieces[plan.digit(item.bucket, t)].push_back(std::move(item));
}

/// The tasks of `layer` (one per slot, empty where no data can be) that send data to `slot` at stage
/// `t`: the slots that differ from it in digit t only, in slot order.
template <class P>
std::vector<Delayed<P>> stage_sources(const std::vector<Delayed<P>>& layer, const ShufflePlan& plan, std::size_t slot,
                                      std::size_t t) {
  const std::size_t first = slot - plan.digit(slot, t) * plan.step[t];
  std::vector<Delayed<P>> sources;
  for (std::size_t j = 0; j < plan.radix; ++j) {
    const std::size_t source = first + j * plan.step[t];
    if (layer[source].valid()) sources.push_back(layer[source]);
  }
  return sources;
}

/// Stage 0's input: each partition, in its own slot, cut by digit 0.
template <class T, class Key>
std::vector<Delayed<RoutedPieces<T>>> first_split(const Partitions<T>& parts, const Key& key, std::size_t n,
                                                  const ShufflePlan& plan) {
  auto split = delayed(
      [key, n, plan](std::vector<T> part) {
        std::vector<std::vector<Routed<T>>> pieces(plan.radix);
        for (auto&& x : part) {
          const std::size_t bucket = bucket_of(std::invoke(key, as_element<T>(x)), n);
          pieces[plan.digit(bucket, 0)].push_back(Routed<T>{bucket, T(std::move(x))});
        }
        return std::make_shared<Handoff<Routed<T>>>(std::move(pieces));
      },
      "groupby-split");
  std::vector<Delayed<RoutedPieces<T>>> layer(plan.slots());
  for (std::size_t p = 0; p < parts.size(); ++p) layer[p] = split(parts[p]);
  return layer;
}

/// Stage t (not the last): every slot that can receive data gathers its pieces and cuts them by digit
/// t + 1. A slot whose low t + 1 digits are n or more cannot: no output partition ends with them.
template <class T>
std::vector<Delayed<RoutedPieces<T>>> middle_stage(const std::vector<Delayed<RoutedPieces<T>>>& layer,
                                                   const ShufflePlan& plan, std::size_t t, std::size_t n) {
  auto regroup = delayed(
      [plan, t](const std::vector<RoutedPieces<T>>& sources, std::size_t piece) {
        std::vector<std::vector<Routed<T>>> pieces(plan.radix);
        for (const auto& source : sources) cut_by_digit(source->take(piece), plan, t + 1, pieces);
        return std::make_shared<Handoff<Routed<T>>>(std::move(pieces));
      },
      "groupby-stage");
  std::vector<Delayed<RoutedPieces<T>>> next(plan.slots());
  for (std::size_t slot = 0; slot < plan.slots(); ++slot) {
    if (slot % plan.step[t + 1] >= n) continue;
    auto sources = stage_sources(layer, plan, slot, t);
    if (!sources.empty()) next[slot] = regroup(std::move(sources), plan.digit(slot, t));
  }
  return next;
}

/// The last stage: output partition b gathers its pieces and groups them by key.
template <class K, class T, class Key>
Partitions<std::pair<K, std::vector<T>>> last_stage(const std::vector<Delayed<RoutedPieces<T>>>& layer,
                                                    const ShufflePlan& plan, Key key, std::size_t n) {
  auto collect = delayed(
      [key](const std::vector<RoutedPieces<T>>& sources, std::size_t piece) {
        InsertionOrderedMap<K, std::vector<T>> groups;
        for (const auto& source : sources) {
          for (auto& item : source->take(piece)) {
            groups.try_emplace(std::invoke(key, as_element<T>(item.value)), [] { return std::vector<T>{}; })
                .first->push_back(std::move(item.value));
          }
        }
        return std::move(groups).release();
      },
      "groupby-collect");
  const std::size_t t = plan.stages - 1;
  Partitions<std::pair<K, std::vector<T>>> out;
  out.reserve(n);
  for (std::size_t b = 0; b < n; ++b) out.push_back(collect(stage_sources(layer, plan, b, t), plan.digit(b, t)));
  return out;
}

/// groupby: a shuffle into `n` partitions by the hash of the key, in one stage or in several (see
/// shuffle_plan); each output partition holds (key, elements) pairs, the elements of a group in bag
/// order, the groups in order of first appearance.
template <class K, class T, class Key>
Partitions<std::pair<K, std::vector<T>>> groupby(const Partitions<T>& parts, Key key, std::size_t n,
                                                 std::size_t max_branch = default_max_branch) {
  check_max_branch(max_branch);
  const ShufflePlan plan = shuffle_plan(parts.size(), n, max_branch);
  if (plan.stages == 1) return one_stage_groupby<K, T>(parts, std::move(key), n);
  auto layer = first_split(parts, key, n, plan);
  for (std::size_t t = 0; t + 1 < plan.stages; ++t) layer = middle_stage(layer, plan, t, n);
  return last_stage<K, T>(layer, plan, std::move(key), n);
}

}  // namespace dagflow::detail
