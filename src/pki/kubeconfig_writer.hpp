// Builds and writes kubeconfig files with embedded credentials (the kubeconfigs `init` and
// `register` produce). Reading kubeconfigs belongs to src/kube; this side only writes.
#pragma once

#include "util/json.hpp"
#include "util/result.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace kctl::pki {

// --- Interface ---

// A cluster entry; `certificate_authority_pem` is embedded as certificate-authority-data.
struct KubeconfigCluster {
  std::string name;
  std::string server;
  std::string certificate_authority_pem;
  std::string tls_server_name; // omitted when empty
  bool insecure_skip_tls_verify = false;
};

// A user entry: client certificate and key (embedded PEM) and/or a bearer token.
struct KubeconfigUser {
  std::string name;
  std::string client_certificate_pem;
  std::string client_key_pem;
  std::string token;
};

struct KubeconfigContext {
  std::string name;
  std::string cluster;
  std::string user;
  std::string namespace_name; // omitted when empty
};

struct Kubeconfig {
  std::vector<KubeconfigCluster> clusters;
  std::vector<KubeconfigUser> users;
  std::vector<KubeconfigContext> contexts;
  std::string current_context;
};

// A kubeconfig with one cluster, one user and one context joining them, current.
Kubeconfig
single_kubeconfig(KubeconfigCluster cluster, KubeconfigUser user, std::string context_name);

// The kubeconfig as a Json document, fields in the order client-go's clientcmd.Write emits them
// (alphabetical), `*-data` fields base64-encoded.
Json kubeconfig_to_json(const Kubeconfig& config);

// The kubeconfig rendered as YAML.
std::string render_kubeconfig(const Kubeconfig& config);

// Writes the kubeconfig to `path` atomically with mode 0600 (it holds credentials). Fails when a
// context names a cluster or user that is not in `config`, or when the file cannot be written.
Status write_kubeconfig(const std::filesystem::path& path, const Kubeconfig& config);

} // namespace kctl::pki
