// The plain single-threaded word count that the task graph is measured against (`wordcount --serial`
// and bench/bench_wordcount): read every file whole into memory and count its words with one
// WordCounter. Same tokenizer and same counting table as the parallel version; no tasks, no lines.
#pragma once

#include <glob.h>

#include <algorithm>
#include <cstddef>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "words.hpp"

namespace wordcount {

/// The file names that `sources` stand for: a name containing '*', '?' or '[' is expanded with
/// glob(3) (in sorted order), other names are kept. Throws std::runtime_error for a pattern that
/// matches nothing.
inline std::vector<std::string> expand_sources(const std::vector<std::string>& sources) {
  std::vector<std::string> files;
  for (const std::string& source : sources) {
    if (source.find_first_of("*?[") == std::string::npos) {
      files.push_back(source);
      continue;
    }
    glob_t matches{};
    const int status = ::glob(source.c_str(), 0, nullptr, &matches);
    if (status == 0) files.insert(files.end(), matches.gl_pathv, matches.gl_pathv + matches.gl_pathc);
    ::globfree(&matches);
    if (status != 0) throw std::runtime_error("no files match '" + source + "'");
  }
  return files;
}

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

/// Word count of plain text files (or glob patterns) in one thread. Throws std::runtime_error
/// naming a file that cannot be read or a pattern that matches nothing.
inline Summary count_files_serially(const std::vector<std::string>& sources, std::size_t k) {
  const std::vector<std::string> files = expand_sources(sources);
  WordCounter counter;
  for (const std::string& file : files) {
    std::string text = read_file(file);
    counter.add_text(text);
  }
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
