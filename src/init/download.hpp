// Plain HTTPS downloads (the CRD tarball when --crds is a URL). TLS is verified against the
// system roots; HTTPS_PROXY/NO_PROXY apply.
#pragma once

#include "util/result.hpp"

#include <chrono>
#include <string>

namespace kctl::init {

// GETs `url` (following redirects) and returns the body; any status but 200 is an error that
// names the URL and says how to avoid the download.
Result<std::string> download(const std::string& url, std::chrono::seconds timeout);

} // namespace kctl::init
