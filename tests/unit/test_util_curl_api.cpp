// libcurl is loaded on first use (issue 14): every function we call resolves, the table is loaded
// once, and it is the library's own code (a version string from the loaded library).
#include "util/curl_api.hpp"

#include <doctest/doctest.h>

#include <string>

namespace {

template <typename Function>
bool
resolved(Function function) {
  return function != nullptr;
}

} // namespace

TEST_CASE("curl::load resolves every function once") {
  auto first = kctl::curl::load();
  REQUIRE(first.has_value());
  const kctl::curl::Api* api = *first;
  CHECK(resolved(api->global_init));
  CHECK(resolved(api->easy_init));
  CHECK(resolved(api->easy_setopt));
  CHECK(resolved(api->easy_perform));
  CHECK(resolved(api->easy_getinfo));
  CHECK(resolved(api->easy_reset));
  CHECK(resolved(api->easy_cleanup));
  CHECK(resolved(api->easy_strerror));
  CHECK(resolved(api->share_init));
  CHECK(resolved(api->share_setopt));
  CHECK(resolved(api->share_cleanup));
  CHECK(resolved(api->slist_append));
  CHECK(resolved(api->slist_free_all));
  CHECK(resolved(api->url));
  CHECK(resolved(api->url_set));
  CHECK(resolved(api->url_get));
  CHECK(resolved(api->url_cleanup));
  CHECK(resolved(api->free));
  auto second = kctl::curl::load();
  REQUIRE(second.has_value());
  CHECK(*second == api);
  CHECK(&kctl::curl::api() == api);
  CHECK(std::string(api->easy_strerror(CURLE_COULDNT_CONNECT)) == "Couldn't connect to server");

  // The loaded functions work: a URL handle parses and gives its parts back.
  CURLU* url = api->url();
  REQUIRE(url != nullptr);
  CHECK(api->url_set(url, CURLUPART_URL, "https://example.test:6443/api", 0) == CURLUE_OK);
  char* port = nullptr;
  REQUIRE(api->url_get(url, CURLUPART_PORT, &port, 0) == CURLUE_OK);
  CHECK(std::string(port) == "6443");
  api->free(port);
  api->url_cleanup(url);
}
