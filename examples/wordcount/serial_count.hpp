// The plain single-threaded word count that the task graph is measured against (`wordcount --serial`
// and bench/bench_wordcount): read every file a MiB at a time and count its words with one
// WordCounter. Same tokenizer and same counting table as the parallel version; no tasks, no lines.
// Reading in pieces that stay in the cache is faster than reading a file whole (about 230 instead of
// 290 ms on 102 MB here: no fresh pages to fault in, and each byte is counted while still cached).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "inputs.hpp"
#include "words.hpp"

namespace wordcount {

/// The whole contents of a plain file. Throws std::runtime_error naming a file that cannot be read
/// or is gzip-compressed (only bag::read_text decompresses).
inline std::string read_file(const std::string& path) {
  if (std::string_view(path).ends_with(".gz"))
    throw std::runtime_error("the serial count reads plain text only, not '" + path + "'");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open '" + path + "'");
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) throw std::runtime_error("cannot read '" + path + "'");
  std::string text(static_cast<std::size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(text.data(), size)) throw std::runtime_error("cannot read '" + path + "'");
  return text;
}

/// Counts the words of the plain text file `path` into `counter`, a MiB at a time. Throws
/// std::runtime_error naming a file that cannot be read or is gzip-compressed.
inline void count_file(const std::string& path, WordCounter& counter) {
  if (std::string_view(path).ends_with(".gz"))
    throw std::runtime_error("the serial count reads plain text only, not '" + path + "'");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open '" + path + "'");
  std::string buffer(std::size_t{1} << 20, '\0');
  std::size_t carried = 0;  // the start of a word that the previous piece cut off, at the buffer's start
  for (;;) {
    in.read(buffer.data() + carried, static_cast<std::streamsize>(buffer.size() - carried));
    if (in.bad()) throw std::runtime_error("cannot read '" + path + "'");
    const std::size_t got = static_cast<std::size_t>(in.gcount());
    const std::size_t filled = carried + got;
    if (got == 0) return counter.add_text(buffer.data(), buffer.data() + filled);
    // Count up to the last byte that separates words: the word after it may go on in the next piece.
    std::size_t cut = filled;
    while (cut > 0 && word_byte(buffer[cut - 1]) != '\0') --cut;
    if (cut == 0) {  // one word fills the whole buffer
      buffer.resize(2 * buffer.size());
      carried = filled;
      continue;
    }
    counter.add_text(buffer.data(), buffer.data() + cut);
    std::memmove(buffer.data(), buffer.data() + cut, filled - cut);
    carried = filled - cut;
  }
}

/// Word count of plain text files (or glob patterns) in one thread. Throws std::runtime_error
/// naming a file that cannot be read or a pattern that matches nothing.
inline Summary count_files_serially(const std::vector<std::string>& sources, std::size_t k) {
  WordCounter counter;
  for (const std::string& file : expand_sources(sources)) count_file(file, counter);
  // The k most frequent, ties in order of first appearance (as Bag::topk orders them); only
  // they become strings.
  struct Candidate {
    std::size_t count, order;
    std::string_view word;
  };
  std::vector<Candidate> candidates;
  candidates.reserve(counter.distinct());
  counter.for_each([&](std::string_view word, std::size_t count) { candidates.push_back({count, candidates.size(), word}); });
  const auto kth = candidates.begin() + static_cast<std::ptrdiff_t>(std::min(k, candidates.size()));
  std::partial_sort(candidates.begin(), kth, candidates.end(), [](const Candidate& a, const Candidate& b) {
    return a.count != b.count ? a.count > b.count : a.order < b.order;
  });
  Summary summary{{}, counter.total(), counter.distinct()};
  for (auto it = candidates.begin(); it != kth; ++it) summary.top.emplace_back(std::string(it->word), it->count);
  return summary;
}

}  // namespace wordcount
