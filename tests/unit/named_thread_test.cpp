#include "app/named_thread.hpp"

#include <gtest/gtest.h>
#include <pthread.h>

#include <string>

namespace shipline::app {
namespace {

std::string CurrentThreadName() {
  char name[32] = {};
  pthread_getname_np(pthread_self(), name, sizeof(name));
  return name;
}

TEST(NamedThread, RunsItsBodyUnderItsName) {
  std::string seen;
  NamedThread("sqlite-writer", [&seen] { seen = CurrentThreadName(); }).join();
  EXPECT_EQ(seen, "sqlite-writer");
}

TEST(NamedThread, ANameLongerThanFifteenBytesIsCutNotRefused) {
  std::string seen;
  NamedThread("a-name-of-twenty-chars", [&seen] { seen = CurrentThreadName(); }).join();
  EXPECT_EQ(seen, "a-name-of-twent");  // the first 15 bytes, not the process's name
}

TEST(NamedThread, NamingAThreadLeavesTheOthersAlone) {
  const std::string before = CurrentThreadName();
  NamedThread("email", [] {}).join();
  EXPECT_EQ(CurrentThreadName(), before);
}

}  // namespace
}  // namespace shipline::app
