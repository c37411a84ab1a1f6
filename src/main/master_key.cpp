#include "main/master_key.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/log.hpp"

namespace shipline::main {

namespace {

Error Unusable(std::string message) { return Error::Invalid(std::move(message), "master-key"); }

// The keys in `text`, separated by white space; at least one.
Result<std::vector<app::SecretCipher>> ParseKeys(const std::string& text,
                                                 const std::string& source) {
  std::vector<app::SecretCipher> keys;
  std::istringstream words(text);
  for (std::string word; words >> word;) {
    auto key = app::SecretCipher::FromBase64(word);
    if (!key) return Unusable(key.error().message + ": " + source);
    keys.push_back(std::move(*key));
  }
  if (keys.empty()) {
    return Unusable("a master key is 32 bytes in standard base64 (openssl rand -base64 32): " +
                    source + " holds none");
  }
  return keys;
}

// The keys of a key file, one a line.
Result<std::vector<app::SecretCipher>> ReadKeys(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Unusable("cannot read the master key file " + path);
  struct stat info {};
  if (stat(path.c_str(), &info) == 0 && (info.st_mode & 077) != 0) {
    app::LogWarn("the master key file can be read by other users: chmod 600 it",
                 app::LogFields().Add("file", path));
  }
  std::stringstream text;
  text << in.rdbuf();
  return ParseKeys(text.str(), path);
}

// The previous keys: from `previous_file`, else SHIPLINE_PREVIOUS_MASTER_KEY;
// none when neither is given.
Result<std::vector<app::SecretCipher>> PreviousKeys(const std::string& previous_file) {
  if (!previous_file.empty()) return ReadKeys(previous_file);
  const char* text = std::getenv("SHIPLINE_PREVIOUS_MASTER_KEY");
  if (text == nullptr || *text == '\0') return std::vector<app::SecretCipher>();
  return ParseKeys(text, "SHIPLINE_PREVIOUS_MASTER_KEY");
}

}  // namespace

Result<app::SecretCipher> ReadKeyFile(const std::string& path) {
  auto keys = ReadKeys(path);
  if (!keys) return std::move(keys).error();
  if (keys->size() != 1) return Unusable("a master key file holds one key: " + path);
  return std::move(keys->front());
}

std::string DefaultKeyFile(const std::string& data) {
  return (std::filesystem::path(data) / "master.key").string();
}

Status WriteKeyFile(const std::string& path, const app::SecretCipher& cipher) {
  std::string temporary = path + ".new";
  int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Error::Internal("cannot create " + temporary + ": " + std::strerror(errno));
  std::string text = cipher.KeyBase64() + "\n";
  bool written =
      write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && fsync(fd) == 0;
  close(fd);
  if (!written || std::rename(temporary.c_str(), path.c_str()) != 0) {
    return Error::Internal("cannot write " + path + ": " + std::strerror(errno));
  }
  return Ok();
}

namespace {

// The master key, from the first source of main/master_key.hpp that has one.
Result<app::SecretCipher> LoadMasterKey(const std::string& key_file, const std::string& data,
                                        bool shared_database) {
  if (!key_file.empty()) return ReadKeyFile(key_file);
  if (const char* text = std::getenv("SHIPLINE_MASTER_KEY"); text != nullptr && *text != '\0') {
    auto cipher = app::SecretCipher::FromBase64(text);
    if (!cipher) return Unusable(cipher.error().message + ": SHIPLINE_MASTER_KEY");
    return cipher;
  }
  if (shared_database) {
    return Unusable(
        "a shared database needs a master key, the same on every node: --master-key-file FILE "
        "(SHIPLINE_MASTER_KEY_FILE) or SHIPLINE_MASTER_KEY; make one with openssl rand -base64 32");
  }
  std::string path = DefaultKeyFile(data);
  if (!std::filesystem::exists(path)) {
    app::SecretCipher generated = app::SecretCipher::Generate();
    if (Status written = WriteKeyFile(path, generated); !written.ok()) {
      return Unusable(written.error().detail);
    }
    app::LogWarn(
        "generated a master key for the secrets in the database; back it up apart from the "
        "database, which is useless without it",
        app::LogFields().Add("file", path).Add("keyId", generated.key_id()));
  }
  return ReadKeyFile(path);
}

}  // namespace

Result<std::shared_ptr<const app::MasterKeyRing>> LoadMasterKeys(const std::string& key_file,
                                                                 const std::string& previous_file,
                                                                 const std::string& data,
                                                                 bool shared_database) {
  auto master = LoadMasterKey(key_file, data, shared_database);
  if (!master) return std::move(master).error();
  auto previous = PreviousKeys(previous_file);
  if (!previous) return std::move(previous).error();
  std::vector<app::SecretCipher> keys{std::move(*master)};
  for (app::SecretCipher& key : *previous) keys.push_back(std::move(key));
  return std::shared_ptr<const app::MasterKeyRing>(
      std::make_shared<app::MasterKeyRing>(std::move(keys)));
}

}  // namespace shipline::main
