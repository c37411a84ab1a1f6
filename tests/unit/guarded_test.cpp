#include "workers/guarded.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace shipline::workers {
namespace {

TEST(Guarded, PassesTheRoundsResultThrough) {
  auto value = Guarded("round", [] { return Result<int>(7); });
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(*value, 7);
  auto failed = Guarded("round", [] { return Result<int>(Error::NotFound("gone")); });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, ErrorCode::kNotFound);
}

TEST(Guarded, AThrowingRoundIsAnInternalErrorNotADeadProcess) {
  auto thrown = Guarded("email round", []() -> Result<int> { throw std::runtime_error("boom"); });
  ASSERT_FALSE(thrown.ok());
  EXPECT_EQ(thrown.error().code, ErrorCode::kInternal);
  EXPECT_EQ(thrown.error().detail, "email round threw: boom");
  Status unknown = Guarded("round", []() -> Status { throw 42; });
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kInternal);
}

}  // namespace
}  // namespace shipline::workers
