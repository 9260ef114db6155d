// The CRD tarball when --crds is a URL: a thin wrapper over net::download (TLS verified against
// the system roots, HTTPS_PROXY/NO_PROXY honoured, a deadline and a size limit).
#pragma once

#include "util/result.hpp"

#include <chrono>
#include <cstddef>
#include <string>

namespace kctl::init {

// Upstream's crds.tar.gz is about 60 KiB; nothing near this size is a CRD tarball.
inline constexpr std::size_t k_max_crds_download_bytes = std::size_t{64} << 20;

// GETs `url` (following redirects) and returns the body; any status but 200, a body over
// `max_bytes` or a download past `timeout` is an error that names the URL and says how to avoid
// the download.
Result<std::string> download(const std::string& url,
                             std::chrono::seconds timeout,
                             std::size_t max_bytes = k_max_crds_download_bytes);

} // namespace kctl::init
