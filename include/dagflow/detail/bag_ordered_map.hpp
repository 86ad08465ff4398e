// A hash map that remembers insertion order: the grouping operations of Bag (frequencies, foldby,
// groupby, distinct, join) build one per partition and merge them tree-wise.
//
// Insertion order is what makes their results deterministic: the same bag gives the same list of
// groups, in order of first appearance, whatever the scheduler and however the tasks interleave.
// The layout is that of CPython's compact dict: the entries live in a std::vector in insertion order
// (so the final result is that vector, moved out without copying) and a flat open-addressing table of
// entry indices finds them. Each entry's hash is stored, so growing never rehashes a key and most
// failed comparisons are settled without touching the key.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

#include "dagflow/detail/serialize.hpp"

namespace dagflow::detail {

template <class K, class V>
class InsertionOrderedMap {
 public:
  using Entry = std::pair<K, V>;

  InsertionOrderedMap() = default;

  std::size_t size() const noexcept { return entries_.size(); }
  bool empty() const noexcept { return entries_.empty(); }

  /// The value of `key`, or null.
  const V* find(const K& key) const {
    const std::size_t hash = hash_of(key);
    const std::size_t position = probe(key, hash);
    return table_.empty() || table_[position] == 0 ? nullptr : &entries_[table_[position] - 1].second;
  }

  /// The value of `key`, inserting `make_value()` first when the key is new; `.second` tells whether it
  /// was inserted. The key is moved in only when it is inserted.
  template <class Key, class MakeValue>
  std::pair<V*, bool> try_emplace(Key&& key, MakeValue&& make_value) {
    if constexpr (!std::is_same_v<std::remove_cvref_t<Key>, K>) {
      // A proxy (std::vector<bool>'s reference) or another convertible type: make a real key first.
      return try_emplace(K(std::forward<Key>(key)), std::forward<MakeValue>(make_value));
    } else {
      if (2 * (entries_.size() + 1) > table_.size()) grow();
      const std::size_t hash = hash_of(key);
      const std::size_t position = probe(key, hash);
      if (table_[position] != 0) return {&entries_[table_[position] - 1].second, false};
      if (entries_.size() >= max_entries)
        throw std::length_error("dagflow: a bag grouping holds more than 2^32 - 2 distinct keys in one task");
      entries_.emplace_back(std::forward<Key>(key), std::forward<MakeValue>(make_value)());
      hashes_.push_back(hash);
      table_[position] = static_cast<std::uint32_t>(entries_.size());
      return {&entries_.back().second, true};
    }
  }

  /// The entries in insertion order.
  std::vector<Entry>& entries() noexcept { return entries_; }
  const std::vector<Entry>& entries() const noexcept { return entries_; }

  /// cereal (the MPI scheduler sends partial groupings between ranks): the entries in order; loading
  /// rebuilds the table. Instantiated only when K and V can be serialized (see Serializable below).
  template <class Archive>
  void save(Archive& archive) const {
    archive(entries_);
  }
  template <class Archive>
  void load(Archive& archive) {
    std::vector<Entry> entries;
    archive(entries);
    *this = InsertionOrderedMap();
    for (Entry& entry : entries) try_emplace(std::move(entry.first), [&entry] { return std::move(entry.second); });
  }

  /// Moves the entries out, in insertion order, leaving the map empty.
  std::vector<Entry> release() && {
    table_.clear();
    hashes_.clear();
    return std::move(entries_);
  }

 private:
  static constexpr std::size_t max_entries = std::numeric_limits<std::uint32_t>::max() - 1;

  static std::size_t hash_of(const K& key) { return std::hash<K>{}(key); }

  // Fibonacci hashing spreads std::hash's identity hash of integers over the table's high bits.
  std::size_t home(std::size_t hash) const noexcept {
    return static_cast<std::size_t>((static_cast<std::uint64_t>(hash) * 0x9E3779B97F4A7C15ULL) >> shift_);
  }

  // Position of `key` in the table, or of the empty cell where it would go.
  std::size_t probe(const K& key, std::size_t hash) const {
    if (table_.empty()) return 0;
    const std::size_t mask = table_.size() - 1;
    for (std::size_t position = home(hash);; position = (position + 1) & mask) {
      const std::uint32_t cell = table_[position];
      if (cell == 0) return position;
      if (hashes_[cell - 1] == hash && entries_[cell - 1].first == key) return position;
    }
  }

  // Doubles the table (load factor stays at most 1/2) and re-places every entry from its stored hash.
  void grow() {
    const std::size_t capacity = table_.empty() ? 16 : 2 * table_.size();
    table_.assign(capacity, 0);
    shift_ = 64;
    for (std::size_t c = capacity; c > 1; c >>= 1) --shift_;
    const std::size_t mask = capacity - 1;
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      std::size_t position = home(hashes_[i]);
      while (table_[position] != 0) position = (position + 1) & mask;
      table_[position] = static_cast<std::uint32_t>(i + 1);
    }
  }

  std::vector<Entry> entries_;
  std::vector<std::size_t> hashes_;   // hashes_[i] is the hash of entries_[i].first
  std::vector<std::uint32_t> table_;  // 0: empty cell; otherwise 1 + an index into entries_
  unsigned shift_ = 64;               // 64 - log2(table size)
};

#if DAGFLOW_WITH_MPI
// A partial grouping travels exactly when its keys and values do (its save() would not compile otherwise).
template <class K, class V>
struct Serializable<InsertionOrderedMap<K, V>> : std::bool_constant<all_serializable<K, V>> {};
#endif

}  // namespace dagflow::detail
