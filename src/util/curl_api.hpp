// libcurl, loaded on first use. Only commands that talk to a server need it, so the binary does not
// link it: `version`, `--help` and completion start without loading libcurl and its ~25 libraries
// (TLS, HTTP/2, IDN, LDAP, Kerberos, SSH...), which was most of their start-up time
// (bench/README.md, "Start-up profile"). `load()` dlopen()s the library once and resolves the
// functions we call; the types and constants still come from <curl/curl.h>.
#pragma once

#include "util/result.hpp"

#include <curl/curl.h>

namespace kctl::curl {

// The shared library we load, and the package that has it (Debian: libcurl4; the headers come from
// libcurl4-openssl-dev at build time).
#if defined(__APPLE__)
inline constexpr const char* k_library = "libcurl.4.dylib";
inline constexpr const char* k_package = "curl";
#else
inline constexpr const char* k_library = "libcurl.so.4";
inline constexpr const char* k_package = "libcurl4";
#endif

// The libcurl functions this program calls, with their exact prototypes from <curl/curl.h>.
struct Api {
  decltype(&::curl_global_init) global_init = nullptr;
  decltype(&::curl_easy_init) easy_init = nullptr;
  decltype(&::curl_easy_setopt) easy_setopt = nullptr;
  decltype(&::curl_easy_perform) easy_perform = nullptr;
  decltype(&::curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&::curl_easy_reset) easy_reset = nullptr;
  decltype(&::curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&::curl_easy_strerror) easy_strerror = nullptr;
  decltype(&::curl_share_init) share_init = nullptr;
  decltype(&::curl_share_setopt) share_setopt = nullptr;
  decltype(&::curl_share_cleanup) share_cleanup = nullptr;
  decltype(&::curl_slist_append) slist_append = nullptr;
  decltype(&::curl_slist_free_all) slist_free_all = nullptr;
  decltype(&::curl_url) url = nullptr;
  decltype(&::curl_url_set) url_set = nullptr;
  decltype(&::curl_url_get) url_get = nullptr;
  decltype(&::curl_url_cleanup) url_cleanup = nullptr;
  decltype(&::curl_free) free = nullptr;
};

// Loads libcurl and runs curl_global_init, once per process (thread-safe); later calls return the
// same table, or the same error when the library or one of its functions is missing.
Result<const Api*> load();

// The loaded table. Precondition: load() has succeeded (callers hold a handle or a transport that
// was created after it).
const Api& api();

} // namespace kctl::curl
