// The backup file format (main/backup_bundle.hpp): what WriteBundle writes,
// ExtractBundle reads back, and it refuses what is not a bundle.

#include "main/backup_bundle.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace shipline::main {
namespace {

namespace fs = std::filesystem;

class BackupBundleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ =
        fs::temp_directory_path() /
        ("shipline_bundle_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "in");
    fs::create_directories(root_ / "out");
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path File(const std::string& name, const std::string& content) {
    fs::path path = root_ / "in" / name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  static std::string Read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }

  fs::path root_;
};

TEST_F(BackupBundleTest, RoundTripsTheDatabaseAndMail) {
  std::string big(70'000, 'x');
  big[513] = '\0';
  std::vector<BundleMember> members{{"shipline.db", File("db", big)},
                                    {"mail/a.eml", File("a", "Subject: a\r\n\r\nbody")},
                                    {"mail/empty.eml", File("e", "")}};
  ASSERT_TRUE(WriteBundle(root_ / "b.tar", members).ok());
  ASSERT_TRUE(ExtractBundle(root_ / "b.tar", root_ / "out").ok());
  EXPECT_EQ(Read(root_ / "out" / "shipline.db"), big);
  EXPECT_EQ(Read(root_ / "out" / "mail" / "a.eml"), "Subject: a\r\n\r\nbody");
  EXPECT_EQ(Read(root_ / "out" / "mail" / "empty.eml"), "");
  EXPECT_FALSE(fs::exists(root_ / "b.tar.partial"));
}

TEST_F(BackupBundleTest, RefusesAnExistingTargetAndNamesItCannotHold) {
  std::ofstream(root_ / "exists") << "x";
  EXPECT_FALSE(WriteBundle(root_ / "exists", {{"shipline.db", File("db", "d")}}).ok());
  for (std::string name : {"../x", "mail/../x", "/etc/passwd", "mail/", "mail/a/b", "other"}) {
    EXPECT_FALSE(IsBundleName(name)) << name;
  }
  EXPECT_FALSE(WriteBundle(root_ / "n.tar", {{"mail/../../x", File("db", "d")}}).ok());
  EXPECT_FALSE(fs::exists(root_ / "n.tar"));
}

TEST_F(BackupBundleTest, RefusesWhatIsNotABundle) {
  ASSERT_TRUE(WriteBundle(root_ / "b.tar", {{"shipline.db", File("db", "database")},
                                            {"mail/a.eml", File("a", "mail")}})
                  .ok());
  const std::string good = Read(root_ / "b.tar");
  int case_number = 0;
  auto refused = [&](const std::string& bytes) {
    fs::path path = root_ / ("bad" + std::to_string(case_number));
    fs::path out = root_ / ("out" + std::to_string(case_number++));
    fs::create_directories(out);
    std::ofstream(path, std::ios::binary) << bytes;
    return !ExtractBundle(path, out).ok();
  };
  EXPECT_TRUE(refused(""));
  EXPECT_TRUE(refused(good.substr(0, 700)));         // truncated content
  EXPECT_TRUE(refused(good.substr(0, 1024 + 100)));  // truncated header
  std::string flipped = good;
  flipped[5] = 'X';  // the name changes; the checksum no longer matches
  EXPECT_TRUE(refused(flipped));
  // A bundle without the database.
  ASSERT_TRUE(WriteBundle(root_ / "m.tar", {{"mail/a.eml", File("a", "mail")}}).ok());
  EXPECT_TRUE(refused(Read(root_ / "m.tar")));
  // Every byte of the headers flipped: an error or a clean extraction, no crash.
  for (size_t at = 0; at < 1024; at += 7) {
    std::string bytes = good;
    bytes[at] = static_cast<char>(bytes[at] ^ 0x5a);
    (void)refused(bytes);
  }
}

}  // namespace
}  // namespace shipline::main
