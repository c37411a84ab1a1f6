#include "adapters/mail/smtp_mailer.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string_view>

#include "adapters/curl_global.hpp"
#include "adapters/curl_perform.hpp"
#include "adapters/mail/rfc5322.hpp"

namespace shipline::adapters {
namespace {

constexpr long kConnectTimeoutMs = 10'000;
constexpr long kTotalTimeoutMs = 30'000;
constexpr const char* kSendFailed = "mail could not be sent";

struct EasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// The rendered message, handed to curl in pieces as it asks for them.
struct UploadSource {
  std::string_view remaining;
};

size_t ReadMessage(char* buffer, size_t size, size_t count, void* user_data) {
  auto* source = static_cast<UploadSource*>(user_data);
  size_t n = std::min(size * count, source->remaining.size());
  std::memcpy(buffer, source->remaining.data(), n);
  source->remaining.remove_prefix(n);
  return n;
}

// True when `url` names a user or a password: they may only travel over TLS.
bool HasCredentials(const std::string& url) {
  CURLU* parsed = curl_url();
  if (parsed == nullptr) return true;  // in doubt, require TLS
  bool found = true;
  if (curl_url_set(parsed, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
    char* user = nullptr;
    char* password = nullptr;
    bool has_user = curl_url_get(parsed, CURLUPART_USER, &user, 0) == CURLUE_OK;
    bool has_password = curl_url_get(parsed, CURLUPART_PASSWORD, &password, 0) == CURLUE_OK;
    found = has_user || has_password;
    curl_free(user);
    curl_free(password);
  }
  curl_url_cleanup(parsed);
  return found;
}

}  // namespace

SmtpMailer::SmtpMailer(std::string url)
    : url_(std::move(url)), requires_tls_(HasCredentials(url_)) {
  EnsureCurlGlobalInit();
}

SmtpMailer::~SmtpMailer() {
  if (idle_ != nullptr) curl_easy_cleanup(idle_);
}

Status SmtpMailer::Send(const app::MailMessage& message) {
  std::unique_ptr<CURL, EasyDeleter> curl;
  {
    std::lock_guard lock(mutex_);
    curl.reset(idle_);
    idle_ = nullptr;
  }
  if (!curl) curl.reset(curl_easy_init());
  if (!curl) return Error::Unavailable(kSendFailed, "curl_easy_init failed");
  Status sent = SendOn(curl.get(), message);
  std::lock_guard lock(mutex_);
  if (idle_ == nullptr) idle_ = curl.release();
  return sent;
}

Status SmtpMailer::SendOn(void* handle, const app::MailMessage& message) {
  CURL* h = handle;
  std::string recipient = MailboxAddress(message.to);
  if (recipient.empty()) return Error::Invalid("mail has no recipient address", "to");
  std::string sender = "<" + MailboxAddress(message.from) + ">";
  recipient = "<" + recipient + ">";

  std::unique_ptr<curl_slist, SlistDeleter> recipients(
      curl_slist_append(nullptr, recipient.c_str()));
  if (!recipients) return Error::Unavailable(kSendFailed, "out of memory");

  std::string rendered = RenderMessage(message);
  UploadSource source{rendered};
  char error_buffer[CURL_ERROR_SIZE] = {};

  curl_easy_reset(h);  // keeps the open connection, clears the last message's options
  curl_easy_setopt(h, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  // Without credentials there is nothing to lose to a server without TLS;
  // with them, STARTTLS (or smtps://) or nothing.
  curl_easy_setopt(h, CURLOPT_USE_SSL,
                   static_cast<long>(requires_tls_ ? CURLUSESSL_ALL : CURLUSESSL_TRY));
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, sender.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, &ReadMessage);
  curl_easy_setopt(h, CURLOPT_READDATA, &source);
  curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(rendered.size()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, kConnectTimeoutMs);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, kTotalTimeoutMs);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);

  CURLcode code = PerformTransfer(h);
  if (code != CURLE_OK) {
    std::string detail = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
    long reply = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply);
    if (reply >= 500 && reply < 600) {
      // A 5xx reply is the server's final word (unknown mailbox, policy):
      // retrying the same message cannot succeed.
      Error refused = Error::Invalid("the mail server refused the message");
      refused.detail = "SMTP " + std::to_string(reply) + ": " + detail;
      return refused;
    }
    if (code == CURLE_USE_SSL_FAILED) {
      detail =
          "the SMTP server offers no STARTTLS, and credentials are only sent over TLS "
          "(use a server with STARTTLS, or smtps://): " +
          detail;
    }
    return Error::Unavailable(kSendFailed, detail);
  }
  return Ok();
}

}  // namespace shipline::adapters
