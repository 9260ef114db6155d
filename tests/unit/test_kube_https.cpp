// The client over real HTTPS against tests/support/fake_apiserver.py: TLS verification, client
// certificates, credentials, retries, Status errors, paging, watch resumption and dry-run.
#include "kube/client.hpp"
#include "kube/curl_transport.hpp"
#include "kube_test_server.hpp"
#include "testutil.hpp"
#include "util/fs.hpp"
#include "util/log.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <thread>

using namespace kctl;
using namespace kctl::kube;
using test::FakeApiServer;
using test::TestPki;

namespace {

RestConfig
config_for(const FakeApiServer& server, const std::string& host = "localhost") {
  RestConfig config;
  config.server = server.url(host);
  config.tls.ca_pem = TestPki::read(test::test_pki().ca_crt);
  config.retry.base_delay = std::chrono::milliseconds(10);
  config.retry.max_delay = std::chrono::milliseconds(40);
  config.timeout = std::chrono::seconds(20);
  return config;
}

Client
connect(const RestConfig& config, DryRun dry_run = DryRun::no) {
  auto client = Client::connect(config, dry_run);
  REQUIRE_MESSAGE(client.has_value(), client.error().message);
  return *client;
}

const ResourceRef k_configmaps{"", "v1", "configmaps", "ns", "", ""};

Json
config_map(const std::string& name) {
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", {{"name", name}}},
          {"data", {{"key", "value"}}}};
}

Json
requests_to(const FakeApiServer& server, const std::string& method, const std::string& path) {
  Json out = Json::array();
  for (const auto& request : server.requests()) {
    if (request["method"] == method && request["path"] == path) {
      out.push_back(request);
    }
  }
  return out;
}

// Sends fd 2 to a file while it lives, so tests can read what KLOG wrote.
class StderrCapture {
public:
  explicit StderrCapture(std::filesystem::path path) : m_path(std::move(path)) {
    std::fflush(stderr);
    m_saved = ::dup(2);
    FILE* file = std::fopen(m_path.c_str(), "w");
    ::dup2(::fileno(file), 2);
    std::fclose(file);
  }
  ~StderrCapture() { restore(); }
  StderrCapture(const StderrCapture&) = delete;
  StderrCapture& operator=(const StderrCapture&) = delete;

  std::string text() {
    restore();
    return *fs::read_file(m_path);
  }

private:
  void restore() {
    if (m_saved >= 0) {
      std::fflush(stderr);
      ::dup2(m_saved, 2);
      ::close(m_saved);
      m_saved = -1;
    }
  }
  std::filesystem::path m_path;
  int m_saved = -1;
};

// A TCP socket that listens and never accepts: the kernel completes connections (so TLS or the
// request is sent), and nothing ever answers.
class SilentServer {
public:
  SilentServer() {
    m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(m_fd, 16) == 0);
    socklen_t length = sizeof address;
    ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&address), &length);
    m_port = ntohs(address.sin_port);
  }
  ~SilentServer() { ::close(m_fd); }
  SilentServer(const SilentServer&) = delete;
  SilentServer& operator=(const SilentServer&) = delete;

  std::string url(const std::string& scheme) const {
    return fmt::format("{}://127.0.0.1:{}", scheme, m_port);
  }

private:
  int m_fd = -1;
  int m_port = 0;
};

} // namespace

TEST_SUITE("kube.https") {

  TEST_CASE("TLS: the configured CA is required, and tls-server-name is honoured") {
    FakeApiServer server;

    SUBCASE("the right CA works") {
      Client client = connect(config_for(server));
      auto version = client.server_version();
      REQUIRE_MESSAGE(version.has_value(), version.error().message);
      CHECK((*version)["gitVersion"] == "v1.31.0");
      auto ready = client.get_raw("/readyz");
      REQUIRE(ready.has_value());
      CHECK(*ready == "ok");
      auto requests = server.requests();
      CHECK(requests[0]["user_agent"].get<std::string>().starts_with("karmadactl/"));
      CHECK(requests[0]["peer_port"] == requests[1]["peer_port"]); // one connection, reused
    }
    SUBCASE("another CA fails verification, without retries") {
      RestConfig config = config_for(server);
      config.tls.ca_pem = TestPki::read(test::test_pki().other_ca_crt);
      auto result = connect(config).server_version();
      REQUIRE_FALSE(result.has_value());
      CHECK(result.error().reason == "Transport");
      CHECK(result.error().message.find("certificate") != std::string::npos);
      CHECK(server.requests().empty());
    }
    SUBCASE("an address not in the certificate fails") {
      auto result = connect(config_for(server, "127.0.0.1")).server_version();
      REQUIRE_FALSE(result.has_value());
      CHECK(result.error().reason == "Transport");
    }
    SUBCASE("tls-server-name makes that address work") {
      RestConfig config = config_for(server, "127.0.0.1");
      config.tls.server_name = "apiserver.test";
      auto result = connect(config).server_version();
      REQUIRE_MESSAGE(result.has_value(), result.error().message);
    }
    SUBCASE("insecure-skip-tls-verify, when configured, skips verification") {
      RestConfig config = config_for(server, "127.0.0.1");
      config.tls.ca_pem = TestPki::read(test::test_pki().other_ca_crt);
      config.tls.verification = TlsVerification::skip;
      auto result = connect(config).server_version();
      REQUIRE_MESSAGE(result.has_value(), result.error().message);
    }
  }

  TEST_CASE("a client certificate from memory is presented") {
    FakeApiServer server(test::ClientCert::required);
    RestConfig config = config_for(server);
    config.retry.max_attempts = 1;
    auto without = connect(config).server_version();
    CHECK_FALSE(without.has_value());

    config.tls.client_certificate_pem = TestPki::read(test::test_pki().client_crt);
    config.tls.client_key_pem = TestPki::read(test::test_pki().client_key);
    auto with = connect(config).server_version();
    REQUIRE_MESSAGE(with.has_value(), with.error().message);
    CHECK(server.requests().back()["client_cn"] == "alice");
  }

  TEST_CASE("credentials: bearer token, token file and basic auth") {
    FakeApiServer server;
    test::TempDir dir;
    RestConfig config = config_for(server);

    SUBCASE("token") {
      config.auth.token = "secret-token";
      REQUIRE(connect(config).server_version().has_value());
      CHECK(server.requests().back()["authorization"] == "Bearer secret-token");
    }
    SUBCASE("token file") {
      std::ofstream(dir / "token") << "file-token\n";
      config.auth.token_file = dir / "token";
      REQUIRE(connect(config).server_version().has_value());
      CHECK(server.requests().back()["authorization"] == "Bearer file-token");
    }
    SUBCASE("basic") {
      config.auth.username = "admin";
      config.auth.password = "pw";
      REQUIRE(connect(config).server_version().has_value());
      CHECK(server.requests().back()["authorization"] == "Basic YWRtaW46cHc=");
    }
  }

  TEST_CASE("CR, LF and NUL in credentials are refused, never sent (issue 12)") {
    FakeApiServer server;
    test::TempDir dir;
    RestConfig config = config_for(server);
    config.origin = "kubeconfig /k";
    const std::string injected = "tok\r\nImpersonate-Group: system:masters";
    std::string expected;

    SUBCASE("kubeconfig token") {
      config.auth.token = injected;
      expected = "the bearer token of kubeconfig /k contains a carriage return (CR) at position 3";
    }
    SUBCASE("token file") {
      std::ofstream(dir / "token") << "tok\nImpersonate-Group: system:masters\n";
      config.auth.token_file = dir / "token";
      expected = fmt::format("the bearer token in token file {} contains a line feed (LF)",
                             (dir / "token").string());
    }
    SUBCASE("basic auth") {
      config.auth.username = "admin";
      config.auth.password = std::string("pw\0x", 4);
      expected = "the basic-auth password of kubeconfig /k contains a NUL byte";
    }
    SUBCASE("exec plugin") {
      auto plugin = dir / "plugin.sh";
      std::ofstream(plugin) << "#!/bin/sh\nprintf '{\"apiVersion\":\"client.authentication.k8s."
                               "io/v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":"
                               "\"a\\\\nImpersonate-User: admin\"}}'\n";
      ::chmod(plugin.c_str(), 0755);
      ExecConfig exec;
      exec.api_version = "client.authentication.k8s.io/v1";
      exec.command = plugin.string();
      exec.interactive_mode = InteractiveMode::never;
      config.auth.exec = std::make_shared<ExecCredentialProvider>(exec, Json::object());
      expected = fmt::format("the token printed by exec plugin \"{}\"", plugin.string());
    }
    auto result = connect(config).server_version();
    REQUIRE_FALSE(result.has_value());
    CHECK_MESSAGE(result.error().message.find(expected) != std::string::npos,
                  result.error().message);
    CHECK(result.error().message.find("system:masters") == std::string::npos);
    CHECK(server.requests().empty());
  }

  TEST_CASE("a user agent with a newline is refused (issue 12)") {
    FakeApiServer server;
    RestConfig config = config_for(server);
    config.user_agent = "ua\nX-Evil: 1";
    auto transport = CurlTransport::create(config);
    REQUIRE_FALSE(transport.has_value());
    CHECK(transport.error().message.find("the user agent contains a line feed (LF)") !=
          std::string::npos);
  }

  TEST_CASE("an API response over the size limit is an error, not an allocation (issue 12)") {
    FakeApiServer server;
    Json big = config_map("big");
    big["data"]["key"] = std::string(8192, 'x');
    server.seed("/api/v1/namespaces/ns/configmaps/big", big);
    RestConfig config = config_for(server);
    CHECK(config.max_response_bytes == k_max_response_bytes);
    CHECK(k_max_response_bytes == std::size_t{256} << 20);
    config.max_response_bytes = 4096;
    auto result = connect(config).get(k_configmaps.with_name("big"));
    REQUIRE_FALSE(result.has_value());
    CHECK_MESSAGE(result.error().message.find("the response is larger than 4096 bytes, the limit "
                                              "for one API response") != std::string::npos,
                  result.error().message);
  }

  TEST_CASE("a server that accepts and never answers fails within the limits (issue 12)") {
    SilentServer silent;
    RestConfig config;
    config.retry.max_attempts = 1;
    config.connect_timeout = std::chrono::seconds(1);
    config.idle_timeout = std::chrono::seconds(1);
    CHECK(RestConfig{}.idle_timeout == std::chrono::seconds(30));
    CHECK(RestConfig{}.connect_timeout == std::chrono::seconds(30));
    auto started = std::chrono::steady_clock::now();
    std::string expected;
    Result<Response> result = std::unexpected(Error{});
    Request request;
    request.path = "/version";

    SUBCASE("plain request: nothing after the request") {
      config.server = silent.url("http");
      expected = "the server accepted the connection but sent nothing for 1s";
      result = (*CurlTransport::create(config))->send(request);
    }
    SUBCASE("watch: the response never starts") {
      config.server = silent.url("http");
      expected = "the server accepted the connection but sent nothing for 1s";
      request.verb = Verb::watch;
      result = (*CurlTransport::create(config))->stream(request, [](std::string_view) {
        return StreamControl::proceed;
      });
    }
    SUBCASE("TLS: the handshake never completes") {
      config.server = silent.url("https");
      expected = "could not connect within 1s";
      result = (*CurlTransport::create(config))->send(request);
    }
    REQUIRE_FALSE(result.has_value());
    CHECK_MESSAGE(result.error().message.find(expected) != std::string::npos,
                  result.error().message);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
  }

  TEST_CASE("credentials over plain http:// are refused unless allowed (issue 12)") {
    SilentServer silent;
    RestConfig config;
    config.server = silent.url("http");
    config.origin = "kubeconfig /k";
    config.retry.max_attempts = 1;
    config.idle_timeout = std::chrono::seconds(1);
    std::string what;
    SUBCASE("token") {
      config.auth.token = "t";
      what = "a bearer token";
    }
    SUBCASE("basic auth") {
      config.auth.username = "u";
      config.auth.password = "p";
      what = "a basic-auth password";
    }
    SUBCASE("client certificate") {
      config.tls.client_certificate_pem = TestPki::read(test::test_pki().client_crt);
      config.tls.client_key_pem = TestPki::read(test::test_pki().client_key);
      what = "a client certificate";
    }
    Request request;
    request.path = "/version";
    auto refused = (*CurlTransport::create(config))->send(request);
    REQUIRE_FALSE(refused.has_value());
    CHECK_MESSAGE(refused.error().message.starts_with(fmt::format(
                      "refusing to send {} over plain http:// to {} (from kubeconfig /k)",
                      what,
                      config.server)),
                  refused.error().message);
    CHECK(refused.error().message.find("KARMADACTL_INSECURE_HTTP_CREDENTIALS=1") !=
          std::string::npos);
    config.allow_http_credentials = true;
    auto allowed = (*CurlTransport::create(config))->send(request);
    REQUIRE_FALSE(allowed.has_value()); // the silent server never answers; it was tried
    CHECK(allowed.error().message.find("sent nothing") != std::string::npos);
  }

  TEST_CASE("exec credentials are refreshed once after a 401") {
    FakeApiServer server;
    server.configure({{"tokens", {"good"}}});
    test::TempDir dir;
    auto plugin = dir / "plugin.sh";
    std::ofstream(plugin) << fmt::format(R"SH(#!/bin/sh
echo run >> '{0}/runs'
if [ "$(wc -l < '{0}/runs')" -eq 1 ]; then token=stale; else token=good; fi
printf '{{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",'
printf '"status":{{"token":"%s","expirationTimestamp":"2999-01-01T00:00:00Z"}}}}' "$token"
)SH",
                                         dir.path().string());
    ::chmod(plugin.c_str(), 0755);
    ExecConfig exec;
    exec.api_version = "client.authentication.k8s.io/v1";
    exec.command = plugin.string();
    exec.interactive_mode = InteractiveMode::never;
    RestConfig config = config_for(server);
    config.auth.exec = std::make_shared<ExecCredentialProvider>(exec, Json::object());
    Client client = connect(config);

    auto first = client.get(k_configmaps.with_name("x"));
    REQUIRE_MESSAGE(first.has_value(), first.error().message);
    auto second = client.get(k_configmaps.with_name("y"));
    REQUIRE(second.has_value());
    auto requests = server.requests();
    REQUIRE(requests.size() == 3);
    CHECK(requests[0]["authorization"] == "Bearer stale");
    CHECK(requests[1]["authorization"] == "Bearer good");
    CHECK(requests[2]["authorization"] == "Bearer good");
    CHECK(*fs::read_file(dir / "runs") == "run\nrun\n");
  }

  TEST_CASE("an exec plugin's client certificate is presented") {
    FakeApiServer server(test::ClientCert::required);
    test::TempDir dir;
    Json credential = {{"apiVersion", "client.authentication.k8s.io/v1beta1"},
                       {"kind", "ExecCredential"},
                       {"status",
                        {{"clientCertificateData", TestPki::read(test::test_pki().client_crt)},
                         {"clientKeyData", TestPki::read(test::test_pki().client_key)}}}};
    std::ofstream(dir / "credential.json") << credential.dump();
    auto plugin = dir / "plugin.sh";
    std::ofstream(plugin) << fmt::format("#!/bin/sh\ncat '{}'\n",
                                         (dir / "credential.json").string());
    ::chmod(plugin.c_str(), 0755);
    ExecConfig exec;
    exec.api_version = "client.authentication.k8s.io/v1beta1";
    exec.command = plugin.string();
    RestConfig config = config_for(server);
    config.auth.exec = std::make_shared<ExecCredentialProvider>(exec, Json::object());
    auto version = connect(config).server_version();
    REQUIRE_MESSAGE(version.has_value(), version.error().message);
    CHECK(server.requests().back()["client_cn"] == "alice");
    CHECK(server.requests().back()["authorization"].is_null());
  }

  TEST_CASE("429 with Retry-After and 503 are retried") {
    FakeApiServer server;
    Client client = connect(config_for(server));
    const std::string path = "/api/v1/namespaces/ns/configmaps/x";

    SUBCASE("a GET waits as told and then succeeds") {
      server.fault({{"path", path}, {"status", 429}, {"headers", {{"Retry-After", "1"}}}});
      server.fault({{"path", path}, {"status", 503}});
      auto started = std::chrono::steady_clock::now();
      auto result = client.get(k_configmaps.with_name("x"));
      auto elapsed = std::chrono::steady_clock::now() - started;
      REQUIRE_MESSAGE(result.has_value(), result.error().message);
      CHECK_FALSE(result->has_value()); // the object does not exist: a NotFound after the retries
      CHECK(requests_to(server, "GET", path).size() == 3);
      CHECK(elapsed >= std::chrono::milliseconds(950));
    }
    SUBCASE("a POST is retried on 503, which means it was not processed") {
      server.fault(
          {{"method", "POST"}, {"path", "/api/v1/namespaces/ns/configmaps"}, {"status", 503}});
      auto created = client.create(k_configmaps, config_map("x"));
      REQUIRE_MESSAGE(created.has_value(), created.error().message);
      CHECK(requests_to(server, "POST", "/api/v1/namespaces/ns/configmaps").size() == 2);
    }
    SUBCASE("a POST is not retried on 500, which may have been processed") {
      server.fault({{"method", "POST"},
                    {"path", "/api/v1/namespaces/ns/configmaps"},
                    {"status", 500},
                    {"reason", "InternalError"},
                    {"message", "etcd fell over"}});
      auto created = client.create(k_configmaps, config_map("x"));
      REQUIRE_FALSE(created.has_value());
      CHECK(created.error().message == "etcd fell over");
      CHECK(created.error().http_status == 500);
      CHECK(requests_to(server, "POST", "/api/v1/namespaces/ns/configmaps").size() == 1);
    }
    SUBCASE("retries are bounded") {
      server.fault({{"path", path}, {"status", 503}, {"count", 100}});
      auto result = client.get(k_configmaps.with_name("x"));
      REQUIRE_FALSE(result.has_value());
      CHECK(result.error().reason == "ServiceUnavailable");
      CHECK(result.error().message.ends_with(" (gave up after 5 attempts)"));
      CHECK(requests_to(server, "GET", path).size() == 5);
    }
  }

  TEST_CASE("a connection reset during the TLS handshake is retried, for every verb (issue 15)") {
    // Nothing was sent before the handshake completed, so even a POST may be repeated.
    FakeApiServer server;
    Client client = connect(config_for(server));
    server.configure({{"reset_connections", 2}});
    auto created = client.create(k_configmaps, config_map("x"));
    REQUIRE_MESSAGE(created.has_value(), created.error().message);
    CHECK(requests_to(server, "POST", "/api/v1/namespaces/ns/configmaps").size() == 1);

    SUBCASE("and bounded: a server that resets every connection fails with the reason") {
      RestConfig config = config_for(server);
      config.retry.base_delay = std::chrono::milliseconds(1);
      config.retry.max_attempts = 3;
      Client impatient = connect(config);
      server.configure({{"reset_connections", 3}});
      auto result = impatient.get(k_configmaps.with_name("x"));
      REQUIRE_FALSE(result.has_value());
      CHECK(is_transport(result.error()));
      INFO(result.error().message);
      CHECK(result.error().message.find("(gave up after 3 attempts)") != std::string::npos);
      server.configure({{"reset_connections", 0}});
      auto again = impatient.get(k_configmaps.with_name("x"));
      REQUIRE_MESSAGE(again.has_value(), again.error().message);
      CHECK(again->has_value());
    }
  }

  TEST_CASE("a refused connection is a Transport error after bounded retries") {
    int port = 0;
    {
      FakeApiServer gone;
      port = gone.port();
    }
    RestConfig config;
    config.server = fmt::format("https://localhost:{}", port);
    config.retry.base_delay = std::chrono::milliseconds(1);
    config.retry.max_attempts = 2;
    auto result = connect(config).server_version();
    REQUIRE_FALSE(result.has_value());
    CHECK(is_transport(result.error()));
  }

  TEST_CASE("CRUD against the server with Status errors parsed") {
    FakeApiServer server;
    Client client = connect(config_for(server));
    auto created = client.create(k_configmaps, config_map("a"));
    REQUIRE_MESSAGE(created.has_value(), created.error().message);
    CHECK((*created)["metadata"]["namespace"] == "ns");

    auto again = client.create(k_configmaps, config_map("a"));
    REQUIRE_FALSE(again.has_value());
    CHECK(again.error().reason == "AlreadyExists");
    CHECK(again.error().http_status == 409);
    CHECK(again.error().message == "configmaps \"a\" already exists");

    auto missing = client.get(k_configmaps.with_name("nope"));
    REQUIRE(missing.has_value());
    CHECK_FALSE(missing->has_value());

    Json changed = **client.get(k_configmaps.with_name("a"));
    changed["data"]["key"] = "changed";
    REQUIRE(client.update(k_configmaps, changed).has_value());
    auto patched =
        client.patch(k_configmaps.with_name("a"), PatchType::merge, {{"data", {{"more", "x"}}}});
    REQUIRE(patched.has_value());
    CHECK((*patched)["data"] == Json{{"key", "changed"}, {"more", "x"}});

    auto applied = client.apply(config_map("b"));
    REQUIRE_MESSAGE(applied.has_value(), applied.error().message);
    auto apply_request = requests_to(server, "PATCH", "/api/v1/namespaces/default/configmaps/b");
    REQUIRE(apply_request.size() == 1);
    CHECK(apply_request[0]["query"]["fieldManager"] == "karmadactl");
    CHECK(apply_request[0]["content_type"] == "application/apply-patch+yaml");

    auto removed = client.remove(k_configmaps.with_name("a"), {"Background", std::nullopt});
    REQUIRE(removed.has_value());
    CHECK(*removed == DeleteOutcome::deleted);
    auto removed_again = client.remove(k_configmaps.with_name("a"));
    REQUIRE(removed_again.has_value());
    CHECK(*removed_again == DeleteOutcome::not_found);
  }

  TEST_CASE("list pages with continue tokens and aggregates") {
    FakeApiServer server;
    for (int i = 0; i < 5; ++i) {
      server.seed(fmt::format("/api/v1/namespaces/ns/configmaps/cm-{}", i),
                  config_map(fmt::format("cm-{}", i)));
    }
    Client client = connect(config_for(server));
    auto list = client.list(k_configmaps, {"", "", 2});
    REQUIRE_MESSAGE(list.has_value(), list.error().message);
    REQUIRE((*list)["items"].size() == 5);
    CHECK((*list)["items"][4]["metadata"]["name"] == "cm-4");
    auto lists = requests_to(server, "GET", "/api/v1/namespaces/ns/configmaps");
    REQUIRE(lists.size() == 3);
    CHECK(lists[1]["query"]["continue"] == "2");
    CHECK(lists[2]["query"]["limit"] == "2");
  }

  TEST_CASE("watch streams events and resumes after the server drops the connection") {
    FakeApiServer server;
    for (int i = 0; i < 5; ++i) {
      server.seed(fmt::format("/api/v1/namespaces/ns/configmaps/cm-{}", i),
                  config_map(fmt::format("cm-{}", i)));
    }
    Client client = connect(config_for(server));
    WatchOptions options;
    options.resource_version = "101"; // cm-0; the server numbers from 101
    options.timeout = std::chrono::seconds(20);
    const std::string path = "/api/v1/namespaces/ns/configmaps";

    for (std::string mode : {"abrupt", "clean"}) {
      CAPTURE(mode);
      server.configure({{"watch_disconnect_after", 2}, {"watch_disconnect_mode", mode}});
      std::vector<std::string> seen;
      auto end = client.watch(k_configmaps, options, [&](const WatchEvent& event) {
        seen.push_back(event.object["metadata"]["name"].get<std::string>());
        return seen.size() == 4 ? StreamControl::stop : StreamControl::proceed;
      });
      REQUIRE_MESSAGE(end.has_value(), end.error().message);
      CHECK(*end == WatchEnd::stopped);
      CHECK(seen == std::vector<std::string>{"cm-1", "cm-2", "cm-3", "cm-4"});
    }
    auto watches = requests_to(server, "GET", path);
    REQUIRE(watches.size() == 4);
    CHECK(watches[0]["query"]["resourceVersion"] == "101");
    CHECK(watches[0]["query"]["watch"] == "true");
    CHECK(watches[1]["query"]["resourceVersion"] == "103"); // the last event before the drop
    CHECK(watches[3]["query"]["resourceVersion"] == "103");
  }

  TEST_CASE("watch sees live changes, times out, and reports 410 Gone") {
    FakeApiServer server;
    server.seed("/api/v1/namespaces/ns/configmaps/a", config_map("a"));
    Client client = connect(config_for(server));

    SUBCASE("a change made while watching arrives") {
      std::thread writer([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        server.seed("/api/v1/namespaces/ns/configmaps/b", config_map("b"));
      });
      std::vector<std::string> seen;
      WatchOptions options;
      options.timeout = std::chrono::seconds(20);
      auto end = client.watch(k_configmaps, options, [&](const WatchEvent& event) {
        seen.push_back(event.type + " " + event.object["metadata"]["name"].get<std::string>());
        return seen.size() == 2 ? StreamControl::stop : StreamControl::proceed;
      });
      writer.join();
      REQUIRE_MESSAGE(end.has_value(), end.error().message);
      CHECK(seen == std::vector<std::string>{"ADDED a", "ADDED b"});
    }
    SUBCASE("nothing happens until the timeout") {
      WatchOptions options;
      options.resource_version = "101";
      options.timeout = std::chrono::milliseconds(1500);
      auto started = std::chrono::steady_clock::now();
      auto end = client.watch(
          k_configmaps, options, [](const WatchEvent&) { return StreamControl::proceed; });
      REQUIRE_MESSAGE(end.has_value(), end.error().message);
      CHECK(*end == WatchEnd::timed_out);
      CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
    }
    SUBCASE("a compacted resourceVersion is reported as Expired") {
      server.configure({{"compacted_rv", 150}});
      WatchOptions options;
      options.resource_version = "101";
      auto end = client.watch(
          k_configmaps, options, [](const WatchEvent&) { return StreamControl::proceed; });
      REQUIRE_FALSE(end.has_value());
      CHECK(is_expired(end.error()));
    }
  }

  TEST_CASE("dry-run sends no writes to the server while reads pass through") {
    FakeApiServer server;
    server.seed("/api/v1/namespaces/ns/configmaps/existing", config_map("existing"));
    std::vector<std::string> printed;
    auto made =
        Client::connect(config_for(server), DryRun::client, [&](const RecordedWrite& write) {
          printed.push_back(describe_write(write));
        });
    REQUIRE(made.has_value());
    Client client = *made;

    REQUIRE(client.create(k_configmaps, config_map("new")).has_value());
    REQUIRE(client.update(k_configmaps, config_map("existing")).has_value());
    REQUIRE(
        client.patch(k_configmaps.with_name("existing"), PatchType::merge, {{"data", {{"k", "v"}}}})
            .has_value());
    REQUIRE(client.apply(k_configmaps, config_map("applied")).has_value());
    auto removed = client.remove(k_configmaps.with_name("existing"));
    REQUIRE(removed.has_value());
    CHECK(*removed == DeleteOutcome::deleted);
    REQUIRE(client.list(k_configmaps).has_value());

    for (const char* method : {"POST", "PUT", "PATCH", "DELETE"}) {
      CHECK_MESSAGE(server.count(method) == 0, method);
    }
    CHECK(server.count("GET") > 0);
    CHECK(printed == std::vector<std::string>{
                         "[dry-run] would CREATE v1 configmaps ns/new",
                         "[dry-run] would UPDATE v1 configmaps ns/existing",
                         "[dry-run] would PATCH v1 configmaps ns/existing",
                         "[dry-run] would APPLY v1 configmaps ns/applied",
                         "[dry-run] would DELETE v1 configmaps ns/existing",
                     });
    auto still_there = connect(config_for(server)).get(k_configmaps.with_name("existing"));
    REQUIRE(still_there.has_value());
    CHECK(still_there->has_value());
  }

  TEST_CASE("independent requests run in parallel on one client") {
    FakeApiServer server;
    Client client = connect(config_for(server));
    std::vector<std::thread> threads;
    std::atomic<int> succeeded{0};
    for (int i = 0; i < 8; ++i) {
      threads.emplace_back([&, i] {
        for (int j = 0; j < 5; ++j) {
          auto created = client.create(k_configmaps, config_map(fmt::format("p-{}-{}", i, j)));
          if (created.has_value() &&
              client.get(k_configmaps.with_name(fmt::format("p-{}-{}", i, j)))) {
            ++succeeded;
          }
        }
      });
    }
    for (auto& thread : threads) {
      thread.join();
    }
    CHECK(succeeded == 40);
    auto list = client.list(k_configmaps);
    REQUIRE(list.has_value());
    CHECK((*list)["items"].size() == 40);
  }

  TEST_CASE("proxies: proxy-url always, the environment except for loopback and NO_PROXY") {
    FakeApiServer server;
    test::ConnectProxy proxy;

    SUBCASE("proxy-url tunnels even to localhost") {
      RestConfig config = config_for(server);
      config.proxy_url = proxy.url();
      auto version = connect(config).server_version();
      REQUIRE_MESSAGE(version.has_value(), version.error().message);
      CHECK(proxy.targets() ==
            std::vector<std::string>{fmt::format("localhost:{}", server.port())});
    }
    SUBCASE("HTTPS_PROXY from the environment") {
      ::setenv("HTTPS_PROXY", proxy.url().c_str(), 1);
      RestConfig direct = config_for(server);
      direct.retry.max_attempts = 1;
      auto local = connect(direct).server_version(); // loopback: never proxied, as in Go
      RestConfig remote = direct;
      remote.server = fmt::format("https://apiserver.test:{}", server.port());
      auto proxied = connect(remote).server_version(); // the proxy cannot resolve it: 502
      ::setenv("NO_PROXY", "apiserver.test", 1);
      auto excluded = connect(remote).server_version(); // direct, and nothing resolves it
      ::unsetenv("HTTPS_PROXY");
      ::unsetenv("NO_PROXY");
      REQUIRE_MESSAGE(local.has_value(), local.error().message);
      CHECK_FALSE(proxied.has_value());
      CHECK_FALSE(excluded.has_value());
      CHECK(proxy.targets() ==
            std::vector<std::string>{fmt::format("apiserver.test:{}", server.port())});
    }
  }

  TEST_CASE("a server URL with a path prefixes every request") {
    FakeApiServer server;
    RestConfig config = config_for(server);
    config.server += "/apis/cluster.karmada.io/v1alpha1/clusters/member1/proxy";
    (void)connect(config).get(k_configmaps.with_name("x"));
    CHECK(server.requests().back()["path"] == "/apis/cluster.karmada.io/v1alpha1/clusters/member1/"
                                              "proxy/api/v1/namespaces/ns/configmaps/x");
  }

  TEST_CASE("-v logging masks credentials and never shows secret bodies") {
    FakeApiServer server;
    test::TempDir dir;
    RestConfig config = config_for(server);
    config.auth.token = "very-secret-token";
    Client client = connect(config);
    Json secret = {{"apiVersion", "v1"},
                   {"kind", "Secret"},
                   {"metadata", {{"name", "s"}}},
                   {"stringData", {{"password", "hunter2"}}}};
    std::string text;
    {
      StderrCapture capture(dir / "stderr");
      log::set_verbosity(8);
      auto created = client.create(ResourceRef{"", "v1", "secrets", "ns", "", ""}, secret);
      auto cm = client.create(k_configmaps, config_map("visible"));
      log::set_verbosity(0);
      text = capture.text();
      REQUIRE(created.has_value());
      REQUIRE(cm.has_value());
    }
    CHECK(text.find("very-secret-token") == std::string::npos);
    CHECK(text.find("hunter2") == std::string::npos);
    CHECK(text.find("Authorization: Bearer <masked>") != std::string::npos);
    CHECK(text.find("Request Body: <redacted>") != std::string::npos);
    CHECK(text.find("Response Body: <redacted>") != std::string::npos);
    CHECK(text.find(fmt::format("POST {}/api/v1/namespaces/ns/secrets 201 Created in ",
                                server.url())) != std::string::npos);
    CHECK(text.find("\"name\":\"visible\"") != std::string::npos); // other bodies are shown at -v8
  }

} // TEST_SUITE
