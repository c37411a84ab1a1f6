#include "adapters/payments/http_payment_gateway.hpp"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <memory>
#include <string_view>

#include "adapters/curl_global.hpp"
#include "adapters/curl_perform.hpp"
#include "app/trace_context.hpp"
namespace shipline::adapters {
namespace {

constexpr long kConnectTimeoutMs = 5'000;
// Enough for any capture answer; beyond it the answer is read but not kept.
constexpr size_t kMaxAnswerBytes = 1 << 20;
constexpr size_t kAnswerExcerptBytes = 200;
constexpr const char* kCaptureFailed = "payment capture failed";

struct EasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

size_t CollectAnswer(char* data, size_t size, size_t count, void* user_data) {
  auto* answer = static_cast<std::string*>(user_data);
  size_t n = size * count;
  if (answer->size() < kMaxAnswerBytes) {
    answer->append(data, std::min(n, kMaxAnswerBytes - answer->size()));
  }
  return n;
}

// Percent-encodes everything but RFC 3986's unreserved characters, so a
// reference cannot change the path it is put in.
std::string EncodePathSegment(std::string_view segment) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : segment) {
    auto c = static_cast<unsigned char>(ch);
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

// A header value cannot end its line: control characters are dropped.
std::string HeaderValue(std::string_view value) {
  std::string out;
  for (char ch : value) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c != 0x7f) out.push_back(ch);
  }
  return out;
}

// Replaces every occurrence of the secret (a server could echo it back).
std::string Redact(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  for (size_t at = text.find(secret); at != std::string::npos;
       at = text.find(secret, at + std::string_view("[redacted]").size())) {
    text.replace(at, secret.size(), "[redacted]");
  }
  return text;
}

// The "id" string of a JSON object answer, if it has one.
std::string IdOf(const std::string& answer) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(answer, ec);
  if (ec || !value.is_object()) return {};
  const boost::json::value* id = value.as_object().if_contains("id");
  if (id == nullptr || !id->is_string()) return {};
  return std::string(id->as_string());
}

void LogCall(const std::string& request_id, long status, std::chrono::milliseconds latency,
             const std::string& error) {
  boost::json::object line;
  line["msg"] = "payment capture";
  line["request_id"] = request_id;
  line["status"] = status;
  line["latency_ms"] = latency.count();
  if (!error.empty()) line["error"] = error;
  spdlog::info("{}", boost::json::serialize(line));
}

}  // namespace

HttpPaymentGateway::HttpPaymentGateway(std::string base_url, std::string secret,
                                       std::chrono::milliseconds timeout)
    : base_url_(std::move(base_url)), secret_(std::move(secret)), timeout_(timeout) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
  EnsureCurlGlobalInit();
}

Result<app::CaptureReceipt> HttpPaymentGateway::Capture(const app::CaptureRequest& request) {
  std::string url = base_url_ + "/v1/payment_intents/" +
                    EncodePathSegment(request.payment_reference) + "/capture";
  std::string body = "amount_to_capture=" + std::to_string(request.amount);
  std::string authorization = "Authorization: Bearer " + HeaderValue(secret_);
  std::string idempotency = "Idempotency-Key: " + HeaderValue(request.idempotency_key);
  std::string traceparent = "traceparent: " + app::OutboundTraceparent(request.traceparent, ids_);

  std::unique_ptr<CURL, EasyDeleter> curl(curl_easy_init());
  if (!curl) return Error::Unavailable(kCaptureFailed, "curl_easy_init failed");
  curl_slist* raw_headers = nullptr;
  for (const std::string& header :
       {std::string("Content-Type: application/x-www-form-urlencoded"),
        std::string("Accept: application/json"), authorization, idempotency, traceparent}) {
    curl_slist* next = curl_slist_append(raw_headers, header.c_str());
    if (next == nullptr) {
      curl_slist_free_all(raw_headers);
      return Error::Unavailable(kCaptureFailed, "out of memory");
    }
    raw_headers = next;
  }
  std::unique_ptr<curl_slist, SlistDeleter> headers(raw_headers);

  std::string answer;
  char error_buffer[CURL_ERROR_SIZE] = {};
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_USERAGENT, "shipline");
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &CollectAnswer);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, kConnectTimeoutMs);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);

  auto started = std::chrono::steady_clock::now();
  CURLcode code = PerformTransfer(h);
  auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);

  if (code != CURLE_OK) {
    std::string cause = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
    cause = Redact(std::move(cause), secret_);
    LogCall(request.request_id, status, latency, cause);
    return Error::Unavailable(kCaptureFailed, "curl: " + cause);
  }
  LogCall(request.request_id, status, latency, {});
  if (status < 200 || status > 299) {
    std::string excerpt = Redact(answer, secret_).substr(0, kAnswerExcerptBytes);
    return Error::Unavailable(kCaptureFailed,
                              "HTTP " + std::to_string(status) + ": " + std::move(excerpt));
  }
  std::string id = IdOf(answer);
  return app::CaptureReceipt{id.empty() ? request.idempotency_key : std::move(id)};
}

}  // namespace shipline::adapters
