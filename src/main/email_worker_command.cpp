// `shipline worker email`: the email handler as its own process, consuming
// the events that `serve --broker` publishes, from the handler's queue on the
// broker's virtual topic. It mails from the same database as the nodes.

#include <pthread.h>

#include <csignal>
#include <filesystem>
#include <iostream>
#include <memory>

#include "adapters/broker/stomp_subscriber.hpp"
#include "adapters/mail/file_mailer.hpp"
#include "adapters/mail/smtp_mailer.hpp"
#include "app/clock.hpp"
#include "app/log.hpp"
#include "main/broker_setup.hpp"
#include "main/commands.hpp"
#include "main/data_folder.hpp"
#include "workers/broker_email_worker.hpp"

namespace shipline::main {

int EmailWorkerCommand(const EmailWorkerConfig& config) {
  SetUpJsonLogging();
  // SIGINT and SIGTERM are blocked in every thread and awaited by this one.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  if (config.broker.empty()) {
    std::cerr << "shipline: --broker is required (the flag, SHIPLINE_BROKER or broker in the "
                 "configuration file)\n";
    return 2;
  }
  auto target =
      BrokerTargetOf(config.broker, config.broker_ca_file, config.broker_allow_plaintext_login);
  if (!target) {
    std::cerr << "shipline: --" << target.error().field << ": " << target.error().message << "\n";
    return 2;
  }
  if (config.queue.empty()) {
    std::cerr << "shipline: --queue cannot be empty\n";
    return 2;
  }
  auto store = OpenStore(config.data, config.database);
  if (!store) {
    app::LogError("cannot open the store", app::LogFields().Add("detail", store.error().detail));
    return 1;
  }
  std::unique_ptr<app::Mailer> mailer;
  if (!config.smtp.empty()) {
    mailer = std::make_unique<adapters::SmtpMailer>(config.smtp);
  } else {
    mailer = std::make_unique<adapters::FileMailer>(std::filesystem::path(config.data) / "mail");
  }
  app::SystemClock clock;
  const std::string where = target->url.Redacted();
  adapters::broker::StompSubscriber subscriber(std::move(target->url), config.queue,
                                               std::move(target->options));
  workers::BrokerEmailWorker::Options options;
  options.from = config.mail_from;
  workers::BrokerEmailWorker worker(**store, subscriber, *mailer, clock, options);
  worker.Start();
  app::LogInfo("email worker started", app::LogFields()
                                           .Add("broker", where)
                                           .Add("queue", config.queue)
                                           .Add("data", config.data)
                                           .Add("mail", mailer->Transport()));
  int received = 0;
  sigwait(&stop_signals, &received);
  app::LogInfo("stopping", app::LogFields().Add("signal", received));
  worker.Stop();
  app::LogInfo("stopped");
  return 0;
}

}  // namespace shipline::main
