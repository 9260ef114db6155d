#include "init/download.hpp"

#include "util/download.hpp"

namespace kctl::init {

Result<std::string>
download(const std::string& url, std::chrono::seconds timeout, std::size_t max_bytes) {
  net::DownloadOptions options;
  options.timeout = timeout;
  options.max_bytes = max_bytes;
  options.hint = "download it elsewhere and pass the file with --crds";
  return net::download(url, options);
}

} // namespace kctl::init
