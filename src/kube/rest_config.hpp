// From connection flags and kubeconfig files to one resolved RestConfig: the server URL, TLS
// material in memory, credentials, proxy and timeouts. Follows kubectl's loading rules.
#pragma once

#include "kube/exec_credential.hpp"
#include "kube/kubeconfig.hpp"
#include "util/result.hpp"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace kctl::kube {

// The kubectl connection flags; empty fields are not given. The lead wires CLI flags here.
struct ConnectionOptions {
  std::string kubeconfig;            // --kubeconfig: exactly this file, no merging
  std::string context;               // --context
  std::string cluster;               // --cluster
  std::string user;                  // --user
  std::string server;                // -s/--server
  std::string token;                 // --token
  std::string namespace_name;        // -n/--namespace
  std::string request_timeout;       // --request-timeout: Go duration, or bare seconds; "0" = none
  std::string certificate_authority; // --certificate-authority (file)
  std::string client_certificate;    // --client-certificate (file)
  std::string client_key;            // --client-key (file)
  std::string tls_server_name;       // --tls-server-name
  std::optional<TlsVerification> tls_verification; // --insecure-skip-tls-verify[=false]
};

// The process environment the loading rules read; tests build their own.
struct Environment {
  std::optional<std::string> kubeconfig_env; // $KUBECONFIG, if set
  std::filesystem::path home;                // $HOME
  std::string service_host;                  // $KUBERNETES_SERVICE_HOST
  std::string service_port;                  // $KUBERNETES_SERVICE_PORT
  std::filesystem::path service_account_dir = "/var/run/secrets/kubernetes.io/serviceaccount";
  bool insecure_http_credentials = false; // $KARMADACTL_INSECURE_HTTP_CREDENTIALS is "1" or "true"
  std::string kube_cache_dir;             // $KUBECACHEDIR (kubectl's cache directory), if set

  // Returns the environment of this process.
  static Environment current();
};

// TLS settings with all material in memory (PEM).
struct TlsConfig {
  std::string ca_pem; // empty: the system roots
  std::string client_certificate_pem;
  std::string client_key_pem;
  std::string server_name; // SNI and verification name, when not the URL host
  TlsVerification verification = TlsVerification::verify;
};

// How requests authenticate. Precedence as client-go: token (or token file), then basic, then
// the exec plugin; client certificates are independent of these.
struct AuthConfig {
  std::string token;
  std::filesystem::path token_file; // re-read at most once a minute
  std::string username;
  std::string password;
  std::shared_ptr<ExecCredentialProvider> exec;
};

// Retry limits for 429, 5xx and connection failures.
struct RetryPolicy {
  int max_attempts = 5;
  std::chrono::milliseconds base_delay{200};
  std::chrono::milliseconds max_delay{5000};
  std::chrono::milliseconds max_retry_after{30000}; // caps the server's Retry-After
};

// The largest API response body read (and the longest line of a watch stream): far above any
// real list page (lists are paged), far below what would exhaust memory.
inline constexpr std::size_t k_max_response_bytes = std::size_t{256} << 20;

// Every request must connect (TCP and TLS) within this time, and a server that sends nothing for
// k_default_idle_timeout fails the request (for a watch: until its response starts).
inline constexpr std::chrono::milliseconds k_default_connect_timeout{30000};
inline constexpr std::chrono::milliseconds k_default_idle_timeout{30000};

// The environment variable that allows credentials over plain http:// (see README, Conventions).
inline constexpr std::string_view k_insecure_http_credentials_env =
    "KARMADACTL_INSECURE_HTTP_CREDENTIALS";

// Everything needed to talk to one apiserver.
struct RestConfig {
  std::string server; // scheme://host:port[/path], no trailing slash
  TlsConfig tls;
  AuthConfig auth;
  std::string proxy_url; // empty: the environment (HTTPS_PROXY, NO_PROXY)
  Compression compression = Compression::allowed;
  std::chrono::milliseconds timeout{0}; // 0: none
  std::chrono::milliseconds connect_timeout = k_default_connect_timeout;
  std::chrono::milliseconds idle_timeout = k_default_idle_timeout;
  // Tokens, passwords and client certificates over plain http:// are refused unless this is set.
  bool allow_http_credentials = false;
  std::size_t max_response_bytes = k_max_response_bytes;
  std::string namespace_name = "default";
  std::string context_name; // empty for in-cluster or flags-only configs
  std::string user_agent;   // empty: default_user_agent()
  RetryPolicy retry;
  std::string origin; // where the configuration came from, for messages
  // kubectl's cache directory ($KUBECACHEDIR, else ~/.kube/cache), whose discovery/<server>
  // holds the discovery disk cache; empty: no disk cache.
  std::filesystem::path cache_dir;
};

// Loads the kubeconfig the loading rules select: the `options.kubeconfig` file (which must exist),
// else the existing files of $KUBECONFIG merged, else ~/.kube/config. Returns nullopt when there is
// none (so in-cluster configuration may apply).
Result<std::optional<Kubeconfig>> load_kubeconfig(const ConnectionOptions& options,
                                                  const Environment& env);

// Resolves `options` and the files and environment in `env` into a RestConfig: kubeconfig
// (with the context, cluster and user overrides), or in-cluster service account configuration,
// or the server and token flags alone. Fails with a message that says what was tried and what to
// pass when nothing is configured, and names the file when a referenced file cannot be read.
Result<RestConfig> resolve_rest_config(const ConnectionOptions& options,
                                       const Environment& env = Environment::current());

// Parses a --request-timeout value: a Go duration, or a bare number of seconds.
Result<std::chrono::milliseconds> parse_request_timeout(std::string_view text);

} // namespace kctl::kube
