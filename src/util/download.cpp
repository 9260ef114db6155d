#include "util/download.hpp"

#include "util/curl_api.hpp"

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
  KCTL_TRY_ASSIGN(const curl::Api* api, curl::load());
  std::unique_ptr<CURL, decltype(api->easy_cleanup)> handle(api->easy_init(), api->easy_cleanup);
  if (!handle) {
    return fail("cannot initialise libcurl");
  }
  Sink sink;
  sink.max_bytes = options.max_bytes;
  char error[CURL_ERROR_SIZE] = {};
  api->easy_setopt(handle.get(), CURLOPT_URL, url.c_str());
  api->easy_setopt(handle.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  api->easy_setopt(handle.get(), CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  api->easy_setopt(handle.get(), CURLOPT_FOLLOWLOCATION, 1L);
  api->easy_setopt(handle.get(), CURLOPT_MAXREDIRS, 10L);
  api->easy_setopt(handle.get(), CURLOPT_TIMEOUT, static_cast<long>(options.timeout.count()));
  api->easy_setopt(
      handle.get(), CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_bytes));
  api->easy_setopt(handle.get(), CURLOPT_WRITEFUNCTION, append);
  api->easy_setopt(handle.get(), CURLOPT_WRITEDATA, &sink);
  api->easy_setopt(handle.get(), CURLOPT_ERRORBUFFER, error);
  api->easy_setopt(handle.get(), CURLOPT_USERAGENT, "karmadactl");
  CURLcode code = api->easy_perform(handle.get());
  std::string hint = options.hint.empty() ? "" : "; " + options.hint;
  if (sink.too_large || code == CURLE_FILESIZE_EXCEEDED) {
    return failf(
        "cannot download {}: larger than the limit of {} bytes{}", url, options.max_bytes, hint);
  }
  if (code != CURLE_OK) {
    return failf(
        "cannot download {}: {}{}", url, error[0] != '\0' ? error : api->easy_strerror(code), hint);
  }
  long status = 0;
  api->easy_getinfo(handle.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) {
    return failf("cannot download {}: HTTP {}{}", url, status, hint);
  }
  return std::move(sink.body);
}

} // namespace kctl::net
