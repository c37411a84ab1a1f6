#include "adapters/mail/file_mailer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string_view>
#include <system_error>
#include <vector>

#include "adapters/mail/rfc5322.hpp"
#include "adapters/system/file_descriptor.hpp"

namespace shipline::adapters {
namespace {

constexpr std::string_view kWriteFailed = "mail could not be written";

std::string SanitizeFileStem(std::string_view id) {
  std::string out;
  out.reserve(id.size());
  for (char ch : id) {
    bool keep = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                ch == '.' || ch == '_' || ch == '-';
    out.push_back(keep ? ch : '_');
  }
  return out;
}

Error WriteError(const std::string& what, const std::filesystem::path& path, int error_number) {
  return Error::Unavailable(std::string(kWriteFailed),
                            what + " " + path.string() + ": " + std::strerror(error_number));
}

Status SyncDirectory(const std::filesystem::path& directory) {
  FileDescriptor dir(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() < 0) return WriteError("open", directory, errno);
  if (::fsync(dir.get()) != 0) return WriteError("fsync", directory, errno);
  return Ok();
}

}  // namespace

FileMailer::FileMailer(std::filesystem::path directory) : directory_(std::move(directory)) {
  // A failure here shows up again, as an error value, on the first Send.
  std::error_code ignored;
  std::filesystem::create_directories(directory_, ignored);
  RemoveAbandonedTemporaries();
}

void FileMailer::RemoveAbandonedTemporaries() {
  // A temporary lives for the milliseconds of one write; one older than a
  // minute was left by a process killed mid-write (another process's write
  // in progress is younger).
  const auto cutoff = std::filesystem::file_time_type::clock::now() - std::chrono::minutes(1);
  std::error_code ec;
  for (std::filesystem::directory_iterator it(directory_, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (!it->path().filename().string().starts_with(".mail-")) continue;
    std::error_code stat_error;
    auto written = it->last_write_time(stat_error);
    if (!stat_error && written < cutoff) std::filesystem::remove(it->path(), stat_error);
  }
}

std::filesystem::path FileMailer::PathFor(const std::string& message_id) const {
  return directory_ / (SanitizeFileStem(message_id) + ".eml");
}

Status FileMailer::Send(const app::MailMessage& message) {
  SHIPLINE_RETURN_IF_ERROR(Write(message));
  // The rename is durable only once the folder's entry is on disk.
  return SyncDirectory(directory_);
}

std::vector<Status> FileMailer::SendEach(const std::vector<app::MailMessage>& messages,
                                         const std::function<bool()>& proceed) {
  std::vector<Status> statuses =
      SendInOrder(messages, proceed, [this](const app::MailMessage& m) { return Write(m); });
  // One folder sync makes every rename of the batch durable. Without it none
  // counts as delivered: the batch ends at its first written message, which
  // reports the failure (a retry rewrites the same files).
  auto written = std::find_if(statuses.begin(), statuses.end(),
                              [](const Status& status) { return status.ok(); });
  if (written == statuses.end()) return statuses;
  Status synced = SyncDirectory(directory_);
  if (!synced.ok()) {
    *written = synced;
    statuses.erase(written + 1, statuses.end());
  }
  return statuses;
}

Status FileMailer::Write(const app::MailMessage& message) {
  if (message.message_id.empty()) return Error::Invalid("mail has no message id", "message_id");

  std::error_code ec;
  std::filesystem::create_directories(directory_, ec);
  if (ec) {
    return Error::Unavailable(std::string(kWriteFailed),
                              "create " + directory_.string() + ": " + ec.message());
  }

  std::filesystem::path target = PathFor(message.message_id);
  // Hidden and without the .eml suffix, so a reader of *.eml never sees it.
  std::string temp_name = (directory_ / ".mail-XXXXXX").string();
  std::vector<char> temp_buffer(temp_name.begin(), temp_name.end());
  temp_buffer.push_back('\0');
  FileDescriptor file(::mkostemp(temp_buffer.data(), O_CLOEXEC));
  if (file.get() < 0) return WriteError("create temporary file in", directory_, errno);
  std::filesystem::path temp_path(temp_buffer.data());

  auto fail = [&](const char* what, int error_number) -> Status {
    Error error = WriteError(what, temp_path, error_number);
    ::unlink(temp_path.c_str());
    return error;
  };
  if (!WriteAll(file.get(), RenderMessage(message))) return fail("write", errno);
  if (::fsync(file.get()) != 0) return fail("fsync", errno);
  if (file.Close() != 0) return fail("close", errno);
  if (::rename(temp_path.c_str(), target.c_str()) != 0) return fail("rename", errno);
  return Ok();
}

}  // namespace shipline::adapters
