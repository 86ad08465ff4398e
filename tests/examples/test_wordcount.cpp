// The word-count example (examples/wordcount): its tokenizer and counter, both of its task graphs
// (the course's map/flatten/frequencies chain and the one-pass map_partitions + foldby graph), the
// serial loop, and the program itself, each checked against an independent reference count that
// reads whole files and walks their bytes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <unistd.h>

#include <dagflow/bag.hpp>
#include <dagflow/bag_io.hpp>
#include <dagflow/dagflow.hpp>

#include "wordcount/pipeline.hpp"
#include "wordcount/serial_count.hpp"
#include "wordcount/words.hpp"
#include "support/run_example.hpp"
#include "support/schedulers.hpp"

namespace {

namespace fs = std::filesystem;
using wordcount::WordCount;

// --- the reference ------------------------------------------------------------------------------------------

struct Reference {
  std::vector<WordCount> counts;  // in order of first appearance
  std::size_t total = 0;

  std::size_t count_of(const std::string& word) const {
    for (const auto& [w, n] : counts)
      if (w == word) return n;
    return 0;
  }
};

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The definition, byte by byte: lower-case A-Z; [a-z0-9'] extends the current word; any other byte (or
// the end of a file) ends it.
Reference reference_count(const std::vector<fs::path>& files) {
  Reference ref;
  std::unordered_map<std::string, std::size_t> position;
  std::string word;
  auto end_word = [&] {
    if (word.empty()) return;
    ++ref.total;
    const auto [it, inserted] = position.try_emplace(word, ref.counts.size());
    if (inserted) ref.counts.emplace_back(word, 0);
    ++ref.counts[it->second].second;
    word.clear();
  };
  for (const fs::path& file : files) {
    for (char byte : read_bytes(file)) {
      char c = byte;
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '\'') {
        word += c;
      } else {
        end_word();
      }
    }
    end_word();
  }
  return ref;
}

// Most frequent first, ties in order of first appearance.
std::vector<WordCount> reference_top(std::vector<WordCount> counts, std::size_t k) {
  std::stable_sort(counts.begin(), counts.end(), [](const WordCount& a, const WordCount& b) { return a.second > b.second; });
  counts.resize(std::min(k, counts.size()));
  return counts;
}

// --- running the example's graphs ------------------------------------------------------------------------

std::vector<std::string> as_strings(const std::vector<fs::path>& files) {
  std::vector<std::string> names;
  for (const auto& f : files) names.push_back(f.string());
  return names;
}

// The example's three ways to the counts.
enum class Pipeline { blocks, lines, literal };
constexpr Pipeline all_pipelines[] = {Pipeline::blocks, Pipeline::lines, Pipeline::literal};

const char* name_of(Pipeline pipeline) {
  return pipeline == Pipeline::blocks ? "one pass over read_blocks"
         : pipeline == Pipeline::lines ? "one pass over read_text's lines"
                                       : "course's chain";
}

dagflow::Bag<WordCount> word_counts(const std::vector<fs::path>& files, std::optional<std::size_t> blocksize,
                                    Pipeline pipeline) {
  const dagflow::bag::ReadTextOptions read{.blocksize = blocksize};
  switch (pipeline) {
    case Pipeline::blocks:
      return wordcount::fast_word_counts(dagflow::bag::read_blocks(files, read));
    case Pipeline::lines:
      return wordcount::fast_word_counts(dagflow::bag::read_text(files, read));
    case Pipeline::literal:
      break;
  }
  return wordcount::course_word_counts(dagflow::bag::read_text(files, read));
}

// The small text runs on every scheduler of support/schedulers.hpp; the real texts, which take seconds,
// on these two (two workers: parallel even on a two-core machine).
const dagflow::ComputeOptions sync_run{.scheduler = dagflow::Scheduler::sync};
const dagflow::ComputeOptions two_workers{.scheduler = dagflow::Scheduler::threads, .workers = 2};

// Every count, the summary, and the serial loop's summary agree with the reference.
void expect_matches_reference(const std::vector<fs::path>& files, const Reference& ref,
                              std::optional<std::size_t> blocksize, const dagflow::ComputeOptions& options) {
  const auto expected_top = reference_top(ref.counts, 20);
  for (Pipeline pipeline : all_pipelines) {
    SCOPED_TRACE(name_of(pipeline));
    const auto counts = word_counts(files, blocksize, pipeline);
    EXPECT_EQ(counts.compute(options), ref.counts);  // same counts, same order
    const wordcount::Summary summary = wordcount::summarize(counts, 20).compute(options);
    EXPECT_EQ(summary.total_words, ref.total);
    EXPECT_EQ(summary.distinct_words, ref.counts.size());
    EXPECT_EQ(summary.top, expected_top);
  }
  const wordcount::Summary serial = wordcount::count_files_serially(as_strings(files), 20);
  EXPECT_EQ(serial.total_words, ref.total);
  EXPECT_EQ(serial.distinct_words, ref.counts.size());
  EXPECT_EQ(serial.top, expected_top);
}

// --- the tokenizer --------------------------------------------------------------------------------------------

TEST(Words, ToLowerChangesOnlyAsciiLetters) {
  EXPECT_EQ(wordcount::to_lower("Don't STOP, Caf\xC3\x89 42!"), "don't stop, caf\xC3\x89 42!");
  EXPECT_EQ(wordcount::to_lower(""), "");
}

TEST(Words, SplitWordsKeepsRunsOfLettersDigitsAndApostrophes) {
  using V = std::vector<std::string>;
  EXPECT_EQ(wordcount::split_words("don't stop--now, 'tis 3.14"), (V{"don't", "stop", "now", "'tis", "3", "14"}));
  EXPECT_EQ(wordcount::split_words("  \t "), V{});
  EXPECT_EQ(wordcount::split_words(""), V{});
  // The byte-order mark and the bytes of typographic quotes and accented letters separate words.
  EXPECT_EQ(wordcount::split_words("\xEF\xBB\xBFthe don\xE2\x80\x99t caf\xC3\xA9s"), (V{"the", "don", "t", "caf", "s"}));
  EXPECT_EQ(wordcount::split_words("a\rb\x7f" "c\x80" "d"), (V{"a", "b", "c", "d"}));
  EXPECT_EQ(wordcount::split_words("Mixed Case"), (V{"Mixed", "Case"}));  // splitting does not lower-case
}

TEST(Words, WordByteClassifiesEveryByte) {
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    char expected = '\0';
    if ((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '\'') expected = c;
    if (b >= 'A' && b <= 'Z') expected = static_cast<char>(b - 'A' + 'a');
    EXPECT_EQ(wordcount::word_byte(c), expected) << b;
  }
}

TEST(WordCounter, CountsInOrderOfFirstAppearanceAndLowerCasesInPlace) {
  std::string text = "The cat and THE hat; the Cat's hat.";
  wordcount::WordCounter counter;
  counter.add_text(text);
  EXPECT_EQ(text, "the cat and the hat; the cat's hat.");
  EXPECT_EQ(counter.total(), 8u);
  EXPECT_EQ(counter.distinct(), 5u);
  EXPECT_EQ(counter.counts(), (std::vector<WordCount>{{"the", 3}, {"cat", 1}, {"and", 1}, {"hat", 2}, {"cat's", 1}}));
}

TEST(WordCounter, KeepsCountingAcrossBuffersAndTableGrowth) {
  // 5000 distinct words (the table starts with 1024 slots and doubles), each seen in two buffers.
  // (Appending piece by piece: GCC 12 warns falsely about `"w" + std::to_string(i)`.)
  std::string first, second;
  for (int i = 0; i < 5000; ++i) first.append("w").append(std::to_string(i)).append(" ");
  for (int i = 4999; i >= 0; --i) second.append("W").append(std::to_string(i)).append("\n");
  wordcount::WordCounter counter;
  counter.add_text(first);
  counter.add_text(second);
  EXPECT_EQ(counter.total(), 10000u);
  ASSERT_EQ(counter.distinct(), 5000u);
  const auto counts = counter.counts();
  for (int i = 0; i < 5000; ++i) {
    std::string word = std::to_string(i);
    word.insert(word.begin(), 'w');
    EXPECT_EQ(counts[static_cast<std::size_t>(i)], WordCount(word, 2));
  }
}

TEST(WordCounter, ClassifiesEveryByteInsideAChunkAndInTheTail) {
  // Byte b at position 5 (inside the first 16-byte chunk, classified in bulk) and at position 20 (in
  // the 8-byte tail, classified one byte at a time) of 24 bytes of 'Q': one word when b belongs in
  // words, two when it separates them.
  for (int b = 0; b < 256; ++b) {
    for (std::size_t at : {std::size_t{5}, std::size_t{20}}) {
      std::string text(24, 'Q');
      text[at] = static_cast<char>(b);
      wordcount::WordCounter counter;
      counter.add_text(text);
      const char lower = wordcount::word_byte(static_cast<char>(b));
      std::string expected(24, 'q');
      expected[at] = lower != '\0' ? lower : static_cast<char>(b);
      EXPECT_EQ(text, expected) << "byte " << b << " at " << at;
      EXPECT_EQ(counter.total(), lower != '\0' ? 1u : 2u) << "byte " << b << " at " << at;
    }
  }
}

TEST(WordCounter, TellsApartWordsOfEveryLength) {
  // Pairs of words of 1 to 40 bytes differing only in their last byte, so every part of the key (the
  // first 8 bytes, the next 8, the rest compared byte by byte) must be told apart; written once with
  // room after them and once at the very end of the buffer, where no 16 bytes can be loaded at once.
  std::string text, tail;
  std::map<std::string, std::size_t> expected;
  for (std::size_t n = 1; n <= 40; ++n) {
    const std::string a(n, 'a');
    const std::string b = std::string(n - 1, 'a') + "b";
    text.append(a).append(" ").append(b).append(" ").append(a).append(",");
    expected[a] += 2;
    expected[b] += 1;
  }
  wordcount::WordCounter counter;
  counter.add_text(text);
  std::vector<std::string> buffers;  // the counter keeps views into them: no reallocation
  buffers.reserve(80);
  for (std::size_t n = 1; n <= 40; ++n) {
    counter.add_text(buffers.emplace_back(n, 'b'));  // a buffer that is the word
    buffers.emplace_back("x ").append(n, 'b');       // ... that ends with it
    counter.add_text(buffers.back());
    expected[std::string(n, 'b')] += 2;
    ++expected["x"];
  }
  const auto counts = counter.counts();
  const std::map<std::string, std::size_t> counted(counts.begin(), counts.end());
  EXPECT_EQ(counts.size(), counted.size());  // no word listed twice
  EXPECT_EQ(counted, expected);
}

TEST(WordCounter, CountWordsOfAPartitionEqualsSplittingEveryLine) {
  const std::vector<std::string> lines{"It was the best of times,", "", "it was the WORST of times;", "'twas"};
  std::map<std::string, std::size_t> expected;
  for (const auto& line : lines)
    for (const auto& word : wordcount::split_words(wordcount::to_lower(line))) ++expected[word];
  const auto counts = wordcount::count_words(lines);
  const std::map<std::string, std::size_t> counted(counts.begin(), counts.end());
  EXPECT_EQ(counted, expected);
  EXPECT_EQ(counts.front(), WordCount("it", 2));
  EXPECT_EQ(counts.back(), WordCount("'twas", 1));
}

TEST(WordCounter, CountWordsMixesBlocksAndLinesInOrderOfFirstAppearance) {
  // A block (a text longer than count_words' buffer) is counted where it is, lines through the
  // buffer; words must still come out in order of first appearance, and no word may join two texts.
  std::string block = "Gamma beta\n";
  while (block.size() < 100000) block += "beta delta\n";
  block += "omega";
  const std::vector<std::string> texts{"beta alpha", block, "alpha", "zeta", block, "eta"};
  const auto counts = wordcount::count_words(texts);
  const std::size_t repeats = (block.size() - 16) / 11;  // the "beta delta" lines in one block
  EXPECT_EQ(counts, (std::vector<WordCount>{{"beta", 1 + 2 * (1 + repeats)},
                                            {"alpha", 2},
                                            {"gamma", 2},
                                            {"delta", 2 * repeats},
                                            {"omega", 2},
                                            {"zeta", 1},
                                            {"eta", 1}}));
}

// --- a small text made here -------------------------------------------------------------------------------

class SmallText : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("dagflow_test_wordcount_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    file_ = dir_ / "small.txt";
    std::ofstream(file_, std::ios::binary) << text;
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  // A byte-order mark, CRLF and LF line ends, a blank line, punctuation, apostrophes (ASCII and
  // typographic), digits, non-ASCII letters, a tab, a word longer than a short string, no final
  // newline. Its 30 words, as `tr A-Z a-z | grep -oE "[a-z0-9']+"` (LC_ALL=C) also finds them:
  static constexpr const char* text =
      "\xEF\xBB\xBFThe Project's 2nd EDITION, 1869.\r\n"
      "\r\n"
      "Don't stop; DON'T stop -- don\xE2\x80\x99t stop!\r\n"
      "caf\xC3\xA9 Caf\xC3\xA9s 'tis o'clock ' x2 3.14\n"
      "internationalization INTERNATIONALIZATION\tthe\n"
      "last line without newline: the end";

  fs::path dir_;
  fs::path file_;
};

TEST_F(SmallText, ReferenceFindsTheKnownWords) {
  const Reference ref = reference_count({file_});
  EXPECT_EQ(ref.total, 30u);
  EXPECT_EQ(ref.counts.size(), 23u);
  EXPECT_EQ(ref.counts.front(), WordCount("the", 3));  // the BOM does not stick to the first word
  EXPECT_EQ(ref.count_of("stop"), 3u);
  EXPECT_EQ(ref.count_of("don't"), 2u);
  EXPECT_EQ(ref.count_of("don"), 1u);  // don’t: the typographic apostrophe separates
  EXPECT_EQ(ref.count_of("caf"), 2u);
  EXPECT_EQ(ref.count_of("'"), 1u);
  EXPECT_EQ(ref.count_of("internationalization"), 2u);
  EXPECT_EQ(ref.count_of("end"), 1u);  // the last line has no newline
}

TEST_F(SmallText, PipelinesAndSerialLoopMatchTheReference) {
  const Reference ref = reference_count({file_});
  // One partition; and blocks of 7 bytes, so that lines start and end in other blocks than theirs.
  for (std::optional<std::size_t> blocksize : {std::optional<std::size_t>{}, std::optional<std::size_t>{7}}) {
    for (const auto& scheduler : dagflow_test::schedulers()) {
      SCOPED_TRACE(blocksize ? "blocksize 7" : "one partition");
      SCOPED_TRACE(scheduler.name);
      expect_matches_reference({file_}, ref, blocksize, scheduler.options);
    }
  }
}

TEST_F(SmallText, TopKeepsTiesInOrderOfFirstAppearance) {
  for (const auto& scheduler : dagflow_test::schedulers()) {
    const auto summary =
        wordcount::summarize(word_counts({file_}, 5, Pipeline::blocks), 4).compute(scheduler.options);
    // the and stop occur 3 times; don't, caf and internationalization twice, don't first.
    EXPECT_EQ(summary.top, (std::vector<WordCount>{{"the", 3}, {"stop", 3}, {"don't", 2}, {"caf", 2}}))
        << scheduler.name;
  }
}

TEST_F(SmallText, EmptyFilesAndFilesWithoutWordsCountNothing) {
  const fs::path empty = dir_ / "empty.txt", blank = dir_ / "blank.txt";
  std::ofstream(empty, std::ios::binary) << "";
  std::ofstream(blank, std::ios::binary) << "\xEF\xBB\xBF -- \r\n\n...\n";
  for (Pipeline pipeline : all_pipelines) {
    const auto summary = wordcount::summarize(word_counts({empty, blank}, std::nullopt, pipeline), 20).compute();
    EXPECT_EQ(summary.total_words, 0u);
    EXPECT_EQ(summary.distinct_words, 0u);
    EXPECT_TRUE(summary.top.empty());
  }
  // An empty file between others changes nothing.
  const Reference ref = reference_count({file_});
  for (Pipeline pipeline : all_pipelines)
    EXPECT_EQ(word_counts({empty, file_, blank}, 3, pipeline).compute(), ref.counts) << name_of(pipeline);
}

TEST_F(SmallText, SerialLoopExpandsPatternsAndNamesMissingFiles) {
  const auto summary = wordcount::count_files_serially({(dir_ / "*.txt").string()}, 3);
  EXPECT_EQ(summary.total_words, 30u);
  EXPECT_THROW(wordcount::count_files_serially({(dir_ / "*.none").string()}, 3), std::runtime_error);
  try {
    wordcount::count_files_serially({(dir_ / "missing.txt").string()}, 3);
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("missing.txt"), std::string::npos) << e.what();
  }
}

TEST_F(SmallText, SerialLoopCountsWordsAcrossItsPiecesAndLongerThanThem) {
  // The serial loop reads a MiB at a time: words straddle the pieces' ends, and one word of 2.5 MiB
  // is longer than a piece.
  const fs::path big = dir_ / "big.txt";
  std::string text;
  while (text.size() < (std::size_t{3} << 20)) text += "Alpha beta, gamma-delta epsilon\n";
  text += std::string((std::size_t{5} << 20) / 2, 'w') + " end";
  std::ofstream(big, std::ios::binary) << text;
  const Reference ref = reference_count({big});
  const auto summary = wordcount::count_files_serially({big.string()}, 20);
  EXPECT_EQ(summary.total_words, ref.total);
  EXPECT_EQ(summary.distinct_words, ref.counts.size());
  EXPECT_EQ(summary.top, reference_top(ref.counts, 20));
}

TEST(DefaultBlocksize, AboutFourPartitionsPerWorkerWithinBoundsAndAWholeNumberEach) {
  const fs::path dir = fs::temp_directory_path() / ("dagflow_test_blocksize_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path file = dir / "f.txt";
  std::ofstream(file).put('x');
  fs::resize_file(file, std::size_t{40} << 20);  // 40 MiB
  EXPECT_EQ(wordcount::default_blocksize({file.string()}, 2), std::size_t{5} << 20);
  EXPECT_EQ(wordcount::default_blocksize({file.string()}, 1), std::size_t{10} << 20);
  EXPECT_EQ(wordcount::default_blocksize({(dir / "*.txt").string()}, 40), std::size_t{1} << 20);  // at least 1 MiB
  // 100 MiB in 12 MiB blocks would be 9 partitions, one worker counting a fifth while the other waits: 10.
  fs::resize_file(file, std::size_t{100} << 20);
  EXPECT_EQ(wordcount::default_blocksize({file.string()}, 2), std::size_t{10} << 20);
  // At most 12 MiB: 400 MiB needs 34 blocks (an even number already), of 12336189 bytes.
  fs::resize_file(file, std::size_t{400} << 20);
  EXPECT_EQ(wordcount::default_blocksize({file.string()}, 2), ((std::size_t{400} << 20) + 33) / 34);
  fs::remove_all(dir);
}

// --- real texts ---------------------------------------------------------------------------------------------

TEST(Licenses, PipelinesMatchTheReference) {
  const fs::path dir = "/usr/share/common-licenses";
  std::vector<fs::path> files;
  if (fs::is_directory(dir))
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.is_regular_file()) files.push_back(entry.path());
  if (files.empty()) GTEST_SKIP() << dir << " is absent";
  std::sort(files.begin(), files.end());  // the order read_text would use for a pattern
  const Reference ref = reference_count(files);
  ASSERT_GT(ref.total, 0u);
  expect_matches_reference(files, ref, std::nullopt, two_workers);
  expect_matches_reference(files, ref, 4096, two_workers);  // many partitions: a deeper tree
}

struct Novel {
  const char* file;
  std::size_t total, distinct;
  std::vector<WordCount> top3;
};

// Counted independently with LC_ALL=C tr 'A-Z' 'a-z' < FILE | grep -oE "[a-z0-9']+" | sort | uniq -c
// (the texts are the fixed Project Gutenberg files listed in SOURCES.md of DAGFLOW_SHARED_DATA_DIR).
const Novel novels[] = {
    {"war_and_peace.txt", 586885, 17703, {{"the", 34721}, {"and", 22305}, {"to", 16755}}},
    {"moby_dick.txt", 222629, 17352, {{"the", 14718}, {"of", 6743}, {"and", 6518}}},
    {"great_expectations.txt", 192136, 11024, {{"the", 8321}, {"and", 7166}, {"i", 6666}}},
};

// GoogleTest shows a parameter with this (instead of its bytes) in test names and failures.
void PrintTo(const Novel& novel, std::ostream* out) { *out << novel.file; }

class Novels : public ::testing::TestWithParam<Novel> {
 protected:
  void SetUp() override {
    path_ = fs::path(DAGFLOW_SHARED_DATA_DIR) / GetParam().file;
    if (!fs::exists(path_)) GTEST_SKIP() << path_ << " is absent (the shared data folder is optional)";
  }
  fs::path path_;
};

TEST_P(Novels, ReferenceGivesTheKnownCounts) {
  const Reference ref = reference_count({path_});
  EXPECT_EQ(ref.total, GetParam().total);
  EXPECT_EQ(ref.counts.size(), GetParam().distinct);
  EXPECT_EQ(reference_top(ref.counts, 3), GetParam().top3);
}

TEST_P(Novels, PipelinesMatchTheReference) {
  const Reference ref = reference_count({path_});
  expect_matches_reference({path_}, ref, 64 * 1024, two_workers);  // 16 to 51 partitions
  const auto summary = wordcount::summarize(word_counts({path_}, std::nullopt, Pipeline::blocks), 3).compute(sync_run);
  EXPECT_EQ(summary.top, GetParam().top3);
  EXPECT_EQ(summary.total_words, GetParam().total);
}

INSTANTIATE_TEST_SUITE_P(SharedData, Novels, ::testing::ValuesIn(novels),
                         [](const auto& info) { return fs::path(info.param.file).stem().string(); });

TEST(AllNovels, CountedTogether) {
  const fs::path dir(DAGFLOW_SHARED_DATA_DIR);
  std::vector<fs::path> files;
  for (const Novel& novel : novels) files.push_back(dir / novel.file);
  if (!fs::exists(files.front())) GTEST_SKIP() << dir << " is absent";
  const Reference ref = reference_count(files);
  EXPECT_EQ(ref.total, 586885u + 222629u + 192136u);
  expect_matches_reference(files, ref, 1 << 20, two_workers);
}

// --- the program --------------------------------------------------------------------------------------------

class WordcountProgram : public SmallText {
 protected:
  void SetUp() override {
    program_ = example_test::program("wordcount", "wordcount").string();
    if (program_.empty()) GTEST_SKIP() << "examples/wordcount was not built";
    SmallText::SetUp();
  }

  struct Printed {
    std::vector<WordCount> top;
    std::size_t total = 0, distinct = 0;
  };

  // The table ("count  word" lines) and the two totals the program prints.
  static Printed parse(const std::string& output) {
    Printed printed;
    std::istringstream lines(output);
    bool in_table = false;
    for (std::string line; std::getline(lines, line);) {
      std::istringstream fields(line);
      std::string first, second;
      fields >> first >> second;
      if (first == "count" && second == "word") {
        in_table = true;
      } else if (line.starts_with("total words: ")) {
        in_table = false;
        printed.total = std::stoul(line.substr(13));
      } else if (line.starts_with("distinct words: ")) {
        printed.distinct = std::stoul(line.substr(16));
      } else if (in_table) {
        printed.top.emplace_back(second, std::stoul(first));
      }
    }
    return printed;
  }

  std::string program_;
};

TEST_F(WordcountProgram, EveryModePrintsTheReferenceCounts) {
  const Reference ref = reference_count({file_});
  const auto all = reference_top(ref.counts, ref.counts.size());
  for (const char* mode : {"", " --literal", " --serial", " --workers 1", " --blocksize 7", " -b 0 --literal"}) {
    const auto result = example_test::run(program_ + " --top 1000" + mode + " " + file_.string());
    ASSERT_EQ(result.status, 0) << mode << ": " << result.output;
    const Printed printed = parse(result.output);
    EXPECT_EQ(printed.top, all) << mode << ": " << result.output;
    EXPECT_EQ(printed.total, 30u) << mode;
    EXPECT_EQ(printed.distinct, 23u) << mode;
    EXPECT_NE(result.output.find("time: "), std::string::npos);
  }
}

TEST_F(WordcountProgram, TakesGlobPatternsAndPrintsTheTopWords) {
  std::ofstream(dir_ / "more.txt", std::ios::binary) << "stop stop stop the\n";
  const Reference ref = reference_count({dir_ / "more.txt", file_});  // glob order: more.txt first
  const auto pattern = "'" + (dir_ / "*.txt").string() + "'";        // quoted: expanded by the program
  for (const char* mode : {"", " --serial"}) {
    const auto result = example_test::run(program_ + " -n 2" + mode + " " + pattern);
    ASSERT_EQ(result.status, 0) << result.output;
    const Printed printed = parse(result.output);
    EXPECT_EQ(printed.top, (std::vector<WordCount>{{"stop", 6}, {"the", 4}})) << result.output;
    EXPECT_EQ(printed.total, ref.total);
    EXPECT_EQ(printed.distinct, ref.counts.size());
  }
}

TEST_F(WordcountProgram, DrawsTheTaskGraph) {
  const fs::path dot = dir_ / "graph.dot";
  const auto result = example_test::run(program_ + " -b 16 --graph " + dot.string() + " " + file_.string());
  ASSERT_EQ(result.status, 0) << result.output;
  const std::string text = read_bytes(dot);
  for (const char* task : {"read_blocks", "map_partitions", "foldby", "topk", "summary"})
    EXPECT_NE(text.find(task), std::string::npos) << task;
}

TEST_F(WordcountProgram, HelpAndErrors) {
  const auto help = example_test::run(program_ + " --help");
  EXPECT_EQ(help.status, 0);
  for (const char* option : {"--top", "--blocksize", "--workers", "--serial", "--literal", "--graph", "--mpi"})
    EXPECT_NE(help.output.find(option), std::string::npos) << option;

  for (const char* mode : {"", " --serial"}) {
    const auto missing = example_test::run(program_ + mode + " " + (dir_ / "missing.txt").string());
    EXPECT_EQ(missing.status, 1) << missing.output;
    EXPECT_NE(missing.output.find("missing.txt"), std::string::npos) << missing.output;
  }
  EXPECT_NE(example_test::run(program_).status, 0);  // no files
  EXPECT_NE(example_test::run(program_ + " --serial --literal " + file_.string()).status, 0);
}

}  // namespace
