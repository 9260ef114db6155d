#include "kube/rest_config.hpp"

#include "kube/api_error.hpp"
#include "kube/discovery_cache.hpp"
#include "util/duration.hpp"
#include "util/encoding.hpp"
#include "util/fs.hpp"
#include "util/log.hpp"

#include <fmt/format.h>

#include <cstdlib>

namespace kctl::kube {

namespace {

Error
config_error(std::string message) {
  return Error{std::move(message), std::string(reason::configuration), 0};
}

std::string
env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

std::string
available_names(const auto& map) {
  std::string out;
  for (const auto& [name, value] : map) {
    out += out.empty() ? name : ", " + name;
  }
  return out.empty() ? std::string("none") : out;
}

Result<std::string>
read_pem(const std::filesystem::path& path, std::string_view what) {
  return with_context(
      kctl::fs::read_file(path, kctl::fs::k_max_pem_file_bytes, "a certificate or key file"), what);
}

// Fails, naming `path`, when the file cannot be read now; catches typos before the first request.
Status
check_readable(const std::filesystem::path& path, std::string_view what) {
  KCTL_TRY(with_context(kctl::fs::read_file(path, kctl::fs::k_max_token_file_bytes, "a token file"),
                        what));
  return {};
}

// The cluster, user and context names chosen by the flags and the current context.
struct Selection {
  std::string context_name;
  const KubeContext* context = nullptr;
  std::string cluster_name;
  const KubeCluster* cluster = nullptr;
  std::string user_name;
  const KubeUser* user = nullptr;
};

Result<Selection>
select_entries(const Kubeconfig& config, const ConnectionOptions& options) {
  Selection out;
  out.context_name = options.context.empty() ? config.current_context : options.context;
  if (!out.context_name.empty()) {
    auto it = config.contexts.find(out.context_name);
    if (it == config.contexts.end()) {
      return std::unexpected(
          config_error(fmt::format("context \"{}\" not found in kubeconfig {} (available: {})",
                                   out.context_name,
                                   config.describe_sources(),
                                   available_names(config.contexts))));
    }
    out.context = &it->second;
  }
  out.cluster_name = !options.cluster.empty() ? options.cluster
                     : out.context != nullptr ? out.context->cluster
                                              : std::string{};
  out.user_name = !options.user.empty()    ? options.user
                  : out.context != nullptr ? out.context->user
                                           : std::string{};
  if (!out.cluster_name.empty()) {
    auto it = config.clusters.find(out.cluster_name);
    if (it != config.clusters.end()) {
      out.cluster = &it->second;
    } else if (options.server.empty()) {
      return std::unexpected(config_error(
          fmt::format("cluster \"{}\"{} not found in kubeconfig {} (available: {})",
                      out.cluster_name,
                      out.context_name.empty() ? "" : " of context \"" + out.context_name + "\"",
                      config.describe_sources(),
                      available_names(config.clusters))));
    }
  }
  if (!out.user_name.empty()) {
    auto it = config.users.find(out.user_name);
    if (it != config.users.end()) {
      out.user = &it->second;
    } else if (options.token.empty()) {
      return std::unexpected(config_error(
          fmt::format("user \"{}\"{} not found in kubeconfig {} (available: {})",
                      out.user_name,
                      out.context_name.empty() ? "" : " of context \"" + out.context_name + "\"",
                      config.describe_sources(),
                      available_names(config.users))));
    }
  }
  return out;
}

std::string
normalize_server(std::string server) {
  if (server.find("://") == std::string::npos) {
    server = "https://" + server; // client-go defaults to https when TLS is possible
  }
  while (!server.empty() && server.back() == '/') {
    server.pop_back();
  }
  return server;
}

Status
apply_cluster(RestConfig& config, const KubeCluster& cluster, const std::string& name) {
  config.server = cluster.server;
  config.tls.server_name = cluster.tls_server_name;
  config.tls.verification = cluster.verification;
  config.proxy_url = cluster.proxy_url;
  config.compression = cluster.compression;
  if (!cluster.certificate_authority_data.empty()) {
    config.tls.ca_pem = cluster.certificate_authority_data;
  } else if (!cluster.certificate_authority.empty()) {
    KCTL_TRY_ASSIGN(config.tls.ca_pem,
                    read_pem(cluster.certificate_authority,
                             fmt::format("cluster \"{}\": certificate-authority", name)));
  }
  if (cluster.verification == TlsVerification::skip && !config.tls.ca_pem.empty()) {
    return std::unexpected(config_error(fmt::format(
        "cluster \"{}\" in {}: specifying a root certificates file with the insecure flag is not "
        "allowed (remove certificate-authority or insecure-skip-tls-verify)",
        name,
        cluster.source.string())));
  }
  return {};
}

Status
apply_user_certs(RestConfig& config, const KubeUser& user, const std::string& name) {
  if (!user.client_certificate_data.empty()) {
    config.tls.client_certificate_pem = user.client_certificate_data;
  } else if (!user.client_certificate.empty()) {
    KCTL_TRY_ASSIGN(
        config.tls.client_certificate_pem,
        read_pem(user.client_certificate, fmt::format("user \"{}\": client-certificate", name)));
  }
  if (!user.client_key_data.empty()) {
    config.tls.client_key_pem = user.client_key_data;
  } else if (!user.client_key.empty()) {
    KCTL_TRY_ASSIGN(config.tls.client_key_pem,
                    read_pem(user.client_key, fmt::format("user \"{}\": client-key", name)));
  }
  return {};
}

// client-go refuses a user with a token and a username or password (clientcmd's validation;
// a token file and basic auth fail in its transport): only one may authenticate the requests.
// A client certificate may go with either, and an exec plugin is used only where neither is.
Status
check_one_auth_method(const KubeUser& user, const std::string& name) {
  std::vector<std::string_view> methods;
  if (!user.token.empty()) {
    methods.emplace_back("token");
  } else if (!user.token_file.empty()) {
    methods.emplace_back("tokenFile");
  }
  if (!user.username.empty() || !user.password.empty()) {
    methods.emplace_back("basicAuth");
  }
  if (methods.size() <= 1) {
    return {};
  }
  return std::unexpected(config_error(
      fmt::format("user \"{}\" in {}: more than one authentication method found for {}; found "
                  "[{}], only one is allowed (keep the {} or the username and password)",
                  name,
                  user.source.string(),
                  name,
                  fmt::join(methods, " "),
                  methods[0])));
}

Status
apply_user(RestConfig& config, const KubeUser& user, const std::string& name) {
  if (!user.auth_provider.empty()) {
    return std::unexpected(config_error(fmt::format(
        "user \"{}\" in {}: auth-provider \"{}\" is not supported; use an exec credential plugin "
        "instead (e.g. kubelogin for OIDC: https://github.com/int128/kubelogin)",
        name,
        user.source.string(),
        user.auth_provider)));
  }
  KCTL_TRY(check_one_auth_method(user, name));
  KCTL_TRY(apply_user_certs(config, user, name));
  config.auth.token = user.token;
  config.auth.token_file = user.token_file;
  if (config.auth.token.empty() && !config.auth.token_file.empty()) {
    KCTL_TRY(check_readable(config.auth.token_file, fmt::format("user \"{}\": tokenFile", name)));
  }
  config.auth.username = user.username;
  config.auth.password = user.password;
  return {};
}

// Applies the certificate and server flags, which win over the kubeconfig.
Status
apply_tls_overrides(RestConfig& config, const ConnectionOptions& options) {
  if (!options.server.empty()) {
    config.server = options.server;
  }
  if (!options.tls_server_name.empty()) {
    config.tls.server_name = options.tls_server_name;
  }
  if (!options.certificate_authority.empty()) {
    KCTL_TRY_ASSIGN(config.tls.ca_pem,
                    read_pem(options.certificate_authority, "--certificate-authority"));
  }
  if (options.tls_verification) {
    config.tls.verification = *options.tls_verification;
    if (*options.tls_verification == TlsVerification::skip) {
      if (!options.certificate_authority.empty()) {
        return std::unexpected(config_error(
            "--certificate-authority and --insecure-skip-tls-verify cannot be used together"));
      }
      config.tls.ca_pem.clear(); // kubectl drops the kubeconfig CA when the flag asks to skip
    }
  }
  if (!options.client_certificate.empty()) {
    KCTL_TRY_ASSIGN(config.tls.client_certificate_pem,
                    read_pem(options.client_certificate, "--client-certificate"));
  }
  if (!options.client_key.empty()) {
    KCTL_TRY_ASSIGN(config.tls.client_key_pem, read_pem(options.client_key, "--client-key"));
  }
  return {};
}

Status
apply_common_overrides(RestConfig& config, const ConnectionOptions& options) {
  if (!options.token.empty()) {
    config.auth.token = options.token;
    config.auth.token_file.clear();
    config.auth.username.clear();
    config.auth.password.clear();
  }
  if (!options.namespace_name.empty()) {
    config.namespace_name = options.namespace_name;
  }
  if (!options.request_timeout.empty()) {
    KCTL_TRY_ASSIGN(
        config.timeout,
        with_context(parse_request_timeout(options.request_timeout), "--request-timeout"));
  }
  return {};
}

Status
validate(const RestConfig& config) {
  bool has_cert = !config.tls.client_certificate_pem.empty();
  bool has_key = !config.tls.client_key_pem.empty();
  if (has_cert != has_key) {
    return std::unexpected(config_error(
        fmt::format("{}: a client certificate needs a client key and a key needs a certificate",
                    config.origin)));
  }
  if (config.server.empty()) {
    return std::unexpected(config_error(fmt::format(
        "{}: no server is set; set the cluster's server in the kubeconfig", config.origin)));
  }
  return {};
}

// The v1 Cluster object an exec plugin gets with provideClusterInfo.
Json
exec_cluster_info(const RestConfig& config, const KubeCluster* cluster) {
  Json info = {{"server", config.server}};
  if (!config.tls.server_name.empty()) {
    info["tls-server-name"] = config.tls.server_name;
  }
  if (config.tls.verification == TlsVerification::skip) {
    info["insecure-skip-tls-verify"] = true;
  }
  if (!config.tls.ca_pem.empty()) {
    info["certificate-authority-data"] = encoding::base64_encode(config.tls.ca_pem);
  }
  if (!config.proxy_url.empty()) {
    info["proxy-url"] = config.proxy_url;
  }
  if (config.compression == Compression::disabled) {
    info["disable-compression"] = true;
  }
  if (cluster != nullptr && !cluster->exec_extension.is_null()) {
    info["config"] = cluster->exec_extension;
  }
  return info;
}

Result<RestConfig>
from_kubeconfig(const Kubeconfig& kubeconfig, const ConnectionOptions& options) {
  KCTL_TRY_ASSIGN(Selection chosen, select_entries(kubeconfig, options));
  RestConfig config;
  config.context_name = chosen.context_name;
  config.origin = kubeconfig.sources.empty() ? std::string("the -s/--server flag")
                  : chosen.context_name.empty()
                      ? fmt::format("kubeconfig {}", kubeconfig.describe_sources())
                      : fmt::format("context \"{}\" of kubeconfig {}",
                                    chosen.context_name,
                                    kubeconfig.describe_sources());
  if (chosen.context != nullptr && !chosen.context->namespace_name.empty()) {
    config.namespace_name = chosen.context->namespace_name;
  }
  if (chosen.cluster != nullptr) {
    KCTL_TRY(apply_cluster(config, *chosen.cluster, chosen.cluster_name));
  }
  if (chosen.user != nullptr) {
    KCTL_TRY(apply_user(config, *chosen.user, chosen.user_name));
  }
  KCTL_TRY(apply_tls_overrides(config, options));
  KCTL_TRY(apply_common_overrides(config, options));
  if (config.server.empty() && chosen.cluster == nullptr) {
    return std::unexpected(config_error(fmt::format(
        "no cluster is selected in kubeconfig {}: {}; choose a context with the command's context "
        "flag (--context, --karmada-context or --cluster-context; available contexts: {})",
        kubeconfig.describe_sources(),
        chosen.context_name.empty() ? "current-context is not set" : "the context names no cluster",
        available_names(kubeconfig.contexts))));
  }
  config.server = normalize_server(config.server);
  if (chosen.user != nullptr && chosen.user->exec) {
    config.auth.exec = std::make_shared<ExecCredentialProvider>(
        *chosen.user->exec, exec_cluster_info(config, chosen.cluster));
  }
  KCTL_TRY(validate(config));
  return config;
}

std::string
join_host_port(const std::string& host, const std::string& port) {
  bool ipv6 = host.find(':') != std::string::npos;
  return ipv6 ? fmt::format("[{}]:{}", host, port) : fmt::format("{}:{}", host, port);
}

// The service account of the pod we run in, like rest.InClusterConfig.
Result<RestConfig>
in_cluster(const ConnectionOptions& options, const Environment& env) {
  RestConfig config;
  config.origin = fmt::format("in-cluster configuration ({})", env.service_account_dir.string());
  config.server = "https://" + join_host_port(env.service_host, env.service_port);
  config.auth.token_file = env.service_account_dir / "token";
  KCTL_TRY(
      check_readable(config.auth.token_file, "in-cluster configuration: service account token"));
  KCTL_TRY_ASSIGN(
      config.tls.ca_pem,
      read_pem(env.service_account_dir / "ca.crt", "in-cluster configuration: service account CA"));
  if (auto ns = kctl::fs::read_file(env.service_account_dir / "namespace",
                                    kctl::fs::k_max_small_file_bytes,
                                    "the service account namespace file");
      ns && !ns->empty()) {
    std::string value = *ns;
    while (!value.empty() && (value.back() == '\n' || value.back() == ' ')) {
      value.pop_back();
    }
    config.namespace_name = value;
  }
  KCTL_TRY(apply_tls_overrides(config, options));
  KCTL_TRY(apply_common_overrides(config, options));
  config.server = normalize_server(config.server);
  KCTL_TRY(validate(config));
  return config;
}

Error
nothing_configured(const Environment& env) {
  std::string tried = "--kubeconfig (not given)";
  if (env.kubeconfig_env && !env.kubeconfig_env->empty()) {
    tried += fmt::format(", $KUBECONFIG={} (no such files)", *env.kubeconfig_env);
  } else {
    tried += ", $KUBECONFIG (not set)";
    tried += fmt::format(", {} (does not exist)", (env.home / ".kube" / "config").string());
  }
  tried += ", in-cluster configuration (KUBERNETES_SERVICE_HOST/PORT not set)";
  return config_error(fmt::format(
      "missing or incomplete configuration info: no kubeconfig found; tried {}; pass --kubeconfig "
      "<file> or set KUBECONFIG",
      tried));
}

} // namespace

Environment
Environment::current() {
  Environment env;
  if (const char* value = std::getenv("KUBECONFIG"); value != nullptr) {
    env.kubeconfig_env = value;
  }
  env.home = env_or_empty("HOME");
  env.service_host = env_or_empty("KUBERNETES_SERVICE_HOST");
  env.service_port = env_or_empty("KUBERNETES_SERVICE_PORT");
  std::string insecure = env_or_empty(std::string(k_insecure_http_credentials_env).c_str());
  env.insecure_http_credentials = insecure == "1" || insecure == "true";
  env.kube_cache_dir = env_or_empty(std::string(k_kube_cache_dir_env).c_str());
  return env;
}

Result<std::chrono::milliseconds>
parse_request_timeout(std::string_view text) {
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos) {
    return std::chrono::seconds(std::stoll(std::string(text)));
  }
  KCTL_TRY_ASSIGN(std::chrono::nanoseconds value, parse_duration(text));
  if (value.count() < 0) {
    return failf("invalid timeout \"{}\": must not be negative", text);
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(value);
}

Result<std::optional<Kubeconfig>>
load_kubeconfig(const ConnectionOptions& options, const Environment& env) {
  if (!options.kubeconfig.empty()) {
    KCTL_TRY_ASSIGN(Kubeconfig one,
                    with_context(load_kubeconfig_file(kctl::fs::expand_home(options.kubeconfig)),
                                 "--kubeconfig"));
    return std::optional(std::move(one));
  }
  if (env.kubeconfig_env && !env.kubeconfig_env->empty()) {
    KCTL_TRY_ASSIGN(Kubeconfig merged,
                    load_kubeconfig_list(split_kubeconfig_env(*env.kubeconfig_env)));
    if (merged.sources.empty()) {
      return std::optional<Kubeconfig>{};
    }
    return std::optional(std::move(merged));
  }
  if (env.home.empty()) {
    return std::optional<Kubeconfig>{};
  }
  std::filesystem::path home_config = env.home / ".kube" / "config";
  std::error_code error;
  if (!std::filesystem::exists(home_config, error)) {
    return std::optional<Kubeconfig>{};
  }
  KCTL_TRY_ASSIGN(Kubeconfig one, load_kubeconfig_file(home_config));
  return std::optional(std::move(one));
}

namespace {

Result<RestConfig>
resolve_from_sources(const ConnectionOptions& options, const Environment& env) {
  KCTL_TRY_ASSIGN(std::optional<Kubeconfig> kubeconfig, load_kubeconfig(options, env));
  if (kubeconfig && !kubeconfig->empty()) {
    return from_kubeconfig(*kubeconfig, options);
  }
  bool in_cluster_available = !env.service_host.empty() && !env.service_port.empty();
  if (options.server.empty() && in_cluster_available) {
    KLOG(4, "no kubeconfig found, using the in-cluster configuration");
    return in_cluster(options, env);
  }
  if (!options.server.empty()) {
    // kubectl works from -s and credential flags alone.
    return from_kubeconfig(kubeconfig.value_or(Kubeconfig{}), options);
  }
  if (kubeconfig) {
    return std::unexpected(config_error(fmt::format(
        "missing or incomplete configuration info: kubeconfig {} defines no clusters, users or "
        "contexts; pass --kubeconfig <file> with a cluster, a user and a context",
        kubeconfig->describe_sources())));
  }
  return std::unexpected(nothing_configured(env));
}

} // namespace

Result<RestConfig>
resolve_rest_config(const ConnectionOptions& options, const Environment& env) {
  auto resolved = resolve_from_sources(options, env);
  if (resolved) {
    resolved->allow_http_credentials = env.insecure_http_credentials;
    resolved->cache_dir = default_cache_dir(env.kube_cache_dir, env.home);
  }
  return resolved;
}

} // namespace kctl::kube
