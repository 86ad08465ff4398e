// Reductions of Bag, all built the way Dask builds them: one "<name>-partition" task per partition
// computes a partial result, and "<name>-aggregate" tasks combine the partials `split_every` at a time,
// level by level, until one task produces the answer. The tree bounds both the fan-in of a task and the
// depth of the graph (log base split_every of the partition count), and keeps partition order, so an
// aggregate need only be associative, not commutative.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "dagflow/delayed.hpp"
#include "dagflow/detail/bag_concepts.hpp"
#include "dagflow/detail/bag_partitions.hpp"
#include "dagflow/errors.hpp"

namespace dagflow::detail {

/// Combines `level` with `combine` (std::vector<P> -> P) in groups of `split_every` until at most
/// `split_every` partials are left, which `finish` (std::vector<P> -> R) turns into the result.
template <class P, class Combine, class Finish>
auto tree_reduce(std::vector<Delayed<P>> level, const DelayedFunction<Combine>& combine,
                 const DelayedFunction<Finish>& finish, std::size_t split_every) {
  while (level.size() > split_every) {
    std::vector<Delayed<P>> next;
    next.reserve((level.size() + split_every - 1) / split_every);
    for (std::size_t first = 0; first < level.size(); first += split_every) {
      const auto begin = level.begin() + static_cast<std::ptrdiff_t>(first);
      const auto end = level.begin() + static_cast<std::ptrdiff_t>(std::min(level.size(), first + split_every));
      next.push_back(combine(std::vector<Delayed<P>>(std::make_move_iterator(begin), std::make_move_iterator(end))));
    }
    level = std::move(next);
  }
  return finish(level);
}

/// The whole reduction: `per_partition` on every partition, then the tree of `combine`, ending in
/// `finish`. Tasks are named "<name>-partition" and "<name>-aggregate".
template <class T, class PerPartition, class Combine, class Finish>
auto reduce_partitions(const Partitions<T>& parts, const char* name, std::size_t split_every,
                       PerPartition per_partition, Combine combine, Finish finish) {
  check_split_every(split_every, name);
  const auto per_task = delayed(std::move(per_partition), std::string(name) + "-partition");
  using Partial = decltype(per_task(std::declval<const Delayed<std::vector<T>>&>()));
  std::vector<Partial> partials;
  partials.reserve(parts.size());
  for (const auto& part : parts) partials.push_back(per_task(part));
  const auto combine_task = delayed(std::move(combine), std::string(name) + "-aggregate");
  const auto finish_task = delayed(std::move(finish), std::string(name) + "-aggregate");
  return tree_reduce(std::move(partials), combine_task, finish_task, split_every);
}

/// Folds a list of partials left to right with `combine`; `empty` is the answer for no partials.
template <class P, class Combine>
P fold_partials(std::vector<P>&& partials, const Combine& combine, P empty) {
  if (partials.empty()) return empty;
  P acc = std::move(partials.front());
  for (std::size_t i = 1; i < partials.size(); ++i) acc = std::invoke(combine, std::move(acc), std::move(partials[i]));
  return acc;
}

// --- generic ------------------------------------------------------------------------------------------

/// reduction(perpartition, aggregate): Dask's; `aggregate` also combines the inner levels of the tree.
template <class T, class PerPartition, class Aggregate>
auto reduction(const Partitions<T>& parts, PerPartition per_partition, Aggregate aggregate, std::size_t split_every) {
  using P = CallResult<PerPartition, std::vector<T>>;
  auto combine = [aggregate = std::move(aggregate)](std::vector<P> partials) -> P {
    return std::invoke(aggregate, std::move(partials));
  };
  auto finish = combine;
  return reduce_partitions(parts, "reduction", split_every, std::move(per_partition), std::move(combine),
                           std::move(finish));
}

/// fold(binop, combine, initial): binop folds each partition starting from `initial`; combine folds the
/// partials (a bag without partitions folds to `initial`).
template <class A, class T, class Binop, class Combine>
Delayed<A> fold(const Partitions<T>& parts, Binop binop, Combine combine, A initial, std::size_t split_every) {
  auto per_partition = [binop = std::move(binop), initial](const std::vector<T>& part) -> A {
    A acc = initial;
    for (const auto& x : part) acc = std::invoke(binop, std::move(acc), x);
    return acc;
  };
  auto combine_partials = [combine = std::move(combine), initial](std::vector<A> partials) -> A {
    return fold_partials<A>(std::move(partials), combine, initial);
  };
  auto finish = combine_partials;
  return reduce_partitions(parts, "fold", split_every, std::move(per_partition), std::move(combine_partials),
                           std::move(finish));
}

// --- count, sum, any, all ---------------------------------------------------------------------------

template <class T>
Delayed<std::size_t> count(const Partitions<T>& parts, std::size_t split_every) {
  auto add = [](std::vector<std::size_t> counts) {
    std::size_t total = 0;
    for (std::size_t c : counts) total += c;
    return total;
  };
  return reduce_partitions(
      parts, "count", split_every, [](const std::vector<T>& part) { return part.size(); }, add, add);
}

/// The type of a + b for two elements (int for bool or char, as in C++ arithmetic).
template <class T>
using SumType = std::remove_cvref_t<decltype(std::declval<const T&>() + std::declval<const T&>())>;

template <class T>
Delayed<SumType<T>> sum(const Partitions<T>& parts, std::size_t split_every) {
  using S = SumType<T>;
  // `std::move(acc) + x` lets a std::string sum append in place instead of copying at every step.
  auto per_partition = [](const std::vector<T>& part) {
    S acc{};
    for (const auto& x : part) acc = std::move(acc) + x;
    return acc;
  };
  auto add = [](std::vector<S> partials) {
    return fold_partials<S>(
        std::move(partials), [](S a, const S& b) { return std::move(a) + b; }, S{});
  };
  return reduce_partitions(parts, "sum", split_every, per_partition, add, add);
}

/// any (want == true) or all (want == false): Python's truthiness of the elements; any of nothing is
/// false and all of nothing is true.
template <bool want, class T>
Delayed<bool> any_or_all(const Partitions<T>& parts, std::size_t split_every) {
  auto per_partition = [](const std::vector<T>& part) {
    for (const auto& x : part)
      if (static_cast<bool>(x) == want) return want;
    return !want;
  };
  auto combine = [](std::vector<bool> partials) {
    for (bool p : partials)
      if (p == want) return want;
    return !want;
  };
  return reduce_partitions(parts, want ? "any" : "all", split_every, per_partition, combine, combine);
}

// --- mean, var, std ---------------------------------------------------------------------------------

/// Neumaier-compensated sum and count: a mean of millions of elements keeps full double precision.
struct MeanPartial {
  double sum = 0;
  double compensation = 0;
  std::size_t count = 0;

  void add(double x) noexcept {
    const double t = sum + x;
    compensation += std::abs(sum) >= std::abs(x) ? (sum - t) + x : (x - t) + sum;
    sum = t;
  }
  void merge(const MeanPartial& other) noexcept {
    add(other.sum);
    compensation += other.compensation;
    count += other.count;
  }
  /// cereal: partials travel between MPI ranks.
  template <class Archive>
  void serialize(Archive& archive) {
    archive(sum, compensation, count);
  }
};

template <class T>
Delayed<double> mean(const Partitions<T>& parts, std::size_t split_every) {
  auto per_partition = [](const std::vector<T>& part) {
    MeanPartial partial;
    for (const auto& x : part) partial.add(static_cast<double>(x));
    partial.count = part.size();
    return partial;
  };
  auto combine = [](std::vector<MeanPartial> partials) {
    MeanPartial total;
    for (const auto& p : partials) total.merge(p);
    return total;
  };
  auto finish = [combine](std::vector<MeanPartial> partials) {
    const MeanPartial total = combine(std::move(partials));
    if (total.count == 0) throw UsageError("dagflow: Bag::mean of an empty bag");
    return (total.sum + total.compensation) / static_cast<double>(total.count);
  };
  return reduce_partitions(parts, "mean", split_every, per_partition, combine, finish);
}

/// Count, mean and sum of squared deviations of a partition; merged with Chan et al.'s pairwise
/// formula, which (unlike Dask's sum of squares) does not lose precision when the mean is large.
struct Moments {
  double count = 0;
  double mean = 0;
  double m2 = 0;

  /// cereal: partials travel between MPI ranks.
  template <class Archive>
  void serialize(Archive& archive) {
    archive(count, mean, m2);
  }

  void merge(const Moments& other) noexcept {
    if (other.count == 0) return;
    const double n = count + other.count;
    const double delta = other.mean - mean;
    mean += delta * other.count / n;
    m2 += other.m2 + delta * delta * count * other.count / n;
    count = n;
  }
};

/// var(ddof) (take_root == false) or std(ddof) (true). Throws UsageError inside the task when the bag
/// has no more than ddof elements.
template <class T>
Delayed<double> variance(const Partitions<T>& parts, std::size_t ddof, bool take_root, std::size_t split_every) {
  auto per_partition = [](const std::vector<T>& part) {
    Moments m;
    if (part.empty()) return m;
    double total = 0;
    for (const auto& x : part) total += static_cast<double>(x);
    m.count = static_cast<double>(part.size());
    m.mean = total / m.count;
    for (const auto& x : part) m.m2 += (static_cast<double>(x) - m.mean) * (static_cast<double>(x) - m.mean);
    return m;
  };
  auto combine = [](std::vector<Moments> partials) {
    Moments total;
    for (const auto& p : partials) total.merge(p);
    return total;
  };
  const char* name = take_root ? "std" : "var";
  auto finish = [combine, ddof, take_root, name](std::vector<Moments> partials) {
    const Moments total = combine(std::move(partials));
    if (total.count <= static_cast<double>(ddof))
      throw UsageError(std::string("dagflow: Bag::") + name + "(ddof = " + std::to_string(ddof) + ") needs more than " +
                       std::to_string(ddof) + " elements, the bag has " +
                       std::to_string(static_cast<std::size_t>(total.count)));
    const double v = total.m2 / (total.count - static_cast<double>(ddof));
    return take_root ? std::sqrt(v) : v;
  };
  return reduce_partitions(parts, name, split_every, per_partition, combine, finish);
}

// --- min, max -----------------------------------------------------------------------------------------

/// min (want_max == false) or max (true); among equal extremes the first in bag order wins. Throws
/// UsageError inside the task for an empty bag.
template <bool want_max, class T>
Delayed<T> extreme(const Partitions<T>& parts, std::size_t split_every) {
  constexpr const char* name = want_max ? "max" : "min";
  auto better = [](const T& candidate, const T& best) { return want_max ? best < candidate : candidate < best; };
  auto per_partition = [better](const std::vector<T>& part) -> std::optional<T> {
    if (part.empty()) return std::nullopt;
    auto best = part.begin();
    for (auto it = std::next(part.begin()); it != part.end(); ++it)
      if (better(*it, *best)) best = it;
    return std::optional<T>(*best);
  };
  auto combine = [better](std::vector<std::optional<T>> partials) -> std::optional<T> {
    std::optional<T> best;
    for (auto& p : partials)
      if (p && (!best || better(*p, *best))) best = std::move(p);
    return best;
  };
  auto finish = [combine](std::vector<std::optional<T>> partials) -> T {
    std::optional<T> best = combine(std::move(partials));
    if (!best) throw UsageError(std::string("dagflow: Bag::") + name + " of an empty bag");
    return std::move(*best);
  };
  return reduce_partitions(parts, name, split_every, per_partition, combine, finish);
}

}  // namespace dagflow::detail
