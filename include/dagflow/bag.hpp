// Bag<T>: Dask's partitioned collection. A bag is a list of partitions, each a task that produces a
// std::vector<T>; every operation on a bag records more tasks in the same graph as `delayed`, and
// nothing runs until compute().
//
//   auto words = dagflow::bag::from_sequence(std::vector<std::string>{"mary", "had", "a", "little", "lamb"});
//   auto upper = words.map([](std::string w) { for (auto& c : w) c = std::toupper(c); return w; });
//   upper.compute();                                                  // MARY HAD A LITTLE LAMB
//   words.filter([](const std::string& w) { return w.find('a') != std::string::npos; }).compute();
//   words.map([](const std::string& w) { return w.size(); }).sum().compute();   // 18
//
// Element-wise operations keep the partitioning (one task per partition); reductions return a
// Delayed<R> built as a tree of tasks; grouping operations return bags of pairs. See docs/bag.md.
#pragma once

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <optional>
#include <ranges>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "dagflow/delayed.hpp"
#include "dagflow/detail/bag_concepts.hpp"
#include "dagflow/detail/bag_elementwise.hpp"
#include "dagflow/detail/bag_grouping.hpp"
#include "dagflow/detail/bag_partitions.hpp"
#include "dagflow/detail/bag_reductions.hpp"
#include "dagflow/detail/bag_restructure.hpp"
#include "dagflow/detail/bag_topk.hpp"
#include "dagflow/errors.hpp"
#include "dagflow/options.hpp"
#include "dagflow/visualize.hpp"

namespace dagflow {

/// How bag::from_sequence cuts a sequence into partitions. Give at most one of the two; with neither,
/// Dask's default applies (one element per partition up to 100 elements, else partitions of
/// ceil(sqrt(n) / 10) elements).
struct PartitionOptions {
  /// Exactly this many partitions, contiguous, of sizes differing by at most one (some are empty when
  /// there are fewer elements than partitions). Must be at least 1 and at most
  /// detail::max_partitions() (about 2^60; a larger count, such as SIZE_MAX, is a UsageError).
  /// Every count in between is honoured, memory permitting: each partition is a task.
  std::optional<std::size_t> npartitions = std::nullopt;
  /// Partitions of this many elements, the last possibly shorter. Must be at least 1.
  std::optional<std::size_t> partition_size = std::nullopt;
};

/// How a Bag reduction lays out its tree of tasks.
struct ReductionOptions {
  /// How many partial results one aggregate task combines; at least 2. Smaller values give a deeper
  /// tree of smaller tasks, larger values a shallower one.
  std::size_t split_every = 8;
};

template <class T>
class Bag;

namespace detail {
template <class T>
Bag<T> make_bag(Partitions<T> partitions) {
  return Bag<T>(std::move(partitions));
}
}  // namespace detail

/// A lazy, partitioned collection of T (Dask's dask.bag.Bag).
///
/// A Bag is a cheap handle on a list of partitions, each a `Delayed<std::vector<T>>`; copies share
/// them. Operations return new bags (or Delayed results) and never modify this one. Functions given to
/// operations run on worker threads, several at once, through a const reference: they must be safe to
/// call that way. An exception a function throws reaches compute()'s caller as dagflow::TaskError
/// naming the task (e.g. "map-1f3a9c2e"). Errors in the call itself (a zero partition count, bags that
/// do not line up) throw dagflow::UsageError at once; errors that depend on the data (the mean of an
/// empty bag, zip of partitions of different lengths) are dagflow::UsageErrors thrown inside a task,
/// so they reach compute()'s caller as a TaskError whose original() is that UsageError.
template <class T>
class Bag {
  static_assert(std::is_object_v<T> && !std::is_const_v<T>,
                "dagflow::Bag<T>: T must be a non-const object type (not a reference, void or const)");

 public:
  /// The element type, T.
  using value_type = T;
  /// What one partition's task produces: the partition's elements, `std::vector<T>`.
  using partition_type = std::vector<T>;

  /// A bag without partitions (and so without elements).
  Bag() = default;

  /// A bag of the given partitions, in order. Throws UsageError when one is an empty Delayed.
  explicit Bag(std::vector<Delayed<std::vector<T>>> partitions) : parts_(std::move(partitions)) {
    for (std::size_t i = 0; i < parts_.size(); ++i) {
      if (!parts_[i].valid())
        throw UsageError("dagflow: Bag: partition " + std::to_string(i) + " is an empty Delayed (default-constructed)");
    }
  }

  // --- the partitions, computing, drawing -----------------------------------------------------------

  /// Number of partitions (tasks whose results make up the bag).
  std::size_t npartitions() const noexcept { return parts_.size(); }

  /// The partitions' promises, in order, e.g. to pass them to `delayed` functions.
  std::vector<Delayed<std::vector<T>>> to_delayed() const { return parts_; }

  /// Computes every partition in one run and returns all elements in partition order. Throws
  /// TaskError when a task throws.
  std::vector<T> compute(const ComputeOptions& options = {}) const {
    if (parts_.empty()) return {};
    return detail::concat_vectors(dagflow::compute(parts_, options));
  }

  /// Computes every partition now and returns a bag of the results, so later graphs built on it do not
  /// recompute them. Throws like compute().
  Bag persist(const ComputeOptions& options = {}) const {
    if (parts_.empty()) return *this;
    std::vector<std::vector<T>> values = dagflow::compute(parts_, options);
    detail::Partitions<T> kept;
    kept.reserve(values.size());
    for (std::size_t i = 0; i < values.size(); ++i)
      kept.push_back(detail::constant(std::move(values[i]), std::make_shared<const std::string>(parts_[i].name())));
    return Bag(std::move(kept));
  }

  /// Graphviz DOT text of the graph that computes every partition.
  std::string to_dot(const VisualizeOptions& options = {}) const { return detail::to_dot(roots(), options); }

  /// Draws the graph that computes every partition to `path` (.dot, .svg, .png or .pdf), which appears
  /// complete or not at all. Throws UsageError for another extension, Error when Graphviz is needed and
  /// missing or fails, or the file cannot be written.
  void visualize(const std::filesystem::path& path, const VisualizeOptions& options = {}) const {
    detail::visualize(roots(), path, options);
  }

  // --- element-wise (one task per partition, same partitioning) ------------------------------------

  /// f(x, args...) for every element x. Each extra argument is a plain value (stored once and read in
  /// place by every task) or a `Delayed<U>` (f then receives its value, a `const U&`), as Dask's
  /// `map(f, *args)`. When f returns T, the partition's storage is reused; when f takes its element by
  /// value, elements are moved into it.
  template <class F, class... Args>
    requires detail::element_function<F, T, detail::ExtraValue<Args>...>
  auto map(F f, Args&&... args) const {
    return detail::make_bag(
        detail::map_elements<T>(parts_, std::move(f), detail::as_task(std::forward<Args>(args), "map")...));
  }

  /// f(get<0>(x), get<1>(x), ...) for every tuple-like element x (std::pair, std::tuple, std::array).
  template <class F>
    requires detail::applicable_function<F, T>
  auto starmap(F f) const {
    return detail::make_bag(detail::starmap_elements<T>(parts_, std::move(f)));
  }

  /// The elements for which `predicate` is true, in order.
  template <class F>
    requires detail::bag_predicate<F, T>
  Bag filter(F predicate) const {
    return Bag(detail::filter_elements<true, T>(parts_, std::move(predicate), "filter"));
  }

  /// The elements for which `predicate` is false, in order.
  template <class F>
    requires detail::bag_predicate<F, T>
  Bag remove(F predicate) const {
    return Bag(detail::filter_elements<false, T>(parts_, std::move(predicate), "remove"));
  }

  /// The items of every element (each element is a range: a vector, a string, ...), in order:
  /// `Bag<std::vector<U>>` becomes `Bag<U>`.
  auto flatten() const
    requires std::ranges::input_range<T>
  {
    return detail::make_bag(detail::flatten_elements<T>(parts_));
  }

  /// Member I of every tuple-like element: Bag<std::pair<K, V>>::pluck<1>() is a Bag<V>.
  template <std::size_t I>
    requires detail::tuple_like<T> && (I < std::tuple_size_v<T>)
  auto pluck() const {
    return detail::make_bag(detail::pluck_member<I, T>(parts_));
  }

  /// Item `index` of every element that is a random-access range. An element with too few items makes
  /// the task throw UsageError.
  auto pluck(std::size_t index) const
    requires std::ranges::random_access_range<T> && std::ranges::sized_range<T>
  {
    return detail::make_bag(detail::pluck_index<T>(parts_, index));
  }

  /// f(partition, args...) for every whole partition (a const std::vector<T>&, or moved in when f takes
  /// it by value); f returns a `std::vector<U>` or any other range of U. Extra arguments as for map.
  template <class F, class... Args>
    requires detail::partition_function<F, T, detail::ExtraValue<Args>...>
  auto map_partitions(F f, Args&&... args) const {
    return detail::make_bag(detail::map_whole_partitions<T>(
        parts_, std::move(f), detail::as_task(std::forward<Args>(args), "map_partitions")...));
  }

  /// The running binop over the whole bag, in order across partitions (Dask's accumulate): the result
  /// starts with `initial`, then binop(initial, x0), binop(that, x1), ... and so has one element more
  /// than the bag. Partition i's task waits for partition i - 1's.
  template <class F, class A>
    requires detail::accumulate_operator<F, std::decay_t<A>, T> && std::copy_constructible<std::decay_t<A>>
  Bag<std::decay_t<A>> accumulate(F binop, A&& initial) const {
    return detail::make_bag(detail::accumulate_elements<std::decay_t<A>, T>(
        parts_, std::move(binop), std::optional<std::decay_t<A>>(std::forward<A>(initial))));
  }

  /// The running binop without an initial value: x0, binop(x0, x1), ...; as many elements as the bag.
  template <class F>
    requires detail::accumulate_operator<F, T, T> && std::copy_constructible<T>
  Bag accumulate(F binop) const {
    return Bag(detail::accumulate_elements<T, T>(parts_, std::move(binop), std::nullopt));
  }

  // --- reductions (tree of tasks; each returns a Delayed) -----------------------------------------------

  /// Dask's reduction: `perpartition(partition)` gives a partial result P for every partition, and
  /// `aggregate(std::vector<P>)` combines partials, `options.split_every` at a time, level by level,
  /// into one P (so it must accept its own results). Throws UsageError when split_every < 2.
  template <class PerPartition, class Aggregate>
    requires detail::bag_function<PerPartition, std::vector<T>> &&
             detail::aggregate_function<Aggregate, detail::CallResult<PerPartition, std::vector<T>>>
  auto reduction(PerPartition perpartition, Aggregate aggregate, ReductionOptions options = {}) const {
    return detail::reduction<T>(parts_, std::move(perpartition), std::move(aggregate), options.split_every);
  }

  /// Folds every partition with binop(acc, x) starting from `initial`, then folds the partitions'
  /// results with combine(acc, partial) (so `initial` should be binop's identity). Throws UsageError
  /// when split_every < 2.
  template <class Binop, class Combine, class A>
    requires detail::fold_operators<Binop, Combine, std::decay_t<A>, T>
  Delayed<std::decay_t<A>> fold(Binop binop, Combine combine, A&& initial, ReductionOptions options = {}) const {
    return detail::fold<std::decay_t<A>, T>(parts_, std::move(binop), std::move(combine), std::forward<A>(initial),
                                            options.split_every);
  }

  /// fold with binop also combining the partitions' results (binop(acc, acc) must work).
  template <class Binop, class A>
    requires detail::fold_operators<Binop, Binop, std::decay_t<A>, T>
  Delayed<std::decay_t<A>> fold(Binop binop, A&& initial, ReductionOptions options = {}) const {
    Binop combine = binop;
    return fold(std::move(binop), std::move(combine), std::forward<A>(initial), options);
  }

  /// Number of elements.
  Delayed<std::size_t> count(ReductionOptions options = {}) const {
    return detail::count<T>(parts_, options.split_every);
  }

  /// Sum of the elements, of the type of x + y (int for a bag of bool or char); 0 (T{}) when empty.
  auto sum(ReductionOptions options = {}) const
    requires detail::summable<T>
  {
    return detail::sum<T>(parts_, options.split_every);
  }

  /// Arithmetic mean, as a double (summed with compensation, so it keeps full precision). An empty bag
  /// makes the task throw UsageError.
  Delayed<double> mean(ReductionOptions options = {}) const
    requires detail::real_valued<T>
  {
    return detail::mean<T>(parts_, options.split_every);
  }

  /// Smallest element (the first of equal ones). An empty bag makes the task throw UsageError.
  Delayed<T> min(ReductionOptions options = {}) const
    requires std::totally_ordered<T> && std::copy_constructible<T>
  {
    return detail::extreme<false, T>(parts_, options.split_every);
  }

  /// Largest element (the first of equal ones). An empty bag makes the task throw UsageError.
  Delayed<T> max(ReductionOptions options = {}) const
    requires std::totally_ordered<T> && std::copy_constructible<T>
  {
    return detail::extreme<true, T>(parts_, options.split_every);
  }

  /// Variance: the sum of squared deviations from the mean divided by (count - ddof); ddof = 1 gives
  /// the sample variance. A bag of no more than ddof elements makes the task throw UsageError.
  Delayed<double> var(std::size_t ddof = 0, ReductionOptions options = {}) const
    requires detail::real_valued<T>
  {
    return detail::variance<T>(parts_, ddof, false, options.split_every);
  }

  /// Standard deviation, the square root of var(ddof); throws as var does.
  Delayed<double> std(std::size_t ddof = 0, ReductionOptions options = {}) const
    requires detail::real_valued<T>
  {
    return detail::variance<T>(parts_, ddof, true, options.split_every);
  }

  /// True when some element is true (converts to true); false for an empty bag.
  Delayed<bool> any(ReductionOptions options = {}) const
    requires detail::truth_valued<T>
  {
    return detail::any_or_all<true, T>(parts_, options.split_every);
  }

  /// True when every element is true (converts to true); true for an empty bag.
  Delayed<bool> all(ReductionOptions options = {}) const
    requires detail::truth_valued<T>
  {
    return detail::any_or_all<false, T>(parts_, options.split_every);
  }

  // --- grouping (bags of pairs) ------------------------------------------------------------------------

  /// How often each distinct element occurs: one partition of (element, count) pairs in order of first
  /// appearance. Each partition is counted into a hash map and the maps are merged as a tree.
  Bag<std::pair<T, std::size_t>> frequencies(ReductionOptions options = {}) const
    requires detail::hashable_key<T>
  {
    return detail::make_bag(detail::frequencies<T>(parts_, options.split_every));
  }

  /// Group-by as a tree reduction (Dask's foldby): per partition, the elements of each key are folded
  /// with binop(acc, x) from `initial`; then, per key, the partitions' accumulators are folded with
  /// combine(acc, partial) from `combine_initial`. One partition of (key, value) pairs, keys in order of
  /// first appearance. Prefer it to groupby whenever the groups can be reduced as they are formed.
  template <class Key, class Binop, class V, class Combine>
    requires detail::foldby_functions<Key, Binop, Combine, std::decay_t<V>, T>
  auto foldby(Key key, Binop binop, V&& initial, Combine combine, std::type_identity_t<std::decay_t<V>> combine_initial,
              ReductionOptions options = {}) const {
    using K = detail::CallResult<Key, T>;
    return detail::make_bag(detail::foldby<K, std::decay_t<V>, T>(
        parts_, std::move(key), std::move(binop), std::decay_t<V>(std::forward<V>(initial)), std::move(combine),
        std::move(combine_initial), options.split_every));
  }

  /// foldby with `initial` also starting each key's combination.
  template <class Key, class Binop, class V, class Combine>
    requires detail::foldby_functions<Key, Binop, Combine, std::decay_t<V>, T>
  auto foldby(Key key, Binop binop, V&& initial, Combine combine, ReductionOptions options = {}) const {
    std::decay_t<V> start(std::forward<V>(initial));
    auto combine_initial = start;
    return foldby(std::move(key), std::move(binop), std::move(start), std::move(combine), std::move(combine_initial),
                  options);
  }

  /// foldby with binop also combining the partitions' accumulators (binop(acc, acc) must work).
  template <class Key, class Binop, class V>
    requires detail::foldby_functions<Key, Binop, Binop, std::decay_t<V>, T>
  auto foldby(Key key, Binop binop, V&& initial, ReductionOptions options = {}) const {
    Binop combine = binop;
    return foldby(std::move(key), std::move(binop), std::forward<V>(initial), std::move(combine), options);
  }

  /// Group-by as a shuffle (Dask's groupby): every element moves to output partition
  /// hash(key) % npartitions (default: as many as this bag has, at least one), which holds
  /// (key, elements) pairs, keys in order of first appearance and each group's elements in bag order.
  /// With at most `max_branch` (default 32, as Dask) input or output partitions, the shuffle is one
  /// stage, an edge from every input to every output partition. With more of both it is staged, as
  /// Dask's tasks shuffle: ceil(log_max_branch(max(inputs, outputs))) stages, each moving every element
  /// one digit (in a base of at most max_branch) closer to its output partition, each task merging at
  /// most max_branch pieces, so the graph has about stages x max_branch x max(inputs, outputs) edges
  /// instead of inputs x outputs (10^4 into 10^4 partitions: under 10^6 instead of 10^8). Smaller max_branch
  /// gives more stages of smaller tasks. Elements are moved, never copied, from stage to stage. Use
  /// foldby when the groups are only reduced. Throws UsageError when npartitions is 0 or above
  /// detail::max_partitions(), or max_branch is less than 2.
  template <class Key>
    requires detail::key_function<Key, T>
  auto groupby(Key key, std::optional<std::size_t> npartitions = std::nullopt,
               std::optional<std::size_t> max_branch = std::nullopt) const {
    if (npartitions) detail::check_partition_count(*npartitions, "Bag::groupby: npartitions");
    using K = detail::CallResult<Key, T>;
    const std::size_t n = npartitions.value_or(std::max<std::size_t>(1, parts_.size()));
    return detail::make_bag(
        detail::groupby<K, T>(parts_, std::move(key), n, max_branch.value_or(detail::default_max_branch)));
  }

  /// Each distinct element once, in order of first appearance, in one partition.
  Bag distinct(ReductionOptions options = {}) const
    requires detail::hashable_key<T>
  {
    return Bag(detail::distinct<T>(parts_, options.split_every));
  }

  /// The first element of each distinct key, in order of first appearance, in one partition.
  template <class Key>
    requires detail::key_function<Key, T>
  Bag distinct(Key key, ReductionOptions options = {}) const {
    return Bag(detail::distinct_by<detail::CallResult<Key, T>, T>(parts_, std::move(key), options.split_every));
  }

  /// The k largest elements, largest first (equal ones in bag order), in one partition.
  Bag topk(std::size_t k, ReductionOptions options = {}) const
    requires std::totally_ordered<T>
  {
    return Bag(detail::topk<T>(parts_, k, detail::IdentityKey{}, options.split_every));
  }

  /// The k elements with the largest key(x), largest first (equal keys in bag order), in one partition.
  template <class Key>
    requires detail::ordering_key<Key, T>
  Bag topk(std::size_t k, Key key, ReductionOptions options = {}) const {
    return Bag(detail::topk<T>(parts_, k, std::move(key), options.split_every));
  }

  /// The first k elements (fewer if the bag is smaller), computed now. Computes partition 0, then the
  /// next partitions one at a time only while it still lacks elements, so a bag's head is cheap to look
  /// at. Throws TaskError when a task throws.
  std::vector<T> take(std::size_t k, const ComputeOptions& options = {}) const {
    std::vector<T> out;
    for (const auto& part : parts_) {
      if (out.size() >= k) break;
      std::vector<T> items = part.compute(options);
      const auto wanted = static_cast<std::ptrdiff_t>(std::min(items.size(), k - out.size()));
      out.insert(out.end(), std::make_move_iterator(items.begin()), std::make_move_iterator(items.begin() + wanted));
    }
    return out;
  }

  // --- restructuring -------------------------------------------------------------------------------------

  /// The same elements in the same order in `n` partitions: consecutive partitions are concatenated, or
  /// partitions cut into balanced pieces. Throws UsageError when n is 0 or above detail::max_partitions().
  Bag repartition(std::size_t n) const { return Bag(detail::repartition<T>(parts_, n)); }

  /// Inner join: (x, y) for every x of this bag and y of `other` with key(x) == other_key(y), in the
  /// order of this bag, then of `other`. `other` is gathered into one hash index (so it should be the
  /// smaller side); the result has this bag's partitioning.
  template <class U, class Key, class OtherKey>
    requires detail::join_keys<Key, T, OtherKey, U>
  Bag<std::pair<T, U>> join(const Bag<U>& other, Key key, OtherKey other_key) const {
    using K = detail::CallResult<Key, T>;
    return detail::make_bag(detail::join<K, T, U>(parts_, other.to_delayed(), std::move(key), std::move(other_key)));
  }

  /// Inner join with the same key function on both sides.
  template <class U, class Key>
    requires detail::join_keys<Key, T, Key, U>
  Bag<std::pair<T, U>> join(const Bag<U>& other, Key key) const {
    Key other_key = key;
    return join(other, std::move(key), std::move(other_key));
  }

  /// Inner join with an in-memory sequence (Dask accepts any iterable as `other`).
  template <class U, class Key, class OtherKey>
    requires detail::join_keys<Key, T, OtherKey, U>
  Bag<std::pair<T, U>> join(std::vector<U> other, Key key, OtherKey other_key) const {
    Bag<U> other_bag({value(std::move(other), "join-other")});
    return join(other_bag, std::move(key), std::move(other_key));
  }

  /// Cartesian product: every (x, y) with x in this bag and y in `other`; partition i * m + j pairs
  /// this bag's partition i with other's partition j (m = other.npartitions()).
  template <class U>
    requires std::copy_constructible<T> && std::copy_constructible<U>
  Bag<std::pair<T, U>> product(const Bag<U>& other) const {
    return detail::make_bag(detail::product<T, U>(parts_, other.to_delayed()));
  }

 private:
  std::vector<detail::Node*> roots() const {
    std::vector<detail::Node*> nodes;
    nodes.reserve(parts_.size());
    for (const auto& part : parts_) nodes.push_back(detail::DelayedAccess::node(part));
    return nodes;
  }

  std::vector<Delayed<std::vector<T>>> parts_;
};

/// Constructors of bags (Dask's dask.bag module).
namespace bag {

using dagflow::PartitionOptions;
using dagflow::ReductionOptions;

/// A bag whose partitions are the given tasks, in order. Throws UsageError when one is empty.
template <class T>
Bag<T> from_delayed(std::vector<Delayed<std::vector<T>>> partitions) {
  return Bag<T>(std::move(partitions));
}

/// A bag of one partition, the given task. Throws UsageError when it is empty.
template <class T>
Bag<T> from_delayed(const Delayed<std::vector<T>>& partition) {
  return Bag<T>(std::vector<Delayed<std::vector<T>>>{partition});
}

/// A bag of the elements of `sequence`, cut into contiguous partitions as `options` says (see
/// PartitionOptions; an empty sequence gives one empty partition unless npartitions asks for more).
/// Each partition is a constant task that consumers read in place. Throws UsageError for a zero
/// npartitions or partition_size, an npartitions above detail::max_partitions() (e.g. SIZE_MAX), or
/// both options at once; std::bad_alloc when the partitions asked for do not fit in memory.
template <class T>
Bag<T> from_sequence(std::vector<T> sequence, PartitionOptions options = {}) {
  const auto bounds = detail::sequence_bounds(sequence.size(), options.npartitions, options.partition_size);
  const auto name = std::make_shared<const std::string>("from_sequence");
  detail::Partitions<T> parts;
  parts.reserve(bounds.size() - 1);
  for (std::size_t i = 0; i + 1 < bounds.size(); ++i) {
    const auto first = sequence.begin() + static_cast<std::ptrdiff_t>(bounds[i]);
    const auto last = sequence.begin() + static_cast<std::ptrdiff_t>(bounds[i + 1]);
    parts.push_back(
        detail::constant(std::vector<T>(std::make_move_iterator(first), std::make_move_iterator(last)), name));
  }
  return Bag<T>(std::move(parts));
}

/// from_sequence of a braced list, e.g. `from_sequence({1, 2, 3})`.
template <class T>
Bag<T> from_sequence(std::initializer_list<T> sequence, PartitionOptions options = {}) {
  return from_sequence(std::vector<T>(sequence), options);
}

/// from_sequence of any other input range (a std::deque, a std::views::iota, ...), copied.
template <std::ranges::input_range R>
  requires(!std::same_as<std::remove_cvref_t<R>, std::vector<std::ranges::range_value_t<R>>>)
auto from_sequence(R&& range, PartitionOptions options = {}) {
  using T = std::ranges::range_value_t<R>;
  std::vector<T> sequence;
  for (auto&& x : range) sequence.push_back(std::forward<decltype(x)>(x));
  return from_sequence(std::move(sequence), options);
}

/// The integers 0, 1, ..., n - 1 in exactly `npartitions` balanced partitions (some empty when n <
/// npartitions), each generated by its own task. Throws UsageError when n < 0, or npartitions is 0 or
/// above detail::max_partitions() (e.g. SIZE_MAX); std::bad_alloc when that many tasks do not fit in
/// memory.
inline Bag<std::int64_t> range(std::int64_t n, std::size_t npartitions) {
  if (n < 0) throw UsageError("dagflow: bag::range: n must be >= 0, got " + std::to_string(n));
  detail::check_partition_count(npartitions, "bag::range: npartitions");
  const auto make = delayed(
      [](std::int64_t first, std::int64_t last) {
        std::vector<std::int64_t> out(static_cast<std::size_t>(last - first));
        for (std::int64_t i = first; i < last; ++i) out[static_cast<std::size_t>(i - first)] = i;
        return out;
      },
      "range");
  const auto bounds = detail::balanced_bounds(static_cast<std::size_t>(n), npartitions);
  detail::Partitions<std::int64_t> parts;
  parts.reserve(npartitions);
  for (std::size_t i = 0; i < npartitions; ++i)
    parts.push_back(make(static_cast<std::int64_t>(bounds[i]), static_cast<std::int64_t>(bounds[i + 1])));
  return Bag<std::int64_t>(std::move(parts));
}

/// One bag holding the partitions of all `bags`, in order (no tasks are added).
template <class T>
Bag<T> concat(const std::vector<Bag<T>>& bags) {
  detail::Partitions<T> parts;
  for (const auto& b : bags) {
    auto more = b.to_delayed();
    parts.insert(parts.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  }
  return Bag<T>(std::move(parts));
}

/// Element-wise tuples of several bags: partition i of the result zips partition i of every bag. The
/// bags must have the same number of partitions (else UsageError now) and partitions at the same
/// position the same length (else the "zip" task throws UsageError; Dask would drop the extra elements).
template <class... Ts>
  requires(sizeof...(Ts) >= 1)
Bag<std::tuple<Ts...>> zip(const Bag<Ts>&... bags) {
  const std::size_t counts[] = {bags.npartitions()...};
  for (std::size_t count : counts) {
    if (count != counts[0]) {
      std::string list;
      for (std::size_t c : counts) list += (list.empty() ? "" : ", ") + std::to_string(c);
      throw UsageError("dagflow: bag::zip: the bags must have the same number of partitions, got " + list);
    }
  }
  return Bag<std::tuple<Ts...>>(detail::zip_partitions<Ts...>(bags.to_delayed()...));
}

}  // namespace bag

}  // namespace dagflow
