#pragma once

// The configuration file (TOML): every option of `shipline serve` under its
// long flag name, e.g.
//
//   listen = "0.0.0.0:8080"
//   data = "/var/lib/shipline"
//   io-threads = 4
//   access-log = false
//   broker-topic = ["order-shipment-shipped=VirtualTopic.ep.orders"]
//   payment-secret-file = "/etc/shipline/payment-secret"
//
// This file is the one place that decides where a setting comes from:
// a flag beats its SHIPLINE_* environment variable (CLI11 reads both), which
// beats the file, which beats the built-in default. ApplyConfigFile runs after
// CLI11 has parsed the command line and the environment and fills only the
// options neither of them set, through the options' own validators.
//
// Secrets may stay out of the file and the process list: KEY-file names a
// file whose content (without its final line break) is the value of KEY, for
// the keys in kSecretKeys.
//
// Other commands (worker email, keys, migrate, backup) read the same file for
// the options they share with serve (data, database, smtp, ...), and ignore
// the keys that belong to serve alone.

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "domain/result.hpp"

namespace shipline::main {

// Where `--config` points when it is not given and the file exists.
inline constexpr const char* kDefaultConfigPath = "/etc/shipline/shipline.toml";

// Keys whose value may come from a file instead (KEY-file = "PATH").
inline const std::vector<std::string> kSecretKeys = {"payment-secret", "smtp", "broker",
                                                     "database"};

// Adds `--config FILE` (environment SHIPLINE_CONFIG) to `command`.
CLI::Option* AddConfigOption(CLI::App& command, std::string& path);

// The file `--config` names, or kDefaultConfigPath when it was not given and
// that file exists; empty when there is no file to read.
std::string ConfigPathToUse(const std::string& given);

// Reads the TOML file at `path` and sets the options of `command` that no
// flag or environment variable set. A key is known when an option of any of
// `schema` (the commands that share the file) has it as its long name; only
// `command`'s own options are set. Hidden options (no group) are not keys.
// kInvalidArgument, with the message "PATH:LINE: KEY: what is wrong", for a
// file that cannot be read or is not TOML, an unknown key, a value of the
// wrong type or one the option's validator refuses, a KEY-file that cannot be
// read, or KEY and KEY-file both given.
Status ApplyConfigFile(const std::string& path, CLI::App& command,
                       const std::vector<const CLI::App*>& schema);

// The same from a string (tests): `name` stands for the path in messages.
Status ApplyConfigText(const std::string& text, const std::string& name, CLI::App& command,
                       const std::vector<const CLI::App*>& schema);

}  // namespace shipline::main
