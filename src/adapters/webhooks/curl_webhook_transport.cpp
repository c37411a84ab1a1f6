#include "adapters/webhooks/curl_webhook_transport.hpp"

#include <algorithm>
#include <cstring>

#include "adapters/connect_guard.hpp"
#include "adapters/curl_global.hpp"
#include "adapters/webhooks/signature.hpp"

namespace shipline::adapters::webhooks {

namespace wh = app::webhooks;

struct CurlWebhookTransport::Transfer {
  int64_t delivery_id = 0;
  ConnectGuard guard;
  size_t excerpt_limit = 0;
  std::string body;
  std::string username;
  std::string password;
  std::string answer;  // the first excerpt_limit bytes
  curl_slist* headers = nullptr;
  char error[CURL_ERROR_SIZE] = {};
  std::chrono::steady_clock::time_point started;
};

namespace {

// A header value cannot end its line: control characters are dropped.
std::string HeaderValue(std::string_view value) {
  std::string out;
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte != 0x7F) out.push_back(c);
  }
  return out;
}

// Keeps answers printable so they can be shown in JSON and logs as they are.
std::string Printable(const std::string& bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (char c : bytes) {
    auto byte = static_cast<unsigned char>(c);
    out.push_back(byte >= 0x20 && byte < 0x7F ? c : (c == '\n' || c == '\t' ? ' ' : '?'));
  }
  return out;
}

size_t KeepAnswer(char* data, size_t size, size_t count, void* user_data) {
  auto* transfer = static_cast<CurlWebhookTransport::Transfer*>(user_data);
  size_t n = size * count;
  if (transfer->answer.size() < transfer->excerpt_limit) {
    transfer->answer.append(data, std::min(n, transfer->excerpt_limit - transfer->answer.size()));
  }
  return n;  // the rest is read and dropped
}

int64_t Millis(std::chrono::steady_clock::duration duration) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(duration).count();
}

}  // namespace

CurlWebhookTransport::CurlWebhookTransport(Options options) : options_(std::move(options)) {
  EnsureCurlGlobalInit();
  multi_ = curl_multi_init();
  if (multi_ != nullptr) {
    curl_multi_setopt(multi_, CURLMOPT_MAX_TOTAL_CONNECTIONS,
                      static_cast<long>(options_.max_connections));
    curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, static_cast<long>(options_.max_connections));
  }
}

CurlWebhookTransport::~CurlWebhookTransport() {
  (void)Abort();
  if (multi_ != nullptr) curl_multi_cleanup(multi_);
}

void CurlWebhookTransport::Start(wh::OutboundRequest request) {
  auto fail = [&](std::string error) {
    failed_to_start_.push_back({request.delivery_id, 0, 0, "", std::move(error), std::nullopt});
  };
  auto transfer = std::make_unique<Transfer>();
  transfer->delivery_id = request.delivery_id;
  transfer->guard.allow_private = options_.allow_private;
  transfer->excerpt_limit = options_.excerpt_bytes;
  transfer->body = std::move(request.body);
  transfer->username = request.basic_username;
  transfer->password = request.basic_password;

  std::vector<std::string> lines = {
      "Content-Type: application/json",
      "Expect:",  // no 100-continue round trip
      "webhook-id: " + HeaderValue(request.message_id),
      "webhook-timestamp: " + std::to_string(request.timestamp),
  };
  if (!request.traceparent.empty()) {
    lines.push_back("traceparent: " + HeaderValue(request.traceparent));
  }
  if (!request.secrets.empty()) {
    auto signature =
        SignatureHeader(request.secrets, request.message_id, request.timestamp, transfer->body);
    if (!signature) return fail("cannot sign: " + signature.error().message);
    lines.push_back("webhook-signature: " + *signature);
  }
  for (const auto& line : lines) {
    curl_slist* next = curl_slist_append(transfer->headers, line.c_str());
    if (next == nullptr) {
      curl_slist_free_all(transfer->headers);
      return fail("out of memory");
    }
    transfer->headers = next;
  }

  CURL* h = multi_ != nullptr ? curl_easy_init() : nullptr;
  if (h == nullptr) {
    curl_slist_free_all(transfer->headers);
    return fail("libcurl could not start a transfer");
  }
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_PROXY, "");  // ignore proxy variables: connect where the URL says
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, transfer->body.c_str());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(transfer->body.size()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, transfer->headers);
  curl_easy_setopt(h, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &KeepAnswer);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, transfer.get());
  GuardConnections(h, &transfer->guard);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, transfer->error);
  curl_easy_setopt(h, CURLOPT_PRIVATE, transfer.get());
  if (!transfer->username.empty()) {
    curl_easy_setopt(h, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
    curl_easy_setopt(h, CURLOPT_USERNAME, transfer->username.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, transfer->password.c_str());
  }
  transfer->started = std::chrono::steady_clock::now();
  if (curl_multi_add_handle(multi_, h) != CURLM_OK) {
    curl_easy_cleanup(h);
    curl_slist_free_all(transfer->headers);
    return fail("libcurl could not queue the transfer");
  }
  transfers_.emplace(h, std::move(transfer));
}

void CurlWebhookTransport::Collect(std::vector<wh::TransferResult>& done) {
  int queued = 0;
  while (CURLMsg* message = curl_multi_info_read(multi_, &queued)) {
    if (message->msg != CURLMSG_DONE) continue;
    CURL* h = message->easy_handle;
    CURLcode code = message->data.result;
    auto found = transfers_.find(h);
    if (found == transfers_.end()) continue;
    Transfer& transfer = *found->second;
    wh::TransferResult result;
    result.delivery_id = transfer.delivery_id;
    result.latency_ms = Millis(std::chrono::steady_clock::now() - transfer.started);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (code == CURLE_OK) {
      result.status_code = static_cast<int>(status);
      result.response_excerpt = Printable(transfer.answer);
      curl_off_t retry_after = 0;
      if (curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK && retry_after > 0) {
        result.retry_after_seconds = static_cast<int64_t>(retry_after);
      }
    } else if (!transfer.guard.refused.empty()) {
      result.error = transfer.guard.refused;
    } else {
      result.error = transfer.error[0] != '\0' ? transfer.error : curl_easy_strerror(code);
    }
    curl_multi_remove_handle(multi_, h);
    curl_easy_cleanup(h);
    curl_slist_free_all(transfer.headers);
    transfers_.erase(found);
    done.push_back(std::move(result));
  }
}

std::vector<wh::TransferResult> CurlWebhookTransport::Poll(std::chrono::milliseconds max_wait) {
  std::vector<wh::TransferResult> done = std::move(failed_to_start_);
  failed_to_start_.clear();
  if (multi_ == nullptr) return done;
  int running = 0;
  curl_multi_perform(multi_, &running);
  Collect(done);
  if (!done.empty()) return done;
  int ready = 0;
  long wait = std::clamp<long>(static_cast<long>(max_wait.count()), 0, 60'000);
  curl_multi_poll(multi_, nullptr, 0, static_cast<int>(wait), &ready);
  curl_multi_perform(multi_, &running);
  Collect(done);
  return done;
}

void CurlWebhookTransport::Wake() {
  if (multi_ != nullptr) curl_multi_wakeup(multi_);
}

std::vector<int64_t> CurlWebhookTransport::Abort() {
  std::vector<int64_t> ids;
  for (auto& [h, transfer] : transfers_) {
    ids.push_back(transfer->delivery_id);
    curl_multi_remove_handle(multi_, h);
    curl_easy_cleanup(h);
    curl_slist_free_all(transfer->headers);
  }
  transfers_.clear();
  for (const auto& result : failed_to_start_) ids.push_back(result.delivery_id);
  failed_to_start_.clear();
  return ids;
}

}  // namespace shipline::adapters::webhooks
