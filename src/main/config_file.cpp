#include "main/config_file.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace shipline::main {

namespace {

constexpr std::string_view kFileSuffix = "-file";

// The key an option answers to in the file: its first long name; empty for
// options that are not keys (positionals, hidden test options, --config,
// --help).
std::string KeyOf(const CLI::Option& option) {
  if (option.get_lnames().empty() || option.get_group().empty()) return {};
  const std::string& name = option.get_lnames().front();
  if (name == "config" || name == "help") return {};
  return name;
}

// The option of `command` that answers to `key`; nullptr when none does.
template <typename App>
auto FindOption(App& command, const std::string& key) ->
    typename decltype(command.get_options())::value_type {
  for (auto* option : command.get_options()) {
    if (KeyOf(*option) == key) return option;
  }
  return nullptr;
}

const CLI::Option* FindInSchema(const std::vector<const CLI::App*>& schema,
                                const std::string& key) {
  for (const CLI::App* app : schema) {
    if (const CLI::Option* option = FindOption(*app, key)) return option;
  }
  return nullptr;
}

bool IsSecretKey(const std::string& key) {
  return std::find(kSecretKeys.begin(), kSecretKeys.end(), key) != kSecretKeys.end();
}

bool IsFlag(const CLI::Option& option) { return option.get_items_expected_max() == 0; }

bool IsList(const CLI::Option& option) { return option.get_expected_max() > 1; }

bool IsNumber(const CLI::Option& option) {
  std::string type = option.get_type_name();
  return type.starts_with("UINT") || type.starts_with("INT") || type.starts_with("FLOAT") ||
         type.starts_with("NUMBER");
}

// One setting of the file, its value already turned into what CLI11 parses.
struct Setting {
  std::string key;
  size_t line = 0;
  std::vector<std::string> values;
};

Error At(const std::string& name, size_t line, const std::string& key, const std::string& what) {
  std::string message = name + ":" + std::to_string(line) + ": ";
  if (!key.empty()) message += key + ": ";
  return Error::Invalid(message + what, key);
}

// What an option takes, in words.
std::string Expected(const CLI::Option& option) {
  if (IsFlag(option)) return "true or false";
  if (IsNumber(option)) return "a number";
  return "a string";
}

// A scalar TOML value as text, checked against what the option takes.
Result<std::string> ScalarText(const toml::node& node, const CLI::Option& option) {
  const std::string expected = Expected(option);
  if (const auto* text = node.as_string(); text != nullptr && expected == "a string") {
    return text->get();
  }
  if (const auto* integer = node.as_integer(); integer != nullptr && expected == "a number") {
    return std::to_string(integer->get());
  }
  if (const auto* real = node.as_floating_point(); real != nullptr && expected == "a number") {
    std::ostringstream out;
    out.precision(17);
    out << real->get();
    return out.str();
  }
  if (const auto* boolean = node.as_boolean(); boolean != nullptr && expected == "true or false") {
    return std::string(boolean->get() ? "true" : "false");
  }
  return Error::Invalid("expects " + expected);
}

Result<std::vector<std::string>> ValuesOf(const toml::node& node, const CLI::Option& option) {
  std::vector<std::string> values;
  if (const auto* array = node.as_array()) {
    if (!IsList(option)) return Error::Invalid("takes one value, not a list");
    for (const toml::node& element : *array) {
      auto text = ScalarText(element, option);
      if (!text) return text.error();
      values.push_back(std::move(*text));
    }
    return values;
  }
  auto text = ScalarText(node, option);
  if (!text) return text.error();
  values.push_back(std::move(*text));
  return values;
}

// The content of a KEY-file: the secret, without the line break that ends
// the file (editors add one).
Result<std::string> ReadSecret(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::Invalid("cannot read " + path);
  std::ostringstream content;
  content << in.rdbuf();
  std::string secret = content.str();
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  if (secret.empty()) return Error::Invalid(path + " is empty");
  return secret;
}

// The settings of the document, each checked against the option it names.
Result<std::vector<Setting>> ReadSettings(const toml::table& table, const std::string& name,
                                          const std::vector<const CLI::App*>& schema) {
  std::vector<Setting> settings;
  for (const auto& [toml_key, node] : table) {
    std::string key(toml_key.str());
    size_t line = toml_key.source().begin.line;
    std::string target = key;
    bool from_file = false;
    if (key.ends_with(kFileSuffix)) {
      std::string base = key.substr(0, key.size() - kFileSuffix.size());
      if (IsSecretKey(base)) {
        target = base;
        from_file = true;
        if (table.contains(base))
          return At(name, line, key, "give " + base + " or " + key + ", not both");
      }
    }
    const CLI::Option* option = FindInSchema(schema, target);
    if (option == nullptr) return At(name, line, key, "unknown key");
    Setting setting{target, line, {}};
    if (from_file) {
      const auto* path = node.as_string();
      if (path == nullptr) return At(name, line, key, "expects a file name");
      auto secret = ReadSecret(path->get());
      if (!secret) return At(name, line, key, secret.error().message);
      setting.values.push_back(std::move(*secret));
    } else {
      auto values = ValuesOf(node, *option);
      if (!values) return At(name, line, key, values.error().message);
      setting.values = std::move(*values);
    }
    settings.push_back(std::move(setting));
  }
  return settings;
}

}  // namespace

CLI::Option* AddConfigOption(CLI::App& command, std::string& path) {
  return command
      .add_option("--config", path,
                  std::string("TOML configuration file (default: ") + kDefaultConfigPath +
                      " when it exists); flags and SHIPLINE_* variables override it")
      ->envname("SHIPLINE_CONFIG");
}

std::string ConfigPathToUse(const std::string& given) {
  if (!given.empty()) return given;
  std::error_code ec;
  if (std::filesystem::is_regular_file(kDefaultConfigPath, ec)) return kDefaultConfigPath;
  return {};
}

Status ApplyConfigText(const std::string& text, const std::string& name, CLI::App& command,
                       const std::vector<const CLI::App*>& schema) {
  toml::table table;
  try {
    table = toml::parse(text, name);
  } catch (const toml::parse_error& error) {
    return At(name, error.source().begin.line, {}, std::string(error.description()));
  }
  auto settings = ReadSettings(table, name, schema);
  if (!settings) return settings.error();
  for (const Setting& setting : *settings) {
    CLI::Option* option = FindOption(command, setting.key);
    // Another command's key, or one a flag or the environment already set.
    if (option == nullptr || option->count() > 0) continue;
    try {
      option->add_result(setting.values);
      option->run_callback();
    } catch (const CLI::Error& error) {
      return At(name, setting.line, setting.key, error.what());
    }
  }
  return Status();
}

Status ApplyConfigFile(const std::string& path, CLI::App& command,
                       const std::vector<const CLI::App*>& schema) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::Invalid(path + ": cannot read the configuration file");
  std::ostringstream content;
  content << in.rdbuf();
  return ApplyConfigText(content.str(), path, command, schema);
}

}  // namespace shipline::main
