// The shipline command line: serve, keys, migrate, tracking. The composition
// root (serve.cpp) is the only place that sees every layer.

#include <CLI/CLI.hpp>
#include <iostream>

#include "main/commands.hpp"

#ifndef SHIPLINE_VERSION
#define SHIPLINE_VERSION "dev"
#endif

int main(int argc, char** argv) {
  using namespace shipline::main;
  CLI::App app{"shipline: a self-hosted shipment service"};
  app.set_version_flag("--version", std::string("shipline ") + SHIPLINE_VERSION);
  app.require_subcommand(1);

  ServeConfig serve;
  auto* serve_cmd = app.add_subcommand("serve", "Serve the HTTP APIs and run the workers");
  serve_cmd->add_option("--listen", serve.listen, "HOST:PORT to listen on")
      ->envname("SHIPLINE_LISTEN")
      ->capture_default_str();
  serve_cmd->add_option("--data", serve.data, "Data folder (database, mail)")
      ->envname("SHIPLINE_DATA")
      ->capture_default_str();
  serve_cmd
      ->add_option("--smtp", serve.smtp,
                   "SMTP URL (smtp://host:port); without it mail is "
                   "written to DATA/mail/*.eml")
      ->envname("SHIPLINE_SMTP");
  serve_cmd->add_option("--mail-from", serve.mail_from, "Sender address of customer email")
      ->envname("SHIPLINE_MAIL_FROM")
      ->capture_default_str();
  serve_cmd->add_option("--payment-provider", serve.payment_provider, "manual or http")
      ->envname("SHIPLINE_PAYMENT_PROVIDER")
      ->check(CLI::IsMember({"manual", "http"}))
      ->capture_default_str();
  serve_cmd->add_option("--payment-url", serve.payment_url, "Base URL of the http payment provider")
      ->envname("SHIPLINE_PAYMENT_URL");
  serve_cmd
      ->add_option("--payment-secret", serve.payment_secret,
                   "Bearer secret for the http payment provider")
      ->envname("SHIPLINE_PAYMENT_SECRET");
  serve_cmd->add_option("--io-threads", serve.io_threads, "HTTP I/O threads")
      ->envname("SHIPLINE_IO_THREADS")
      ->capture_default_str();
  serve_cmd
      ->add_option("--handler-threads", serve.handler_threads,
                   "Threads that run request handlers (blocking work)")
      ->envname("SHIPLINE_HANDLER_THREADS")
      ->capture_default_str();
  serve_cmd->add_flag("--access-log,!--no-access-log", serve.access_log, "Log one line per request")
      ->envname("SHIPLINE_ACCESS_LOG");

  std::string data = "./var";
  std::string tenant;
  std::string name;
  auto* keys_cmd = app.add_subcommand("keys", "Manage API keys");
  keys_cmd->require_subcommand(1);
  auto* create_cmd = keys_cmd->add_subcommand("create", "Create an API key and print it");
  create_cmd->add_option("--data", data, "Data folder")->envname("SHIPLINE_DATA");
  create_cmd->add_option("--tenant", tenant, "Tenant (created if needed)")->required();
  create_cmd->add_option("--name", name, "Name of the key")->required();

  auto* migrate_cmd = app.add_subcommand("migrate", "Apply database migrations and exit");
  migrate_cmd->add_option("--data", data, "Data folder")->envname("SHIPLINE_DATA");

  CLI11_PARSE(app, argc, argv);

  if (serve_cmd->parsed()) return Serve(serve);
  if (create_cmd->parsed()) return CreateKey(data, tenant, name);
  if (migrate_cmd->parsed()) return MigrateCommand(data);
  std::cerr << app.help();
  return 2;
}
