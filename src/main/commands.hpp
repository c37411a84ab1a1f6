#pragma once

#include <string>

namespace shipline::main {

struct ServeConfig {
  std::string listen = "127.0.0.1:8080";
  std::string data = "./var";
  std::string smtp;
  std::string mail_from = "shipline@localhost";
  std::string payment_provider = "manual";
  std::string payment_url;
  std::string payment_secret;
  size_t io_threads = 2;
  size_t handler_threads = 64;
  bool access_log = true;
};

// Each returns the process exit code.
int Serve(const ServeConfig& config);
int CreateKey(const std::string& data, const std::string& tenant, const std::string& name);
int MigrateCommand(const std::string& data);

}  // namespace shipline::main
