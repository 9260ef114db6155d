#include "util/download.hpp"

#include <curl/curl.h>

#include <memory>

namespace kctl::net {

namespace {

struct Sink {
  std::string body;
  std::size_t max_bytes = 0;
  bool too_large = false;
};

size_t
append(char* data, size_t size, size_t count, void* target) {
  auto* sink = static_cast<Sink*>(target);
  if (sink->body.size() + size * count > sink->max_bytes) {
    sink->too_large = true;
    return 0; // makes libcurl stop with CURLE_WRITE_ERROR
  }
  sink->body.append(data, size * count);
  return size * count;
}

} // namespace

Result<std::string>
download(const std::string& url, const DownloadOptions& options) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) {
    return fail("cannot initialise libcurl");
  }
  Sink sink;
  sink.max_bytes = options.max_bytes;
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl.get(), CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, static_cast<long>(options.timeout.count()));
  curl_easy_setopt(
      curl.get(), CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_bytes));
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, "karmadactl");
  CURLcode code = curl_easy_perform(curl.get());
  std::string hint = options.hint.empty() ? "" : "; " + options.hint;
  if (sink.too_large || code == CURLE_FILESIZE_EXCEEDED) {
    return failf(
        "cannot download {}: larger than the limit of {} bytes{}", url, options.max_bytes, hint);
  }
  if (code != CURLE_OK) {
    return failf(
        "cannot download {}: {}{}", url, error[0] != '\0' ? error : curl_easy_strerror(code), hint);
  }
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) {
    return failf("cannot download {}: HTTP {}{}", url, status, hint);
  }
  return std::move(sink.body);
}

} // namespace kctl::net
