#include "workers/email_worker.hpp"

#include <gtest/gtest.h>

#include "support/test_world.hpp"

namespace shipline {
namespace {

class EmailWorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    actor_ = world_.Tenant();
    ASSERT_TRUE(world_.orders.Create(actor_, test::SampleOrder("100001")).ok());
    ASSERT_TRUE(world_.complete.Run(actor_, {"100001-1", "1Z999AA10123456784", ""}).ok());
  }

  workers::EmailWorker MakeWorker() {
    return workers::EmailWorker(*world_.store, mailer_, world_.clock, world_.signal,
                                workers::EmailWorker::Options{});
  }

  test::World world_;
  test::RecordingMailer mailer_;
  app::Actor actor_;
};

TEST_F(EmailWorkerTest, MailsTheCustomerOncePerShippedEvent) {
  auto worker = MakeWorker();
  ASSERT_EQ(*worker.RunOnce(), 1);
  ASSERT_EQ(mailer_.Count(), 1u);
  const auto& message = mailer_.sent[0];
  EXPECT_EQ(message.to, "ada@example.com");
  EXPECT_NE(message.subject.find("100001"), std::string::npos);
  EXPECT_NE(message.text.find("100001-1"), std::string::npos);
  EXPECT_NE(message.text.find("1Z999AA10123456784"), std::string::npos);
  EXPECT_NE(message.text.find("2 x A"), std::string::npos);

  // A new worker (a restart) resumes from the saved position: nothing twice.
  auto restarted = MakeWorker();
  EXPECT_EQ(*restarted.RunOnce(), 0);
  EXPECT_EQ(mailer_.Count(), 1u);
}

TEST_F(EmailWorkerTest, AFailedSendIsRetriedWithoutLosingTheEvent) {
  auto worker = MakeWorker();
  mailer_.fail = true;
  EXPECT_FALSE(worker.RunOnce().ok());
  EXPECT_EQ(mailer_.Count(), 0u);
  mailer_.fail = false;
  EXPECT_EQ(*worker.RunOnce(), 1);
  EXPECT_EQ(mailer_.Count(), 1u);
}

TEST_F(EmailWorkerTest, ABatchKeepsWhatWentOutBeforeAFailureAndResumesAtTheFailedEvent) {
  for (const char* number : {"100002", "100003"}) {
    ASSERT_TRUE(world_.orders.Create(actor_, test::SampleOrder(number)).ok());
    ASSERT_TRUE(
        world_.complete.Run(actor_, {std::string(number) + "-1", "1Z999AA10123456784", ""}).ok());
  }
  auto worker = MakeWorker();
  mailer_.fail_after = 1;
  EXPECT_EQ(*worker.RunOnce(), 1);  // the first is recorded, the batch ends at the failure
  EXPECT_FALSE(worker.RunOnce().ok());
  mailer_.fail_after = SIZE_MAX;
  EXPECT_EQ(*worker.RunOnce(), 2);
  ASSERT_EQ(mailer_.Count(), 3u);
  EXPECT_NE(mailer_.sent[2].subject.find("100003"), std::string::npos);

  auto restarted = MakeWorker();
  EXPECT_EQ(*restarted.RunOnce(), 0);
  EXPECT_EQ(mailer_.Count(), 3u);
}

TEST_F(EmailWorkerTest, AnEmailRecordedAsSentIsNotSentAgainAfterLosingThePosition) {
  auto worker = MakeWorker();
  ASSERT_EQ(*worker.RunOnce(), 1);
  ASSERT_TRUE(world_.store
                  ->Write([](app::StoreWriter& tx) {
                    return tx.Events().SetPosition(workers::EmailWorker::kConsumer, 0);
                  })
                  .ok());
  EXPECT_EQ(*worker.RunOnce(), 1);
  EXPECT_EQ(mailer_.Count(), 1u);
}

}  // namespace
}  // namespace shipline
