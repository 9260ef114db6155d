#include "init/download.hpp"

#include <curl/curl.h>

#include <memory>

namespace kctl::init {

namespace {
size_t
append(char* data, size_t size, size_t count, void* target) {
  static_cast<std::string*>(target)->append(data, size * count);
  return size * count;
}
} // namespace

Result<std::string>
download(const std::string& url, std::chrono::seconds timeout) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) {
    return fail("cannot initialise libcurl");
  }
  std::string body;
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, "karmadactl");
  CURLcode code = curl_easy_perform(curl.get());
  const char* hint = "download it elsewhere and pass the file with --crds";
  if (code != CURLE_OK) {
    return failf("cannot download {}: {}; {}",
                 url,
                 error[0] != '\0' ? error : curl_easy_strerror(code),
                 hint);
  }
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) {
    return failf("cannot download {}: HTTP {}; {}", url, status, hint);
  }
  return body;
}

} // namespace kctl::init
