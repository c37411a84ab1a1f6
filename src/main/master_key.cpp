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

}  // namespace

std::string DefaultKeyFile(const std::string& data) {
  return (std::filesystem::path(data) / "master.key").string();
}

Result<app::SecretCipher> ReadKeyFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Unusable("cannot read the master key file " + path);
  struct stat info {};
  if (stat(path.c_str(), &info) == 0 && (info.st_mode & 077) != 0) {
    app::LogWarn("the master key file can be read by other users: chmod 600 it",
                 app::LogFields().Add("file", path));
  }
  std::stringstream text;
  text << in.rdbuf();
  auto cipher = app::SecretCipher::FromBase64(text.str());
  if (!cipher) return Unusable(cipher.error().message + ": " + path);
  return cipher;
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

Result<std::shared_ptr<const app::SecretCipher>> LoadMasterKey(const std::string& key_file,
                                                               const std::string& data,
                                                               bool shared_database) {
  using Loaded = std::shared_ptr<const app::SecretCipher>;
  if (!key_file.empty()) {
    auto cipher = ReadKeyFile(key_file);
    if (!cipher) return std::move(cipher).error();
    return Loaded(std::make_shared<app::SecretCipher>(std::move(*cipher)));
  }
  if (const char* text = std::getenv("SHIPLINE_MASTER_KEY"); text != nullptr && *text != '\0') {
    auto cipher = app::SecretCipher::FromBase64(text);
    if (!cipher) return Unusable(cipher.error().message + ": SHIPLINE_MASTER_KEY");
    return Loaded(std::make_shared<app::SecretCipher>(std::move(*cipher)));
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
  auto cipher = ReadKeyFile(path);
  if (!cipher) return std::move(cipher).error();
  return Loaded(std::make_shared<app::SecretCipher>(std::move(*cipher)));
}

}  // namespace shipline::main
