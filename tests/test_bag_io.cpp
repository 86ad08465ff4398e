// bag::read_text and bag::to_textfiles: line splitting, blocks, globs, gzip, errors, round trips; what
// computes runs on every scheduler of support/schedulers.hpp.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <numeric>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "dagflow/bag_io.hpp"
#include "dagflow/errors.hpp"
#include "support/schedulers.hpp"

namespace fs = std::filesystem;
using dagflow::Bag;
using dagflow::bag::Compression;
using dagflow::bag::read_blocks;
using dagflow::bag::read_text;
using dagflow::bag::ReadTextOptions;
using Lines = std::vector<std::string>;

namespace {

// Each test gets its own empty directory, removed afterwards.
template <class Base>
class WithTempDir : public Base {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = test->name();  // "Name/sync" for a test run on every scheduler
    std::replace(name.begin(), name.end(), '/', '_');
    dir_ = fs::temp_directory_path() / ("dagflow_bag_io_" + std::to_string(::getpid()) + "_" + name);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    // Give back permissions a test took away, so that the directory can be removed.
    for (const auto& entry : fs::recursive_directory_iterator(dir_, ignored))
      fs::permissions(entry.path(), fs::perms::owner_all, fs::perm_options::add, ignored);
    fs::remove_all(dir_, ignored);
  }

  fs::path path(const std::string& name) const { return dir_ / name; }

  fs::path write(const std::string& name, const std::string& bytes) const {
    const fs::path file = path(name);
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << bytes;
    return file;
  }

  fs::path write_gzip(const std::string& name, const std::string& bytes) const {
    const fs::path file = path(name);
    fs::create_directories(file.parent_path());
    gzFile gz = gzopen(file.c_str(), "wb");
    EXPECT_NE(gz, nullptr);
    if (!bytes.empty()) {
      EXPECT_EQ(gzwrite(gz, bytes.data(), static_cast<unsigned>(bytes.size())), static_cast<int>(bytes.size()));
    }
    EXPECT_EQ(gzclose(gz), Z_OK);
    return file;
  }

  fs::path dir_;
};

std::string read_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The lines as an independent reader sees them: std::getline, minus the "\r" of a "\r\n".
Lines reference_lines(const std::string& bytes) {
  std::istringstream in(bytes);
  Lines lines;
  for (std::string line; std::getline(in, line);) {
    if (!in.eof() && !line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
  }
  return lines;
}

std::vector<Lines> partitions(const Bag<std::string>& bag, const dagflow::ComputeOptions& options) {
  return dagflow::compute(bag.to_delayed(), options);
}

Lines lines(const Bag<std::string>& bag, const dagflow::ComputeOptions& options) {
  Lines all;
  for (Lines& part : partitions(bag, options)) all.insert(all.end(), part.begin(), part.end());
  return all;
}

// Reading and writing files, on every scheduler: partitions() and lines() compute with this instance's.
class BagIo : public WithTempDir<dagflow_test::SchedulerTest> {
 protected:
  std::vector<Lines> partitions(const Bag<std::string>& bag) const { return ::partitions(bag, options()); }
  Lines lines(const Bag<std::string>& bag) const { return ::lines(bag, options()); }
};

// Bad arguments found when the bag is made, before anything runs.
using BagIoUsageErrors = WithTempDir<::testing::Test>;

// A text with short, empty, long and "\r\n" lines and a last line without terminator.
std::string mixed_text(unsigned seed, std::size_t line_count) {
  std::mt19937 random(seed);
  std::string text;
  for (std::size_t i = 0; i < line_count; ++i) {
    const unsigned kind = random() % 10;
    const std::size_t length = kind == 0 ? 0 : kind == 1 ? 200 + random() % 300 : random() % 20;
    for (std::size_t k = 0; k < length; ++k) text += static_cast<char>('a' + random() % 26);
    text += random() % 3 == 0 ? "\r\n" : "\n";
  }
  return text + "tail without newline";
}

// strerror of errno, for a failed system call's assertion.
std::string os_error_text() { return std::generic_category().message(errno); }

// `path` in single quotes, as error messages name files. (Appending, rather than "'" + ... + "'",
// sidesteps a false -Wrestrict of g++ 12's <string>.)
std::string in_quotes_text(const fs::path& path) {
  std::string quoted;
  return quoted.append(1, '\'').append(path.string()).append(1, '\'');
}

template <class F>
std::string message_of(F&& action) {
  try {
    action();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(nothing thrown)";
}

}  // namespace

// --- Line splitting ---------------------------------------------------------------------------------

TEST_P(BagIo, SplitsLinesAndStripsTerminators) {
  const std::vector<std::pair<std::string, Lines>> cases = {
      {"", {}},
      {"\n", {""}},
      {"a", {"a"}},
      {"a\n", {"a"}},
      {"a\nb", {"a", "b"}},
      {"a\r\nb\r\n", {"a", "b"}},
      {"\r\n", {""}},
      {"\n\n\n", {"", "", ""}},
      {"a\r", {"a\r"}},          // a lone "\r" is not a terminator
      {"a\rb\n", {"a\rb"}},
      {"a\r\r\n", {"a\r"}},      // only the "\r" right before "\n" goes
      {std::string("x\0y\n", 4), {std::string("x\0y", 3)}},
      {"\xef\xbb\xbfhello\n", {"\xef\xbb\xbfhello"}},  // bytes pass through, BOM included
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& [bytes, expected] = cases[i];
    const fs::path file = write("case" + std::to_string(i) + ".txt", bytes);
    EXPECT_EQ(lines(read_text(file)), expected) << "case " << i;
    // Every cut of the file into blocks gives the same lines.
    for (std::size_t bs = 1; bs <= bytes.size() + 1; ++bs)
      EXPECT_EQ(lines(read_text(file, {.blocksize = bs})), expected) << "case " << i << ", blocksize " << bs;
  }
}

TEST_P(BagIo, EmptyFileIsOnePartitionWithNoLines) {
  const fs::path file = write("empty.txt", "");
  const auto bag = read_text(file, {.blocksize = 10});
  EXPECT_EQ(bag.npartitions(), 1u);
  EXPECT_EQ(partitions(bag), std::vector<Lines>{Lines{}});
}

// --- Blocks -----------------------------------------------------------------------------------------

TEST_P(BagIo, OneFileIsOnePartitionWithoutBlocksize) {
  const fs::path file = write("f.txt", mixed_text(1, 500));
  const auto bag = read_text(file);
  EXPECT_EQ(bag.npartitions(), 1u);
  EXPECT_EQ(lines(bag), reference_lines(read_bytes(file)));
}

TEST_P(BagIo, BlockOwnsTheLinesThatStartInIt) {
  // Blocks of 4 bytes over "aaa\nbb\nc\n": [0,4) holds the line at 0; [4,8) those at 4 and 7 ("c"
  // starts at 7 and ends past the block); [8,9) only the final "\n", so no line.
  const fs::path file = write("f.txt", "aaa\nbb\nc\n");
  const auto bag = read_text(file, {.blocksize = 4});
  EXPECT_EQ(partitions(bag), (std::vector<Lines>{{"aaa"}, {"bb", "c"}, {}}));
}

TEST_P(BagIo, LongLineBelongsToTheBlockItStartsIn) {
  const std::string long_line(50, 'x');
  const fs::path file = write("f.txt", "a\n" + long_line + "\nb\n");
  // Blocks of 10: the long line starts at 2 (block 0) and covers blocks 1-5, which own nothing
  // until "b" at 53 (block 5).
  EXPECT_EQ(partitions(read_text(file, {.blocksize = 10})),
            (std::vector<Lines>{{"a", long_line}, {}, {}, {}, {}, {"b"}}));
}

TEST_P(BagIo, ConcatenatedBlocksReproduceTheFileForManyBlocksizes) {
  const std::string text = mixed_text(7, 300);
  const fs::path file = write("f.txt", text);
  const Lines expected = reference_lines(text);
  ASSERT_GT(expected.size(), 300u);
  std::vector<std::size_t> sizes = {1, 2, 3, 4, 5, 7, 8, 13, 16, 64, 100, 255, 256, 1000, 4096};
  for (std::size_t s : {text.size() - 1, text.size(), text.size() + 1, text.size() / 2, text.size() / 3})
    sizes.push_back(s);
  for (std::size_t bs : sizes) {
    const auto bag = read_text(file, {.blocksize = bs});
    const std::size_t blocks = text.size() <= bs ? 1 : (text.size() + bs - 1) / bs;
    EXPECT_EQ(bag.npartitions(), blocks) << "blocksize " << bs;
    EXPECT_EQ(lines(bag), expected) << "blocksize " << bs;
  }
}

TEST_P(BagIo, BlockBoundariesStraddlingCrLf) {
  // Every blocksize up to the file's size is tried, so block boundaries fall between a "\r" and its
  // "\n" (blocksize 1, 3 or 7 over the first text, for instance) as well as everywhere else.
  const std::vector<std::string> texts = {"ab\r\ncd\r\nef\r\n", "\r\n\r\n\r\n", "a\r\n\r\nb", "x\r\r\n\r\ny"};
  for (const std::string& text : texts) {
    const fs::path file = write("crlf.txt", text);
    for (std::size_t bs = 1; bs <= text.size(); ++bs)
      EXPECT_EQ(lines(read_text(file, {.blocksize = bs})), reference_lines(text))
          << "text " << testing::PrintToString(text) << ", blocksize " << bs;
  }
}

TEST_P(BagIo, LinesLongerThanTheReadBuffer) {
  // Lines of 200 KiB and more outgrow the reader's buffer; blocks end inside them and beside them.
  std::string text = "first\n";
  for (int i = 0; i < 3; ++i) text += std::string(200000 + 70000 * i, static_cast<char>('a' + i)) + (i == 1 ? "\r\n" : "\n");
  for (int i = 0; i < 500; ++i) text += "short line " + std::to_string(i) + "\n";
  text += std::string(150000, 'z');  // and a long last line without a terminator
  const fs::path file = write("long.txt", text);
  const Lines expected = reference_lines(text);
  for (std::size_t bs : {std::size_t{1000}, std::size_t{65535}, std::size_t{65536}, std::size_t{65537},
                         std::size_t{100000}, std::size_t{200007}, std::size_t{300000}, text.size()})
    EXPECT_EQ(lines(read_text(file, {.blocksize = bs})), expected) << "blocksize " << bs;
}

// --- read_blocks ------------------------------------------------------------------------------------

namespace {
// Checks read_blocks against read_text over the same file and blocksize: the same partitions, each
// block the bytes of that partition's lines, and all blocks together exactly the file.
void expect_blocks_match_lines(const fs::path& file, const std::string& text, std::optional<std::size_t> bs,
                               const dagflow::ComputeOptions& options) {
  const std::vector<Lines> line_parts = partitions(read_text(file, {.blocksize = bs}), options);
  const std::vector<Lines> block_parts = partitions(read_blocks(file, {.blocksize = bs}), options);
  ASSERT_EQ(block_parts.size(), line_parts.size()) << "blocksize " << bs.value_or(0);
  std::string all;
  for (std::size_t i = 0; i < block_parts.size(); ++i) {
    ASSERT_EQ(block_parts[i].size(), 1u) << "blocksize " << bs.value_or(0) << ", partition " << i;
    EXPECT_EQ(reference_lines(block_parts[i][0]), line_parts[i]) << "blocksize " << bs.value_or(0) << ", partition " << i;
    all += block_parts[i][0];
  }
  EXPECT_EQ(all, text) << "blocksize " << bs.value_or(0);
}
}  // namespace

TEST_P(BagIo, ReadBlocksHoldsThePartitionsLinesWithTheirTerminators) {
  const std::string text = mixed_text(9, 300);
  const fs::path file = write("f.txt", text);
  expect_blocks_match_lines(file, text, std::nullopt, options());
  for (std::size_t bs : {std::size_t{1}, std::size_t{3}, std::size_t{16}, std::size_t{100}, std::size_t{1000},
                         text.size() - 1, text.size(), text.size() + 1})
    expect_blocks_match_lines(file, text, bs, options());
}

TEST_P(BagIo, ReadBlocksAtEveryBoundaryOfCrLfText) {
  for (const std::string& text : {std::string("ab\r\ncd\r\nef\r\n"), std::string("\r\n\r\n\r\n"),
                                  std::string("a\r\n\r\nb"), std::string("x\r\r\n\r\ny"), std::string("\n\n")}) {
    const fs::path file = write("crlf.txt", text);
    for (std::size_t bs = 1; bs <= text.size(); ++bs) expect_blocks_match_lines(file, text, bs, options());
  }
}

TEST_P(BagIo, ReadBlocksWithLinesLongerThanTheReadBuffer) {
  std::string text;
  for (int i = 0; i < 4; ++i) text += std::string(90000 * (i + 1), static_cast<char>('a' + i)) + "\n" + "x\n";
  const fs::path file = write("long.txt", text);
  for (std::size_t bs : {std::size_t{5000}, std::size_t{65536}, std::size_t{65537}, std::size_t{150000}, std::size_t{400000}})
    expect_blocks_match_lines(file, text, bs, options());
}

TEST_P(BagIo, ReadBlocksOfEmptyFileGzipAndSeveralFiles) {
  const fs::path empty = write("a/0.txt", "");
  const fs::path gz = write_gzip("a/1.txt.gz", "g1\ng2\n");
  write("a/2.txt", "p1\np2");
  const auto bag = read_blocks(path("a").string() + "/*", {.blocksize = 3});
  EXPECT_EQ(partitions(bag), (std::vector<Lines>{{""}, {"g1\ng2\n"}, {"p1\n"}, {"p2"}}));
  EXPECT_EQ(partitions(read_blocks(std::vector<std::string>{empty.string(), gz.string()})),
            (std::vector<Lines>{{""}, {"g1\ng2\n"}}));
}

TEST_P(BagIo, ReadBlocksReportsBadInputLikeReadText) {
  const fs::path missing = path("missing.txt");
  const std::string message = message_of([&] { read_blocks(missing); });
  EXPECT_NE(message.find(missing.string()), std::string::npos) << message;
  EXPECT_NE(message.find("read_blocks"), std::string::npos) << message;
  const std::string pattern = path("none").string() + "/*.txt";
  EXPECT_NE(message_of([&] { read_blocks(pattern); }).find("read_blocks: pattern '" + pattern + "'"), std::string::npos);
  EXPECT_THROW(read_blocks(missing), dagflow::UsageError);
  EXPECT_THROW(read_blocks(write("f.txt", "x\n"), {.blocksize = 0}), dagflow::UsageError);
  const fs::path fake = write("fake.gz", "not compressed\n");
  EXPECT_THROW(partitions(read_blocks(fake)), dagflow::TaskError);
}

TEST_P(BagIo, PartitionsAreThoseOfTheSyncScheduler) {
  const fs::path file = write("f.txt", mixed_text(3, 2000));
  const auto bag = read_text(file, {.blocksize = 997});
  EXPECT_EQ(partitions(bag), ::partitions(bag, {.scheduler = dagflow::Scheduler::sync}));
}

TEST_P(BagIo, ReadsAgainOnEveryCompute) {
  // Listing happens once; reading happens in the tasks, each time the bag is computed.
  const fs::path file = write("f.txt", "one\ntwo\n");
  const auto bag = read_text(file);
  EXPECT_EQ(lines(bag), (Lines{"one", "two"}));
  write("f.txt", "three\n");
  EXPECT_EQ(lines(bag), (Lines{"three"}));
}

TEST_P(BagIo, DeviceFileIsOnePartition) {
  // /dev/null has no size to cut by, so it is read whole, sequentially.
  const auto bag = read_text("/dev/null", {.blocksize = 4});
  EXPECT_EQ(bag.npartitions(), 1u);
  EXPECT_EQ(lines(bag), Lines{});
}

TEST_P(BagIo, PipeIsReadSequentiallyAsOnePartition) {
  // /dev/fd/N of a pipe's read end opens the pipe again: no size, no pread; read to its end.
  int ends[2];
  ASSERT_EQ(::pipe(ends), 0);
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "line " + std::to_string(i) + (i % 2 ? "\r\n" : "\n");
  ASSERT_LT(text.size(), 60000u);  // fits in the pipe's buffer, so writing does not block
  ASSERT_EQ(::write(ends[1], text.data(), text.size()), static_cast<ssize_t>(text.size()));
  ::close(ends[1]);
  const std::string name = "/dev/fd/" + std::to_string(ends[0]);
  const auto bag = read_text(name, {.blocksize = 100});
  EXPECT_EQ(bag.npartitions(), 1u);
  EXPECT_EQ(lines(bag), reference_lines(text));
  ::close(ends[0]);
}

TEST_P(BagIo, BagOperationsRunOnTheLines) {
  const fs::path file = write("f.txt", "mary\nhad\r\na\nlittle\nlamb");
  const auto bag = read_text(file, {.blocksize = 5});
  EXPECT_EQ(bag.compute(options()), (Lines{"mary", "had", "a", "little", "lamb"}));
  EXPECT_EQ(bag.count().compute(options()), 5u);
  EXPECT_EQ(bag.map([](const std::string& line) { return line.size(); }).compute(options()),
            (std::vector<std::size_t>{4, 3, 1, 6, 4}));
}

// --- Several files and globs --------------------------------------------------------------------------

TEST_P(BagIo, SeveralFilesInOrder) {
  const fs::path b = write("b.txt", "b1\nb2\n");
  const fs::path a = write("a.txt", "a1\n");
  const auto bag = read_text(std::vector<fs::path>{b, a, b});
  EXPECT_EQ(bag.npartitions(), 3u);
  EXPECT_EQ(lines(bag), (Lines{"b1", "b2", "a1", "b1", "b2"}));
  // A range of strings works too.
  const std::vector<std::string> names = {a.string(), b.string()};
  EXPECT_EQ(lines(read_text(names)), (Lines{"a1", "b1", "b2"}));
  EXPECT_EQ(lines(read_text({a, b})), (Lines{"a1", "b1", "b2"}));
}

TEST_P(BagIo, GlobMatchesFilesInSortedOrderAndSkipsDirectories) {
  write("data/b.txt", "b\n");
  write("data/a.txt", "a\n");
  write("data/c.log", "c\n");
  write("data/sub.txt/inner.txt", "inner\n");  // a directory whose name matches *.txt
  const std::string data = path("data").string();
  EXPECT_EQ(lines(read_text(data + "/*.txt")), (Lines{"a", "b"}));
  EXPECT_EQ(lines(read_text(data + "/*")), (Lines{"a", "b", "c"}));
  EXPECT_EQ(lines(read_text(data + "/?.log")), Lines{"c"});
  EXPECT_EQ(lines(read_text(data + "/[bc].*")), (Lines{"b", "c"}));
  EXPECT_EQ(read_text(data + "/*.txt").npartitions(), 2u);
  // Patterns and plain names mix, in the order given.
  EXPECT_EQ(lines(read_text(std::vector<std::string>{data + "/c.log", data + "/*.txt"})), (Lines{"c", "a", "b"}));
}

TEST_F(BagIoUsageErrors, GlobMatchingNothingIsAUsageError) {
  write("data/a.txt", "a\n");
  for (const std::string& pattern : {path("data").string() + "/*.csv", path("nowhere").string() + "/*.txt"}) {
    EXPECT_THROW(read_text(pattern), dagflow::UsageError);
    const std::string message = message_of([&] { read_text(pattern); });
    EXPECT_NE(message.find(pattern), std::string::npos) << message;
    EXPECT_NE(message.find("matches no files"), std::string::npos) << message;
  }
}

TEST_F(BagIoUsageErrors, GlobOnlyDirectoriesIsAUsageError) {
  fs::create_directories(path("data/x.txt"));
  EXPECT_THROW(read_text(path("data").string() + "/*.txt"), dagflow::UsageError);
}

// --- Errors -----------------------------------------------------------------------------------------

TEST_F(BagIoUsageErrors, MissingFileIsAUsageErrorNamingIt) {
  const fs::path good = write("good.txt", "x\n");
  const fs::path missing = path("missing.txt");
  EXPECT_THROW(read_text(std::vector<fs::path>{good, missing}), dagflow::UsageError);
  const std::string message = message_of([&] { read_text(missing); });
  EXPECT_NE(message.find(missing.string()), std::string::npos) << message;
  EXPECT_NE(message.find("does not exist"), std::string::npos) << message;
}

TEST_F(BagIoUsageErrors, DirectoryIsAUsageError) {
  const std::string message = message_of([&] { read_text(dir_); });
  EXPECT_NE(message.find(dir_.string()), std::string::npos) << message;
  EXPECT_NE(message.find("is a directory"), std::string::npos) << message;
  EXPECT_THROW(read_text(dir_), dagflow::UsageError);
}

TEST_F(BagIoUsageErrors, UnreadableFileIsAUsageError) {
  if (::geteuid() == 0) GTEST_SKIP() << "root can read any file";
  const fs::path file = write("secret.txt", "x\n");
  fs::permissions(file, fs::perms::none);
  EXPECT_THROW(read_text(file), dagflow::UsageError);
  const std::string message = message_of([&] { read_text(file); });
  EXPECT_NE(message.find(file.string()), std::string::npos) << message;
}

TEST_F(BagIoUsageErrors, UnreadableDirectoryInAGlobIsAUsageError) {
  if (::geteuid() == 0) GTEST_SKIP() << "root can read any directory";
  write("locked/a.txt", "a\n");
  fs::permissions(path("locked"), fs::perms::owner_write);  // no read, no search
  const std::string message = message_of([&] { read_text(path("locked").string() + "/*.txt"); });
  EXPECT_NE(message.find("locked"), std::string::npos) << message;
  EXPECT_THROW(read_text(path("locked").string() + "/*.txt"), dagflow::UsageError);
}

TEST_F(BagIoUsageErrors, BlocksizeZeroIsAUsageError) {
  const fs::path file = write("f.txt", "x\n");
  EXPECT_THROW(read_text(file, {.blocksize = 0}), dagflow::UsageError);
  EXPECT_NE(message_of([&] { read_text(file, {.blocksize = 0}); }).find("blocksize"), std::string::npos);
}

TEST_F(BagIoUsageErrors, NoFilesIsAUsageError) {
  EXPECT_THROW(read_text(std::vector<fs::path>{}), dagflow::UsageError);
}

TEST_P(BagIo, FileVanishingBeforeComputeIsATaskErrorNamingIt) {
  const fs::path file = write("f.txt", "x\ny\n");
  const auto bag = read_text(file);
  fs::remove(file);
  try {
    lines(bag);
    FAIL() << "expected TaskError";
  } catch (const dagflow::TaskError& error) {
    EXPECT_NE(std::string(error.what()).find(file.string()), std::string::npos) << error.what();
    EXPECT_NE(error.key().find("read_text"), std::string::npos) << error.key();
    try {
      error.rethrow_original();
    } catch (const std::system_error& original) {
      EXPECT_EQ(original.code(), std::errc::no_such_file_or_directory);
    }
  }
}

// --- gzip -------------------------------------------------------------------------------------------

TEST_P(BagIo, GzipFilesAreReadTransparently) {
  const std::string text = mixed_text(11, 3000);  // larger than the first read buffer
  const fs::path gz = write_gzip("f.txt.gz", text);
  ASSERT_LT(fs::file_size(gz), text.size());
  const auto bag = read_text(gz, {.blocksize = 100});  // a gzip file is never cut
  EXPECT_EQ(bag.npartitions(), 1u);
  EXPECT_EQ(lines(bag), reference_lines(text));
}

TEST_P(BagIo, GzipAndPlainFilesMix) {
  write_gzip("data/a.gz", "a1\na2\n");
  write("data/b.txt", "b1\nb2\nb3\n");
  const auto bag = read_text(path("data").string() + "/*", {.blocksize = 3});
  EXPECT_EQ(bag.npartitions(), 1u + 3u);
  EXPECT_EQ(lines(bag), (Lines{"a1", "a2", "b1", "b2", "b3"}));
}

TEST_P(BagIo, CompressionOptionOverridesTheName) {
  const fs::path gz = write_gzip("compressed.data", "x\ny\n");
  EXPECT_EQ(lines(read_text(gz, {.compression = Compression::gzip})), (Lines{"x", "y"}));
  const fs::path named = write("plain.gz", "p\nq\n");
  EXPECT_EQ(lines(read_text(named, {.compression = Compression::none})), (Lines{"p", "q"}));
}

TEST_P(BagIo, ConcatenatedGzipMembersAreOneStream) {
  const std::string first = read_bytes(write_gzip("1.gz", "one\ntw"));
  const std::string second = read_bytes(write_gzip("2.gz", "o\nthree\n"));
  const fs::path both = write("both.gz", first + second);
  EXPECT_EQ(lines(read_text(both)), (Lines{"one", "two", "three"}));
}

TEST_P(BagIo, EmptyGzipHasNoLines) {
  EXPECT_EQ(lines(read_text(write_gzip("empty.gz", ""))), Lines{});
}

TEST_P(BagIo, TruncatedGzipIsATaskErrorNamingTheFile) {
  const std::string whole = read_bytes(write_gzip("whole.gz", mixed_text(5, 200)));
  const fs::path cut = write("cut.gz", whole.substr(0, whole.size() / 2));
  const std::string message = message_of([&] { lines(read_text(cut)); });
  EXPECT_NE(message.find(cut.string()), std::string::npos) << message;
  EXPECT_THROW(lines(read_text(cut)), dagflow::TaskError);
}

TEST_P(BagIo, NonGzipDataInAGzipFileIsATaskError) {
  const fs::path fake = write("fake.gz", "not compressed\n");
  const std::string message = message_of([&] { lines(read_text(fake)); });
  EXPECT_NE(message.find(fake.string()), std::string::npos) << message;
  EXPECT_NE(message.find("not in gzip format"), std::string::npos) << message;
}

TEST_P(BagIo, CorruptGzipIsATaskError) {
  std::string bytes = read_bytes(write_gzip("good.gz", mixed_text(6, 200)));
  for (std::size_t i = 20; i < bytes.size() - 8; i += 7) bytes[i] = static_cast<char>(bytes[i] ^ 0x5a);
  const fs::path bad = write("bad.gz", bytes);
  EXPECT_THROW(lines(read_text(bad)), dagflow::TaskError);
}

// --- to_textfiles -----------------------------------------------------------------------------------

namespace {
Bag<std::string> bag_of(std::vector<Lines> parts) {
  std::vector<dagflow::Delayed<Lines>> delayed;
  for (Lines& part : parts) delayed.push_back(dagflow::value(std::move(part)));
  return dagflow::bag::from_delayed(std::move(delayed));
}
}  // namespace

TEST_P(BagIo, ToTextfilesWritesOneFilePerPartition) {
  const auto bag = bag_of({{"a", "b"}, {}, {"", "c d"}});
  const std::string pattern = path("out/deeper/part-*.txt").string();
  const auto written = dagflow::bag::to_textfiles(bag, pattern, options());
  ASSERT_EQ(written.size(), 3u);
  EXPECT_EQ(written[0], path("out/deeper/part-0.txt").string());
  EXPECT_EQ(written[2], path("out/deeper/part-2.txt").string());
  EXPECT_EQ(read_bytes(written[0]), "a\nb\n");
  EXPECT_EQ(read_bytes(written[1]), "");
  EXPECT_EQ(read_bytes(written[2]), "\nc d\n");
}

TEST_P(BagIo, ToTextfilesZeroPadsIndicesSoGlobOrderIsPartitionOrder) {
  std::vector<Lines> parts;
  for (int i = 0; i < 12; ++i) parts.push_back({"line " + std::to_string(i)});
  const auto written = dagflow::bag::to_textfiles(bag_of(parts), path("out/*.txt").string(), options());
  ASSERT_EQ(written.size(), 12u);
  EXPECT_EQ(fs::path(written[0]).filename(), "00.txt");
  EXPECT_EQ(fs::path(written[11]).filename(), "11.txt");
  Lines expected;
  for (const Lines& part : parts) expected.push_back(part[0]);
  EXPECT_EQ(lines(read_text(path("out/*.txt").string())), expected);
}

TEST_P(BagIo, ToTextfilesRoundTripThroughReadText) {
  const fs::path source = write("source.txt", mixed_text(9, 1000));
  const auto original = read_text(source, {.blocksize = 1500});
  ASSERT_GT(original.npartitions(), 5u);
  std::vector<std::string> written;
  for (const std::string& name : {std::string("copy/*.txt"), std::string("copy_gz/*.txt.gz")}) {
    written = dagflow::bag::to_textfiles(original, path(name).string(), options());
    EXPECT_EQ(written.size(), original.npartitions());
    const auto copy = read_text(path(name).string());
    EXPECT_EQ(copy.npartitions(), original.npartitions()) << name;
    EXPECT_EQ(partitions(copy), partitions(original)) << name;
  }
  // The .gz files really are gzip: zlib reads them back on its own.
  gzFile gz = gzopen(written[0].c_str(), "rb");
  ASSERT_NE(gz, nullptr);
  char head[2];
  EXPECT_EQ(gzread(gz, head, 2), 2);
  EXPECT_EQ(gzdirect(gz), 0);
  gzclose(gz);
}

TEST_P(BagIo, ToTextfilesFormatsNumbersAndUsesAFormatter) {
  auto ints = dagflow::bag::from_delayed(std::vector{dagflow::value(std::vector<int>{1, -20, 300})});
  EXPECT_EQ(read_bytes(dagflow::bag::to_textfiles(ints, path("ints-*").string(), options())[0]), "1\n-20\n300\n");
  auto doubles = dagflow::bag::from_delayed(std::vector{dagflow::value(std::vector<double>{0.1, 2.5, 1e300})});
  EXPECT_EQ(read_bytes(dagflow::bag::to_textfiles(doubles, path("doubles-*").string(), options())[0]), "0.1\n2.5\n1e+300\n");
  const auto squared = dagflow::bag::to_textfiles(
      ints, path("squares-*").string(), [](int x) { return std::to_string(x) + "^2=" + std::to_string(x * x); },
      options());
  EXPECT_EQ(read_bytes(squared[0]), "1^2=1\n-20^2=400\n300^2=90000\n");
}

TEST_P(BagIo, ToTextfilesDelayedWritesOnlyWhenComputed) {
  const auto bag = bag_of({{"x"}, {"y"}});
  const auto tasks = dagflow::bag::to_textfiles_delayed(bag, path("lazy/*.txt").string());
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_TRUE(fs::is_directory(path("lazy")));  // directories are made at call time
  EXPECT_FALSE(fs::exists(path("lazy/0.txt")));
  const auto written = dagflow::compute(tasks, options());
  EXPECT_EQ(read_bytes(written[1]), "y\n");
}

TEST_P(BagIo, ToTextfilesOfABagWithoutPartitionsWritesNothing) {
  EXPECT_EQ(dagflow::bag::to_textfiles(Bag<std::string>(), path("none/*.txt").string(), options()), Lines{});
  EXPECT_FALSE(fs::exists(path("none")));
}

TEST_F(BagIoUsageErrors, ToTextfilesPatternWithoutStarIsAUsageError) {
  const std::string pattern = path("out/file.txt").string();
  EXPECT_THROW(dagflow::bag::to_textfiles(bag_of({{"x"}}), pattern), dagflow::UsageError);
  EXPECT_NE(message_of([&] { dagflow::bag::to_textfiles(bag_of({{"x"}}), pattern); }).find(pattern),
            std::string::npos);
}

TEST_F(BagIoUsageErrors, ToTextfilesDirectoryThatCannotBeMadeIsAUsageError) {
  write("blocker", "a file where a directory should go\n");
  const std::string message =
      message_of([&] { dagflow::bag::to_textfiles(bag_of({{"x"}}), path("blocker/*.txt").string()); });
  EXPECT_NE(message.find("blocker"), std::string::npos) << message;
  EXPECT_THROW(dagflow::bag::to_textfiles(bag_of({{"x"}}), path("blocker/*.txt").string()), dagflow::UsageError);
}

TEST_P(BagIo, ToTextfilesWriteFailureIsATaskErrorNamingTheFile) {
  fs::create_directories(path("out/1.txt"));  // partition 1's file name is taken by a directory
  const auto bag = bag_of({{"x"}, {"y"}});
  try {
    dagflow::bag::to_textfiles(bag, path("out/*.txt").string(), options());
    FAIL() << "expected TaskError";
  } catch (const dagflow::TaskError& error) {
    EXPECT_NE(std::string(error.what()).find(path("out/1.txt").string()), std::string::npos) << error.what();
    EXPECT_NE(error.key().find("to_textfiles"), std::string::npos) << error.key();
  }
}

// The names in `dir`, sorted; temporary files included.
Lines names_in(const fs::path& dir) {
  Lines names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST_P(BagIo, ToTextfilesNeverLeavesAPartialFile) {
  // Partition 1 fails after more lines than the writer buffers (256 KiB), so part of it was on disk.
  // The file under its final name must not appear, nor any temporary; partition 0 is complete.
  write("out/1.txt", "the previous run's complete file\n");
  std::vector<int> numbers(200'000, 1);
  numbers.back() = -1;
  const auto bag = dagflow::bag::from_sequence(numbers, {.npartitions = 2});
  const auto format = [](int x) {
    if (x < 0) throw std::runtime_error("cannot format a negative number");
    return std::string(8, 'x');
  };
  EXPECT_THROW(dagflow::bag::to_textfiles(bag, path("out/*.txt").string(), format, options()), dagflow::TaskError);
  EXPECT_EQ(read_bytes(path("out/1.txt")), "the previous run's complete file\n");  // old file untouched
  const Lines names = names_in(path("out"));
  if (names.size() == 2) {
    EXPECT_EQ(read_bytes(path("out/0.txt")).size(), 100'000u * 9);  // it ran, whole
  }
  EXPECT_EQ(names.back(), "1.txt") << "partition 0 may have been cancelled, but nothing else may be left";
  EXPECT_LE(names.size(), 2u);
}

using BagIoInterrupted = WithTempDir<::testing::Test>;

TEST_F(BagIoInterrupted, AWriterKilledBySigtermLeavesNoFileUnderItsFinalName) {
  // A child process writes one partition and blocks half-way, after several buffers reached the disk;
  // it is killed there, as Ctrl-C or a job scheduler would. (The child uses the sync scheduler: after
  // fork() only the calling thread exists, so oneTBB's workers cannot be relied on.)
  const std::string pattern = path("out/*.txt").string();
  fs::create_directories(path("out"));
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const auto format = [](int x) {
      if (x == 500'000) ::pause();  // blocks until the signal arrives
      return "a line of text";
    };
    std::vector<int> numbers(1'000'000);
    std::iota(numbers.begin(), numbers.end(), 0);
    dagflow::bag::to_textfiles(dagflow::bag::from_sequence(std::move(numbers), {.npartitions = 1}), pattern, format,
                               {.scheduler = dagflow::Scheduler::sync});
    ::_exit(0);
  }
  // Wait for the temporary file to hold data, then kill the writer.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::uintmax_t written = 0;
  while (written < 1'000'000 && std::chrono::steady_clock::now() < give_up) {
    for (const auto& entry : fs::directory_iterator(path("out"))) written = std::max(written, entry.file_size());
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::kill(child, SIGTERM);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFSIGNALED(status));
  EXPECT_GE(written, 1'000'000u) << "the child never wrote";
  EXPECT_FALSE(fs::exists(path("out/0.txt"))) << "a partial file under the final name";
  // What is left is the hidden temporary file, which no reader of "out/*.txt" matches.
  for (const auto& entry : fs::directory_iterator(path("out")))
    EXPECT_EQ(entry.path().filename().string().rfind(".0.txt.tmp-", 0), 0u) << entry.path();
}

TEST_P(BagIo, ToTextfilesReplacesFilesWholeAndLeavesNoTemporaries) {
  write("out/0.txt", std::string(100'000, 'o'));  // longer than the new contents
  const auto written = dagflow::bag::to_textfiles(bag_of({{"a", "b"}, {"c"}}), path("out/*.txt").string(), options());
  EXPECT_EQ(read_bytes(written[0]), "a\nb\n");
  EXPECT_EQ(read_bytes(written[1]), "c\n");
  EXPECT_EQ(names_in(path("out")), (Lines{"0.txt", "1.txt"}));
  EXPECT_EQ(fs::status(written[0]).permissions() & fs::perms::owner_write, fs::perms::owner_write);
}

// --- Real text --------------------------------------------------------------------------------------

TEST_P(BagIo, MobyDickLinesMatchGetline) {
  const fs::path book = fs::path(DAGFLOW_SHARED_DATA_DIR) / "moby_dick.txt";
  if (!fs::exists(book)) GTEST_SKIP() << book << " is not present";
  Lines expected;
  std::ifstream in(book, std::ios::binary);
  for (std::string line; std::getline(in, line);) expected.push_back(line);
  for (std::size_t bs : {std::size_t{4096}, std::size_t{65536}, std::size_t{100'003}}) {
    const auto bag = read_text(book, {.blocksize = bs});
    EXPECT_EQ(bag.npartitions(), (fs::file_size(book) + bs - 1) / bs);
    EXPECT_EQ(lines(bag), expected) << "blocksize " << bs;
  }
  // And through gzip.
  const fs::path gz = write_gzip("moby.txt.gz", read_bytes(book));
  EXPECT_EQ(lines(read_text(gz)), expected);
}

// --- Reliability: empty and trailing gzip data, FIFOs, endless lines ---------------------------------

namespace {

// The message of the exception that a TaskError thrown by `action` carries, when it is a dagflow::Error
// (else a note saying what was thrown instead).
template <class F>
std::string original_error_of(F&& action) {
  try {
    action();
  } catch (const dagflow::TaskError& error) {
    try {
      error.rethrow_original();
    } catch (const dagflow::Error& original) {
      return original.what();
    } catch (const std::exception& other) {
      return std::string("(original not a dagflow::Error) ") + other.what();
    }
  } catch (const std::exception& other) {
    return std::string("(not a TaskError) ") + other.what();
  }
  return "(nothing thrown)";
}

std::string concatenated(const std::vector<std::string>& parts) {
  std::string all;
  for (const std::string& part : parts) all += part;
  return all;
}

}  // namespace

TEST_P(BagIo, EmptyGzipFileIsATaskErrorNamingTheFile) {
  // A 0-byte .gz holds no gzip member at all (gzip -d: "unexpected end of file"); zlib's gzread read it
  // as no lines.
  const fs::path empty = write("empty.txt.gz", "");
  for (const auto& bag : {read_text(empty), read_blocks(empty)}) {
    const std::string message = original_error_of([&] { partitions(bag); });
    EXPECT_NE(message.find(empty.string()), std::string::npos) << message;
    EXPECT_NE(message.find("unexpected end of file"), std::string::npos) << message;
  }
}

TEST_P(BagIo, BytesAfterTheLastGzipMemberAreATaskErrorNamingTheFile) {
  // zlib's gzread ignores what follows the last member; those bytes may be data, so they are an error.
  const std::string member = read_bytes(write_gzip("one.gz", "one\ntwo\n"));
  const std::string garbage[] = {"junk\n", std::string(1, '\0'), std::string(600, '\0'), "\x1f", "x"};
  for (const std::string& junk : garbage) {
    const fs::path file = write("junk.gz", member + junk);
    for (const auto& bag : {read_text(file), read_blocks(file)}) {
      const std::string message = original_error_of([&] { partitions(bag); });
      EXPECT_NE(message.find(file.string()), std::string::npos) << message;
      EXPECT_NE(message.find("trailing garbage"), std::string::npos) << message;
      EXPECT_NE(message.find("at byte " + std::to_string(member.size())), std::string::npos) << message;
    }
  }
  // A gzip magic number followed by anything but a member is corrupt data, also reported.
  const fs::path bad_member = write("bad_member.gz", member + "\x1f\x8bjunk");
  EXPECT_NE(original_error_of([&] { lines(read_text(bad_member)); }).find(bad_member.string()), std::string::npos);
}

TEST_P(BagIo, ManyConcatenatedGzipMembersStillReadAsOneStream) {
  // Hundreds of members, so that member boundaries (and their two magic bytes) fall across the reads of
  // compressed data; an empty member among them too. As `gzip -d` does, they are one stream.
  std::string text;
  std::string bytes;
  for (unsigned i = 0; i < 300; ++i) {
    const std::string piece = i == 7 ? std::string() : mixed_text(100 + i, 40);
    text += piece;
    bytes += read_bytes(write_gzip("member.gz", piece));
  }
  ASSERT_GT(bytes.size(), std::size_t{1} << 18);
  const fs::path file = write("many.gz", bytes);
  EXPECT_EQ(lines(read_text(file)), reference_lines(text));
  EXPECT_EQ(concatenated(partitions(read_blocks(file)).at(0)), text);
}

namespace {

// Writes `text` into the FIFO `path` from its own thread, as a producer process would: it opens the
// FIFO once a reader has it open, writes everything and closes it. Destroying it stops a writer still
// waiting for a reader.
class FifoWriter {
 public:
  FifoWriter(fs::path path, std::string text)
      : path_(std::move(path)), text_(std::move(text)), thread_([this] { run(); }) {}
  FifoWriter(const FifoWriter&) = delete;
  FifoWriter& operator=(const FifoWriter&) = delete;
  ~FifoWriter() {
    stop_ = true;
    thread_.join();
  }
  bool wrote_all() const { return wrote_all_; }

 private:
  void run() {
    // A reader closing early must not kill the test with SIGPIPE: blocked here, write() fails instead.
    sigset_t pipe_signal;
    sigemptyset(&pipe_signal);
    sigaddset(&pipe_signal, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);
    int fd = -1;
    while (!stop_ && fd < 0) {  // with O_NONBLOCK, open fails (ENXIO) until a reader has the FIFO open
      fd = ::open(path_.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
      if (fd < 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (fd < 0) return;
    ::fcntl(fd, F_SETFL, 0);  // blocking writes from here on
    std::size_t done = 0;
    while (done < text_.size()) {
      const ssize_t n = ::write(fd, text_.data() + done, text_.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) break;
      done += static_cast<std::size_t>(n);
    }
    wrote_all_ = done == text_.size();
    ::close(fd);
  }

  fs::path path_;
  std::string text_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> wrote_all_{false};
  std::thread thread_;
};

// Ends a wait for a writer on FIFO `path` (a reader blocked in open): a writer comes and goes at once.
void release_fifo_reader(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd >= 0) ::close(fd);
}

}  // namespace

TEST_P(BagIo, NamedPipeIsReadOnceAndWhole) {
  // Listing used to open and close the FIFO: that waited for a writer, which then lost its reader, and
  // the task's own open waited forever for another writer. Every wait here is bounded, so a regression
  // fails instead of hanging.
  const fs::path fifo = path("lines.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0) << os_error_text();
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "line " + std::to_string(i) + (i % 3 ? "\n" : "\r\n");
  ASSERT_GT(text.size(), std::size_t{1} << 17);  // more than a pipe holds: read while it is written

  for (const bool blocks : {false, true}) {
    // Making the bag must not touch the FIFO (no writer exists yet).
    auto listing = std::async(std::launch::async, [&] {
      return blocks ? read_blocks(fifo, {.blocksize = 1000}) : read_text(fifo, {.blocksize = 1000});
    });
    if (listing.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
      release_fifo_reader(fifo);
      listing.wait();
      FAIL() << "read_text waited for a writer on the FIFO while listing it";
    }
    const Bag<std::string> bag = listing.get();
    EXPECT_EQ(bag.npartitions(), 1u);

    FifoWriter writer(fifo, text);
    auto computed = std::async(std::launch::async, [&] { return partitions(bag); });
    if (computed.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
      release_fifo_reader(fifo);
      computed.wait();
      FAIL() << "computing the FIFO's bag did not finish";
    }
    const std::vector<Lines> parts = computed.get();
    ASSERT_EQ(parts.size(), 1u);
    if (blocks) {
      EXPECT_EQ(concatenated(parts[0]), text);
    } else {
      EXPECT_EQ(parts[0], reference_lines(text));
    }
    EXPECT_TRUE(writer.wrote_all());
  }
}

TEST_P(BagIo, EndlessLineIsATaskErrorNamingTheFileAndTheLimit) {
  // /dev/zero is one line without end: reading it used to end in std::bad_alloc.
  const auto small = ReadTextOptions{.max_line_length = 1000};
  for (const auto& bag : {read_text("/dev/zero", small), read_blocks("/dev/zero", small)}) {
    const std::string message = original_error_of([&] { partitions(bag); });
    EXPECT_NE(message.find("'/dev/zero'"), std::string::npos) << message;
    EXPECT_NE(message.find("longer than max_line_length (1000 bytes)"), std::string::npos) << message;
    EXPECT_NE(message.find("starts at byte 0"), std::string::npos) << message;
  }
  EXPECT_EQ(ReadTextOptions{}.max_line_length, std::optional<std::size_t>(std::size_t{1} << 30));
}

TEST_P(BagIo, LineLongerThanTheLimitIsATaskErrorWhicheverBlockHoldsIt) {
  // The long line: 100 "x" and the "\r" of its "\r\n", 101 bytes before the "\n", starting at byte 6.
  const std::string text = "short\n" + std::string(100, 'x') + "\r\nnext\n" + std::string(40, 'y');
  const fs::path file = write("long.txt", text);
  const fs::path gz = write_gzip("long.txt.gz", text);
  const std::optional<std::size_t> blocksizes[] = {std::nullopt, 1, 3, 6, 7, 50, 106, 107, 200};
  for (const auto& blocksize : blocksizes) {
    SCOPED_TRACE(blocksize ? std::to_string(*blocksize) : "unset");
    EXPECT_EQ(lines(read_text(file, {.blocksize = blocksize, .max_line_length = 101})), reference_lines(text));
    EXPECT_EQ(concatenated(lines(read_blocks(file, {.blocksize = blocksize, .max_line_length = 101}))), text);
    for (const auto& bag : {read_text(file, {.blocksize = blocksize, .max_line_length = 100}),
                            read_blocks(file, {.blocksize = blocksize, .max_line_length = 100})}) {
      const std::string message = original_error_of([&] { partitions(bag); });
      EXPECT_NE(message.find(in_quotes_text(file)), std::string::npos) << message;
      EXPECT_NE(message.find("max_line_length (100 bytes)"), std::string::npos) << message;
      EXPECT_NE(message.find("starts at byte 6"), std::string::npos) << message;
    }
  }
  EXPECT_EQ(lines(read_text(gz, {.max_line_length = 101})), reference_lines(text));
  const std::string message = original_error_of([&] { lines(read_text(gz, {.max_line_length = 100})); });
  EXPECT_NE(message.find("starts at byte 6 of the decompressed data"), std::string::npos) << message;
  // A last line without "\n" is held to the limit too.
  const fs::path last = write("last.txt", "a\n" + std::string(40, 'y'));
  EXPECT_EQ(lines(read_text(last, {.max_line_length = 40})), (Lines{"a", std::string(40, 'y')}));
  for (const auto& bag : {read_text(last, {.max_line_length = 39}), read_blocks(last, {.max_line_length = 39})}) {
    const std::string too_long = original_error_of([&] { partitions(bag); });
    EXPECT_NE(too_long.find("starts at byte 2"), std::string::npos) << too_long;
  }
  EXPECT_EQ(lines(read_text(file, {.max_line_length = std::nullopt})), reference_lines(text));
  EXPECT_THROW(read_text(file, {.max_line_length = 0}), dagflow::UsageError);
  EXPECT_THROW(read_blocks(file, {.max_line_length = 0}), dagflow::UsageError);
}

DAGFLOW_TEST_ON_EVERY_SCHEDULER(BagIo);
