// Test support for the kube client: a throw-away PKI made with the openssl CLI, and the Python
// HTTPS fake apiserver (tests/support/fake_apiserver.py) started on a free port.
#pragma once

#include "util/json.hpp"

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace kctl::test {

// Certificates for the tests, made once per test run. The server certificate is valid for
// "localhost" and "apiserver.test" only (not 127.0.0.1), so tls-server-name can be shown to work.
struct TestPki {
  std::filesystem::path dir;
  std::filesystem::path ca_crt, ca_key;
  std::filesystem::path other_ca_crt; // a CA that signed nothing the server uses
  std::filesystem::path server_crt, server_key;
  std::filesystem::path client_crt, client_key; // CN=alice, signed by the CA

  // Returns the contents of `path`.
  static std::string read(const std::filesystem::path& path);
};

// Returns the PKI, creating it on first use; aborts the test run if openssl fails.
const TestPki& test_pki();

// A Python script from tests/support that prints "PORT <n>" when ready; killed on destruction.
class SupportProcess {
public:
  // Starts `script` (a file name in tests/support) with `args`; throws if it does not start.
  SupportProcess(const std::string& script, const std::vector<std::string>& args);
  ~SupportProcess();
  SupportProcess(const SupportProcess&) = delete;
  SupportProcess& operator=(const SupportProcess&) = delete;

  // Returns the port it printed.
  int port() const { return m_port; }

private:
  pid_t m_pid = -1;
  int m_port = 0;
};

// The CONNECT proxy of tests/support/connect_proxy.py; `targets()` lists what it tunnelled to.
class ConnectProxy {
public:
  ConnectProxy();
  ~ConnectProxy();
  ConnectProxy(const ConnectProxy&) = delete;
  ConnectProxy& operator=(const ConnectProxy&) = delete;

  // Returns "http://127.0.0.1:<port>".
  std::string url() const;
  // Returns the "host:port" targets of the CONNECT requests so far.
  std::vector<std::string> targets() const;

private:
  std::filesystem::path m_log;
  std::unique_ptr<SupportProcess> m_process;
};

// Whether the fake server demands a client certificate.
enum class ClientCert { optional, required };

// A running fake apiserver, stopped when the object goes away.
class FakeApiServer {
public:
  explicit FakeApiServer(ClientCert client_cert = ClientCert::optional);
  ~FakeApiServer();
  FakeApiServer(const FakeApiServer&) = delete;
  FakeApiServer& operator=(const FakeApiServer&) = delete;

  // Returns the port it listens on (127.0.0.1).
  int port() const { return m_process->port(); }
  // Returns "https://<host>:<port>".
  std::string url(const std::string& host = "localhost") const;

  // Returns every recorded API request: [{method, path, query, authorization, ...}].
  Json requests() const;
  // Returns the number of recorded requests with `method`.
  int count(const std::string& method) const;
  // Adds a scripted failure (see the script's docstring).
  void fault(const Json& fault) const;
  // Changes server settings: tokens, watch_disconnect_after, watch_disconnect_mode, compacted_rv.
  void configure(const Json& config) const;
  // Stores `object` at API path `path` without recording a request.
  void seed(const std::string& path, const Json& object) const;

private:
  Json control(const std::string& method, const std::string& path, const Json& body) const;

  std::unique_ptr<SupportProcess> m_process;
};

// The JWS tests/support/hostile_apiserver.py puts into cluster-info for the token id.
enum class HostileJws { none, wrong, valid };

// tests/support/hostile_apiserver.py: TLS from its own CA, cluster-info with its CA (after
// `extra_cas`) and the JWS `jws`, every request's headers logged. Stopped when the object goes.
class HostileApiServer {
public:
  HostileApiServer(const std::string& token_id,
                   HostileJws jws,
                   const std::string& token_secret = {},
                   const std::vector<std::filesystem::path>& extra_cas = {});
  ~HostileApiServer();
  HostileApiServer(const HostileApiServer&) = delete;
  HostileApiServer& operator=(const HostileApiServer&) = delete;

  // Returns "localhost:<port>", as register takes it.
  std::string endpoint() const;
  // Returns every request it received: [{method, path, headers: {name: value}}].
  Json requests() const;
  // Returns the requests that carried an Authorization header (any case).
  Json authorized_requests() const;

private:
  std::filesystem::path m_log;
  std::unique_ptr<SupportProcess> m_process;
};

} // namespace kctl::test
