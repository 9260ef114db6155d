#include "util/curl_api.hpp"

#include <fmt/format.h>

#include <dlfcn.h>

#include <cstdlib>
#include <mutex>

namespace kctl::curl {

namespace {

Api g_api;

template <typename Function>
bool
resolve(void* library, const char* name, Function& target, std::string& missing) {
  void* symbol = dlsym(library, name);
  if (symbol == nullptr) {
    missing += missing.empty() ? name : fmt::format(", {}", name);
    return false;
  }
  // POSIX guarantees that a dlsym() result converts to the function's pointer type.
  target = reinterpret_cast<Function>(symbol);
  return true;
}

Result<const Api*>
load_once() {
  // RTLD_LOCAL: libcurl's dependencies do not take part in resolving our own symbols.
  void* library = dlopen(k_library, RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* reason = dlerror();
    return failf("cannot load {} ({}), which commands that talk to a server need: install the {} "
                 "package",
                 k_library,
                 reason != nullptr ? reason : "unknown reason",
                 k_package);
  }
  Api api;
  std::string missing;
  resolve(library, "curl_global_init", api.global_init, missing);
  resolve(library, "curl_easy_init", api.easy_init, missing);
  resolve(library, "curl_easy_setopt", api.easy_setopt, missing);
  resolve(library, "curl_easy_perform", api.easy_perform, missing);
  resolve(library, "curl_easy_getinfo", api.easy_getinfo, missing);
  resolve(library, "curl_easy_reset", api.easy_reset, missing);
  resolve(library, "curl_easy_cleanup", api.easy_cleanup, missing);
  resolve(library, "curl_easy_strerror", api.easy_strerror, missing);
  resolve(library, "curl_share_init", api.share_init, missing);
  resolve(library, "curl_share_setopt", api.share_setopt, missing);
  resolve(library, "curl_share_cleanup", api.share_cleanup, missing);
  resolve(library, "curl_slist_append", api.slist_append, missing);
  resolve(library, "curl_slist_free_all", api.slist_free_all, missing);
  resolve(library, "curl_url", api.url, missing);
  resolve(library, "curl_url_set", api.url_set, missing);
  resolve(library, "curl_url_get", api.url_get, missing);
  resolve(library, "curl_url_cleanup", api.url_cleanup, missing);
  resolve(library, "curl_free", api.free, missing);
  if (!missing.empty()) {
    // The library stays loaded: unloading a library that may have started threads is not safe.
    return failf(
        "{} is too old: it lacks {} (upgrade the {} package)", k_library, missing, k_package);
  }
  CURLcode code = api.global_init(CURL_GLOBAL_DEFAULT);
  if (code != CURLE_OK) {
    return failf("cannot initialise {}: {}", k_library, api.easy_strerror(code));
  }
  g_api = api;
  return &g_api;
}

} // namespace

Result<const Api*>
load() {
  static std::once_flag once;
  static Result<const Api*> loaded = fail("libcurl not loaded");
  std::call_once(once, [] { loaded = load_once(); });
  return loaded;
}

const Api&
api() {
  if (g_api.easy_init == nullptr) {
    // A programming error (a caller skipped load()); fail loudly rather than call through null.
    fmt::print(stderr, "internal error: libcurl used before it was loaded\n");
    std::abort();
  }
  return g_api;
}

} // namespace kctl::curl
