#include "pki/kubeconfig_writer.hpp"

#include "util/encoding.hpp"
#include "util/fs.hpp"
#include "util/yaml.hpp"

#include <algorithm>

namespace kctl::pki {

namespace {

Json
cluster_json(const KubeconfigCluster& cluster) {
  Json body = Json::object();
  if (!cluster.certificate_authority_pem.empty()) {
    body["certificate-authority-data"] = encoding::base64_encode(cluster.certificate_authority_pem);
  }
  if (cluster.insecure_skip_tls_verify) {
    body["insecure-skip-tls-verify"] = true;
  }
  body["server"] = cluster.server;
  if (!cluster.tls_server_name.empty()) {
    body["tls-server-name"] = cluster.tls_server_name;
  }
  return Json{{"cluster", body}, {"name", cluster.name}};
}

Json
user_json(const KubeconfigUser& user) {
  Json body = Json::object();
  if (!user.client_certificate_pem.empty()) {
    body["client-certificate-data"] = encoding::base64_encode(user.client_certificate_pem);
  }
  if (!user.client_key_pem.empty()) {
    body["client-key-data"] = encoding::base64_encode(user.client_key_pem);
  }
  if (!user.token.empty()) {
    body["token"] = user.token;
  }
  return Json{{"name", user.name}, {"user", body}};
}

Json
context_json(const KubeconfigContext& context) {
  Json body = {{"cluster", context.cluster}};
  if (!context.namespace_name.empty()) {
    body["namespace"] = context.namespace_name;
  }
  body["user"] = context.user;
  return Json{{"context", body}, {"name", context.name}};
}

template <class Entry>
bool
has_named(const std::vector<Entry>& entries, const std::string& name) {
  return std::any_of(
      entries.begin(), entries.end(), [&](const Entry& e) { return e.name == name; });
}

Status
validate(const Kubeconfig& config) {
  for (const KubeconfigContext& context : config.contexts) {
    if (!has_named(config.clusters, context.cluster)) {
      return failf("context \"{}\" names unknown cluster \"{}\"", context.name, context.cluster);
    }
    if (!has_named(config.users, context.user)) {
      return failf("context \"{}\" names unknown user \"{}\"", context.name, context.user);
    }
  }
  if (!config.current_context.empty() && !has_named(config.contexts, config.current_context)) {
    return failf("current context \"{}\" is not defined", config.current_context);
  }
  return {};
}

} // namespace

Kubeconfig
single_kubeconfig(KubeconfigCluster cluster, KubeconfigUser user, std::string context_name) {
  Kubeconfig config;
  config.contexts.push_back({context_name, cluster.name, user.name, {}});
  config.current_context = std::move(context_name);
  config.clusters.push_back(std::move(cluster));
  config.users.push_back(std::move(user));
  return config;
}

Json
kubeconfig_to_json(const Kubeconfig& config) {
  Json clusters = Json::array();
  for (const KubeconfigCluster& cluster : config.clusters) {
    clusters.push_back(cluster_json(cluster));
  }
  Json contexts = Json::array();
  for (const KubeconfigContext& context : config.contexts) {
    contexts.push_back(context_json(context));
  }
  Json users = Json::array();
  for (const KubeconfigUser& user : config.users) {
    users.push_back(user_json(user));
  }
  return Json{{"apiVersion", "v1"},
              {"clusters", clusters},
              {"contexts", contexts},
              {"current-context", config.current_context},
              {"kind", "Config"},
              {"preferences", Json::object()},
              {"users", users}};
}

std::string
render_kubeconfig(const Kubeconfig& config) {
  return yaml::dump(kubeconfig_to_json(config));
}

Status
write_kubeconfig(const std::filesystem::path& path, const Kubeconfig& config) {
  KCTL_TRY(
      with_context(validate(config), fmt::format("cannot write kubeconfig {}", path.string())));
  return fs::write_file_atomic(path, render_kubeconfig(config), fs::k_private_file);
}

} // namespace kctl::pki
