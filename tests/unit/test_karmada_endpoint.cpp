// register's ENDPOINT argument (issue 20): what is accepted, and each refusal a usage error that
// names the problem without echoing credentials.
#include "karmada/discovery.hpp"
#include "karmada/endpoint.hpp"

#include <doctest/doctest.h>

using namespace kctl;
using namespace kctl::karmada;

namespace {

// The usage error for `text`; fails the test when it parses.
std::string
refusal(std::string_view text) {
  auto parsed = parse_api_endpoint(text);
  REQUIRE_MESSAGE(!parsed, std::string(text));
  CHECK(parsed.error().reason == k_reason_usage);
  return parsed.error().message;
}

bool
has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

} // namespace

TEST_SUITE("karmada.endpoint") {

  TEST_CASE("host:port, [IPv6]:port, a bare host and https:// are accepted") {
    auto v4 = parse_api_endpoint("192.168.0.10:32443");
    REQUIRE(v4);
    CHECK(v4->host == "192.168.0.10");
    CHECK(v4->port == 32443);
    CHECK_FALSE(v4->ipv6);
    CHECK(v4->url() == "https://192.168.0.10:32443");

    auto name = parse_api_endpoint("karmada.example.com:443");
    REQUIRE(name);
    CHECK(name->host == "karmada.example.com");
    CHECK(name->authority() == "karmada.example.com:443");

    auto v6 = parse_api_endpoint("[fd00::10]:32443");
    REQUIRE(v6);
    CHECK(v6->host == "fd00::10");
    CHECK(v6->ipv6);
    CHECK(v6->url() == "https://[fd00::10]:32443");

    // A bare host is port 443, as upstream's "https://" + endpoint means.
    auto bare = parse_api_endpoint("karmada-apiserver");
    REQUIRE(bare);
    CHECK_FALSE(bare->port.has_value());
    CHECK(bare->url() == "https://karmada-apiserver");
    CHECK(parse_api_endpoint("[::1]")->url() == "https://[::1]");

    auto https = parse_api_endpoint("https://10.0.0.1:32443");
    REQUIRE(https);
    CHECK(https->url() == "https://10.0.0.1:32443");
    CHECK(parse_api_endpoint("HTTPS://10.0.0.1:32443/")->url() == "https://10.0.0.1:32443");
    CHECK(parse_api_endpoint("host_1.example.:1"));
    CHECK(parse_api_endpoint("a:65535"));
    CHECK(parse_api_endpoint("a:1"));
  }

  TEST_CASE("no host before the port") {
    std::string message = refusal(":32443");
    CHECK(has(message, "invalid endpoint \":32443\": no host before \":\""));
    CHECK(has(message, "<host>:<port>"));
    CHECK(has(refusal("https://:32443"), "no host"));
    CHECK(has(refusal(""), "no host"));
    CHECK(has(refusal("https://"), "no host"));
  }

  TEST_CASE("ports outside 1-65535 or not numbers") {
    CHECK(has(refusal("127.0.0.1:99999"), "the port 99999 is out of range: a port is 1-65535"));
    CHECK(has(refusal("127.0.0.1:0"), "out of range"));
    CHECK(has(refusal("127.0.0.1:65536"), "out of range"));
    CHECK(has(refusal("127.0.0.1:"), "no port after \":\""));
    CHECK(has(refusal("127.0.0.1:https"), "is not a number from 1 to 65535"));
    CHECK(has(refusal("127.0.0.1:+80"), "is not a number"));
    CHECK(has(refusal("127.0.0.1:4294967297"), "is not a number"));
    CHECK(has(refusal("[::1]:99999"), "out of range"));
  }

  TEST_CASE("IPv6: brackets closed and required, a real address") {
    CHECK(has(refusal("[::1"), "\"[\" without \"]\""));
    CHECK(has(refusal("::1:32443"), "needs brackets"));
    CHECK(has(refusal("fd00::10"), "needs brackets"));
    CHECK(has(refusal("[not-v6]:1"), "is not an IPv6 address"));
    CHECK(has(refusal("[::1]32443"), "after \"]\" is not a port"));
    CHECK(has(refusal("[fe80::1%eth0]:1"), "zone"));
  }

  TEST_CASE("schemes: http:// is refused by name, others are not supported") {
    std::string http = refusal("http://x");
    CHECK(has(http, "invalid endpoint \"http://x\": http:// is refused"));
    CHECK(has(http, "HTTPS only"));
    CHECK(has(refusal("HTTP://x:80"), "http:// is refused"));
    CHECK(has(refusal("ftp://x:21"), "the scheme \"ftp\" is not supported"));
  }

  TEST_CASE("user information is refused and never echoed") {
    std::string message = refusal("u:p@host/x");
    CHECK(has(message, "\"<redacted>@host/x\""));
    CHECK(has(message, "no user name or password"));
    CHECK_FALSE(has(message, "u:p"));
    std::string https = refusal("https://admin:hunter2@10.0.0.1:32443");
    CHECK_FALSE(has(https, "hunter2"));
    CHECK_FALSE(has(https, "admin"));
    CHECK(has(https, "<redacted>@10.0.0.1:32443"));
    // A password with '/' or '@' in it is redacted up to the last '@'.
    CHECK_FALSE(has(refusal("u:pa/ss@word@host:1"), "pa/ss"));
    CHECK(redact_userinfo("no-at:1") == "no-at:1");
  }

  TEST_CASE("paths, spaces and characters no host has") {
    CHECK(has(refusal("host:1/api"), "\"/api\" is not part of an endpoint"));
    CHECK(has(refusal("https://host:1/x/"), "is not part of an endpoint"));
    CHECK(has(refusal("host:1?x=1"), "is not part of an endpoint"));
    CHECK(has(refusal("ho st:1"), "contains \" \""));
    CHECK(has(refusal("host\n:1"), "\\n"));
    CHECK(has(refusal("-host:1"), "is not a valid host name"));
    CHECK(has(refusal("a..b:1"), "is not a valid host name"));
    CHECK(has(refusal("999.1.1.1:1"), "is not an IPv4 address"));
    CHECK(has(refusal(std::string(64, 'a') + ":1"), "is not a valid host name"));
  }

  TEST_CASE("endpoint_url builds the URL from the parsed endpoint") {
    CHECK(endpoint_url("10.0.0.1:32443") == "https://10.0.0.1:32443");
    CHECK(endpoint_url("https://10.0.0.1:32443") == "https://10.0.0.1:32443");
    CHECK(endpoint_url("HTTPS://[::1]:6443/") == "https://[::1]:6443");
    CHECK(endpoint_url("karmada") == "https://karmada");
  }
}
