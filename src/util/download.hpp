// Plain HTTP(S) downloads of user-named inputs (apply -f URL, init --crds URL): TLS verified
// against the system roots, HTTPS_PROXY/NO_PROXY honoured, a deadline and a size limit on every
// download.
#pragma once

#include "util/result.hpp"

#include <chrono>
#include <cstddef>
#include <string>

namespace kctl::net {

// What one download may bring at most unless the caller says otherwise.
inline constexpr std::size_t k_default_download_limit = 64u << 20;

struct DownloadOptions {
  std::chrono::seconds timeout{60};
  std::size_t max_bytes = k_default_download_limit;
  std::string hint; // appended to errors: how to do without the download
};

// GETs `url` (following redirects) and returns the body. Any status but 200, a body over
// `max_bytes` or a download past the deadline is an error that names the URL.
Result<std::string> download(const std::string& url, const DownloadOptions& options);

} // namespace kctl::net
