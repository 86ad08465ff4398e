// AtomicFile: the complete new file or the old one under the destination's name, never a partial one,
// and no temporary file left behind on any path that returns.
#include <dagflow/atomic_file.hpp>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

namespace {

namespace fs = std::filesystem;

class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("dagflow_atomic_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path path(const std::string& name) const { return dir_ / name; }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& entry : fs::directory_iterator(dir_)) out.push_back(entry.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }
  static std::string read(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  fs::path dir_;
};

TEST_F(AtomicFileTest, TheDestinationAppearsOnlyAtCommit) {
  dagflow::AtomicFile file(path("result.txt"));
  EXPECT_EQ(file.destination(), path("result.txt"));
  EXPECT_EQ(file.temporary_path().parent_path(), dir_);
  EXPECT_EQ(file.temporary_path().filename().string().rfind(".result.txt.tmp-", 0), 0u);
  std::ofstream(file.temporary_path()) << "complete\n";
  EXPECT_FALSE(fs::exists(path("result.txt")));
  file.commit();
  EXPECT_EQ(read(path("result.txt")), "complete\n");
  EXPECT_EQ(names(), std::vector<std::string>{"result.txt"});
}

TEST_F(AtomicFileTest, WithoutCommitTheOldFileStaysAndTheTemporaryGoes) {
  std::ofstream(path("result.txt")) << "old\n";
  {
    dagflow::AtomicFile file(path("result.txt"));
    std::ofstream(file.temporary_path()) << "half of the ne";
  }  // as when an exception leaves the writer
  EXPECT_EQ(read(path("result.txt")), "old\n");
  EXPECT_EQ(names(), std::vector<std::string>{"result.txt"});
}

TEST_F(AtomicFileTest, NewFilesGetTheUsualPermissions) {
  dagflow::write_file_atomically(path("atomic.txt"), "x");
  std::ofstream(path("plain.txt")) << "x";  // what a plain new file gets under this process's umask
  EXPECT_EQ(fs::status(path("atomic.txt")).permissions(), fs::status(path("plain.txt")).permissions());
}

TEST_F(AtomicFileTest, WriteFileAtomicallyReplacesTheContents) {
  dagflow::write_file_atomically(path("a.txt"), std::string(100'000, 'a'));
  dagflow::write_file_atomically(path("a.txt"), "short");
  EXPECT_EQ(read(path("a.txt")), "short");
  dagflow::write_file_atomically(path("empty.txt"), "");
  EXPECT_EQ(fs::file_size(path("empty.txt")), 0u);
  EXPECT_EQ(names(), (std::vector<std::string>{"a.txt", "empty.txt"}));
}

TEST_F(AtomicFileTest, ANameStartingWithADashStaysAFileName) {
  const fs::path cwd = fs::current_path();
  fs::current_path(dir_);
  dagflow::write_file_atomically("-v.txt", "dash");
  fs::current_path(cwd);
  EXPECT_EQ(read(path("-v.txt")), "dash");
}

TEST_F(AtomicFileTest, ErrorsNameTheDestination) {
  const auto message = [](const fs::path& destination) {
    try {
      dagflow::write_file_atomically(destination, "x");
    } catch (const std::system_error& error) {
      return std::string(error.what());
    }
    return std::string("no exception");
  };
  EXPECT_NE(message(path("missing/dir/x.txt")).find("missing/dir/x.txt"), std::string::npos);
  fs::create_directories(path("a-directory"));
  EXPECT_NE(message(path("a-directory")).find("a-directory"), std::string::npos);
  EXPECT_NE(message(dir_ / "").find(dir_.string()), std::string::npos);  // no file name at all
  EXPECT_EQ(names(), std::vector<std::string>{"a-directory"});              // and no temporary left
}

TEST_F(AtomicFileTest, VeryLongNamesStillGetATemporary) {
  const std::string name(250, 'n');
  dagflow::write_file_atomically(path(name), "long");
  EXPECT_EQ(read(path(name)), "long");
}

}  // namespace
