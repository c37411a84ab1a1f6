// The configuration file's parser and precedence (main/config_file.hpp), on a
// small CLI11 command like serve's.

#include "main/config_file.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace shipline::main {
namespace {

struct Command {
  CLI::App app{"test"};
  std::string listen = "default:1";
  size_t threads = 2;
  double rate = 100;
  bool access_log = true;
  std::string provider = "manual";
  std::string secret;
  std::vector<std::string> topics;
  std::string hidden;

  Command() {
    app.add_option("--listen", listen)->envname("CONFIG_TEST_LISTEN");
    app.add_option("--threads", threads)->check(CLI::Range(1, 64));
    app.add_option("--rate", rate);
    app.add_flag("--access-log,!--no-access-log", access_log);
    app.add_option("--payment-provider", provider)->check(CLI::IsMember({"manual", "http"}));
    app.add_option("--payment-secret", secret);
    app.add_option("--broker-topic", topics)->delimiter(',');
    app.add_option("--hidden", hidden)->group("");
  }

  void Parse(std::vector<std::string> args) {
    std::reverse(args.begin(), args.end());
    app.parse(args);
  }

  Status Apply(const std::string& text) { return ApplyConfigText(text, "f.toml", app, {&app}); }
};

std::string MessageOf(const Status& status) { return status.ok() ? "" : status.error().message; }

TEST(ConfigFile, SetsEveryKindOfOption) {
  Command c;
  c.Parse({});
  ASSERT_TRUE(c.Apply("listen = \"a:1\"\nthreads = 4\nrate = 2.5\naccess-log = false\n"
                      "broker-topic = [\"x=y\", \"z=w\"]\n")
                  .ok());
  EXPECT_EQ(c.listen, "a:1");
  EXPECT_EQ(c.threads, 4u);
  EXPECT_DOUBLE_EQ(c.rate, 2.5);
  EXPECT_FALSE(c.access_log);
  EXPECT_EQ(c.topics, (std::vector<std::string>{"x=y", "z=w"}));
}

TEST(ConfigFile, FlagsAndEnvironmentBeatTheFile) {
  ::setenv("CONFIG_TEST_LISTEN", "env:2", 1);
  Command c;
  c.Parse({"--threads", "8"});
  ::unsetenv("CONFIG_TEST_LISTEN");
  ASSERT_TRUE(c.Apply("listen = \"file:3\"\nthreads = 4\nrate = 7\n").ok());
  EXPECT_EQ(c.listen, "env:2");
  EXPECT_EQ(c.threads, 8u);
  EXPECT_DOUBLE_EQ(c.rate, 7);
}

TEST(ConfigFile, DefaultsStayWithoutTheKey) {
  Command c;
  c.Parse({});
  ASSERT_TRUE(c.Apply("# only a comment\n\n").ok());
  EXPECT_EQ(c.listen, "default:1");
  EXPECT_TRUE(c.access_log);
}

TEST(ConfigFile, NamesFileLineAndKeyOfEveryRefusal) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"listen = \"a\"\nunknown = 1\n", "f.toml:2: unknown: unknown key"},
      {"hidden = \"x\"\n", "f.toml:1: hidden: unknown key"},
      {"threads = \"4\"\n", "f.toml:1: threads: expects a number"},
      {"threads = 0\n", "f.toml:1: threads: "},
      {"threads = 4.5\n", "f.toml:1: threads: "},
      {"listen = 5\n", "f.toml:1: listen: expects a string"},
      {"access-log = 1\n", "f.toml:1: access-log: expects true or false"},
      {"payment-provider = \"cash\"\n", "f.toml:1: payment-provider: "},
      {"listen = [\"a\", \"b\"]\n", "f.toml:1: listen: takes one value, not a list"},
      {"broker-topic = [1]\n", "f.toml:1: broker-topic: expects a string"},
      {"[listen]\nx = 1\n", "f.toml:1: listen: expects a string"},
      {"[server]\nlisten = \"a\"\n", "f.toml:1: server: unknown key"},
      {"listen = \"a\"\nlisten = \"b\"\n", "f.toml:2:"},
      {"listen = \n", "f.toml:1:"},
      {"listen = \"unterminated\n", "f.toml:1:"},
      {"\n\n\xff = 1\n", "f.toml:"},
      {"payment-secret = \"a\"\npayment-secret-file = \"/x\"\n",
       "f.toml:2: payment-secret-file: give payment-secret or payment-secret-file, not both"},
      {"payment-secret-file = \"/nonexistent/secret\"\n",
       "f.toml:1: payment-secret-file: cannot read /nonexistent/secret"},
      {"payment-secret-file = 3\n", "f.toml:1: payment-secret-file: expects a file name"},
      {"listen-file = \"/etc/hostname\"\n", "f.toml:1: listen-file: unknown key"},
  };
  for (const auto& [text, expected] : cases) {
    Command c;
    c.Parse({});
    std::string message = MessageOf(c.Apply(text));
    EXPECT_TRUE(message.starts_with(expected)) << text << " -> " << message;
  }
}

TEST(ConfigFile, ReadsASecretFromAFileWithoutItsLineBreak) {
  auto path = std::filesystem::temp_directory_path() / "shipline_config_test_secret";
  std::ofstream(path) << "sk_secret\r\n";
  Command c;
  c.Parse({});
  ASSERT_TRUE(c.Apply("payment-secret-file = \"" + path.string() + "\"\n").ok());
  EXPECT_EQ(c.secret, "sk_secret");
  std::filesystem::remove(path);
}

TEST(ConfigFile, KeysOfAnotherCommandAreKnownButNotApplied) {
  Command serve;
  CLI::App worker{"worker"};
  std::string queue = "q";
  worker.add_option("--queue", queue);
  serve.Parse({});
  ASSERT_TRUE(ApplyConfigText("queue = \"other\"\nlisten = \"b:2\"\n", "f.toml", serve.app,
                              {&serve.app, &worker})
                  .ok());
  EXPECT_EQ(serve.listen, "b:2");
  EXPECT_EQ(queue, "q");
}

TEST(ConfigFile, ArbitraryBytesNeverCrashTheParser) {
  // Fuzz-like: every prefix of a valid file, and bytes flipped in it, give a
  // value or an error, never a crash or an exception.
  const std::string valid =
      "listen = \"a:1\" # c\nthreads = 4\nrate = 1e3\naccess-log = true\n"
      "broker-topic = [\"x=y\",]\n";
  for (size_t cut = 0; cut <= valid.size(); ++cut) {
    Command c;
    c.Parse({});
    (void)c.Apply(valid.substr(0, cut));
  }
  for (size_t at = 0; at < valid.size(); ++at) {
    for (char b : {'\0', '"', '[', '=', '\n', '\x80', '#', '\\'}) {
      std::string text = valid;
      text[at] = b;
      Command c;
      c.Parse({});
      (void)c.Apply(text);
    }
  }
}

}  // namespace
}  // namespace shipline::main
