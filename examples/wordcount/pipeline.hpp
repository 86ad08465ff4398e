// The word-count task graphs of examples/wordcount (also built by its test and benchmark).
//
// The course's Dask pipeline,
//
//   counts = db.read_text(files).str.lower().str.split().flatten().frequencies()
//   counts.topk(20, key=lambda pair: pair[1]).compute()
//
// is course_word_counts() below, step for step. fast_word_counts() computes the same counts, in the
// same order, with a graph of the same shape and fewer steps: one map_partitions task per partition
// does to_lower, split_words, flatten and the per-partition count of frequencies in a single pass
// (WordCounter, no string per word), and foldby adds up each word's counts over the partitions, as the
// aggregate step of frequencies does. The literal chain makes, moves and hashes a std::string for every
// word; on War and Peace it is about 3.4 times slower. fast_word_counts() takes the partitions' text
// as lines (read_text) or, faster still, as one string per block (read_blocks: no string per line).
//
//   read_blocks    read_blocks    read_blocks      the text of one block of the files each
//       |              |              |
//   map_partitions map_partitions map_partitions   count_words: (word, count) for the block
//        \             |             /
//                   foldby                         (word, count) for all blocks: a tree of merges
//            /         |         \                 into one partition, read three times:
//         topk       count     pluck, sum          top words, distinct words, total words
//            \         |         /
//                   summary
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <dagflow/bag.hpp>
#include <dagflow/dagflow.hpp>

#include "words.hpp"

namespace wordcount {

/// The course's pipeline: lower-case each line, split it into words, flatten the lines' lists of
/// words into one bag of words, and count each distinct word.
inline dagflow::Bag<WordCount> course_word_counts(const dagflow::Bag<std::string>& lines) {
  return lines
      .map(to_lower)      // .str.lower()
      .map(split_words)   // .str.split(): a Bag<std::vector<std::string>>, a vector per line
      .flatten()          // .flatten(): a Bag<std::string>, a string per word
      .frequencies();     // .frequencies(): (word, count) pairs
}

/// The same counts without a string per word: each partition's texts (lines, or a whole block) are
/// counted in one pass, and foldby adds up each word's counts over the partitions.
inline dagflow::Bag<WordCount> fast_word_counts(const dagflow::Bag<std::string>& texts) {
  const auto word = [](const WordCount& wc) -> const std::string& { return wc.first; };
  const auto add_count = [](std::size_t n, const WordCount& wc) { return n + wc.second; };
  return texts
      .map_partitions(count_words)                                   // (word, count) per partition
      .foldby(word, add_count, std::size_t{0}, std::plus<std::size_t>{});  // ... over all partitions
}

/// The `k` most frequent words (ties in order of first appearance), and the numbers of words and of
/// distinct words, as one promise.
inline dagflow::Delayed<Summary> summarize(const dagflow::Bag<WordCount>& counts, std::size_t k) {
  const auto top = counts.topk(k, [](const WordCount& wc) { return wc.second; });
  const auto distinct_words = counts.count();
  const auto total_words = counts.pluck<1>().sum();
  const auto summary = dagflow::delayed(
      [](std::vector<WordCount> top_words, std::size_t total, std::size_t distinct) {
        return Summary{std::move(top_words), total, distinct};
      },
      "summary");
  return summary(top.to_delayed().front(), total_words, distinct_words);  // topk gives one partition
}

}  // namespace wordcount
