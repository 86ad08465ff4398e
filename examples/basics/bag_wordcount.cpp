// A Bag chain: the course's word count ("Map and reduce") in five lines,
//   db.read_text(path).map(split_words).flatten().frequencies().topk(10, key=lambda pair: pair[1])
// Each step records tasks per partition; only frequencies and topk combine partitions, as trees.
//   read_text   read_text  ...  read_text     one partition per 256 KiB block: its lines
//       |           |               |
//      map         map     ...     map        each line -> its lower-case words
//       |           |               |
//    flatten     flatten   ...   flatten      a bag of words
//        \          |              /
//               frequencies                   (word, count): a count per block, merged as a tree
//                    |
//                   topk                      the 10 most frequent words
#include <cctype>
#include <cstdio>
#include <dagflow/dagflow.hpp>
#include <string>
#include <vector>

// Runs of ASCII letters and apostrophes, lower-cased; everything else separates words.
static std::vector<std::string> split_words(const std::string& line) {
  std::vector<std::string> words(1);
  for (const unsigned char c : line) {
    if (std::isalpha(c) || c == '\'')
      words.back() += static_cast<char>(std::tolower(c));
    else if (!words.back().empty())
      words.emplace_back();
  }
  if (words.back().empty()) words.pop_back();
  return words;
}

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "--help") {
    std::puts("usage: bag_wordcount [FILE [EXPECTED_TOP_WORD]]\nThe 10 most frequent words of FILE "
              "(default: Moby Dick); fails unless the first is EXPECTED_TOP_WORD (default: the).");
    return 0;
  }
  const std::string path = argc > 1 ? argv[1] : DAGFLOW_SHARED_DATA_DIR "/moby_dick.txt";
  const std::string expected = argc > 2 ? argv[2] : "the";
  // Blocks make partitions, and partitions are what runs in parallel (one file alone is one partition).
  std::vector<std::pair<std::string, std::size_t>> top;
  try {  // a missing file is a dagflow::UsageError naming it; show the message rather than abort
    top = dagflow::bag::read_text(path, {.blocksize = 256 * 1024})
              .map(split_words)  // Bag<std::vector<std::string>>
              .flatten()         // Bag<std::string>
              .frequencies()     // Bag<std::pair<std::string, std::size_t>>
              .topk(10, [](const auto& word_count) { return word_count.second; })
              .compute();
  } catch (const dagflow::Error& error) {
    std::fprintf(stderr, "%s\n", error.what());
    return 1;
  }
  for (const auto& [word, count] : top) std::printf("%8zu %s\n", count, word.c_str());
  if (top.empty() || top.front().first != expected) {
    std::printf("WRONG: expected '%s' to be the most frequent word\n", expected.c_str());
    return 1;
  }
  std::puts("OK");
}
