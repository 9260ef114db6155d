#include "karmada/connect.hpp"

#include "kube/nodes.hpp"
#include "util/encoding.hpp"
#include "util/yaml.hpp"

#include <fmt/format.h>

namespace kctl::karmada {

Result<kube::RestConfig>
rest_config_from_admin_kubeconfig(std::string_view kubeconfig_yaml, std::string server) {
  KCTL_TRY_ASSIGN(Json config, yaml::parse(kubeconfig_yaml, "the stored admin kubeconfig"));
  auto field = [&](const char* pointer) -> Result<std::string> {
    std::string value = config.value(Json::json_pointer(pointer), "");
    if (value.empty()) {
      return failf("the stored admin kubeconfig has no {}", pointer);
    }
    return encoding::base64_decode(value);
  };
  kube::RestConfig rest;
  rest.server = std::move(server);
  KCTL_TRY_ASSIGN(rest.tls.ca_pem, field("/clusters/0/cluster/certificate-authority-data"));
  KCTL_TRY_ASSIGN(rest.tls.client_certificate_pem, field("/users/0/user/client-certificate-data"));
  KCTL_TRY_ASSIGN(rest.tls.client_key_pem, field("/users/0/user/client-key-data"));
  rest.origin = "the admin kubeconfig stored by init";
  return rest;
}

Result<kube::Client>
connect_via_host(const kube::Client& host, std::string_view ns, kube::DryRun dry_run) {
  const std::string ns_name(ns);
  KCTL_TRY_ASSIGN(std::optional<Json> secret,
                  host.get(kube::core("secrets").in(ns_name).with_name(
                      std::string(k_admin_kubeconfig_secret))));
  KCTL_TRY_ASSIGN(std::optional<Json> service,
                  host.get(kube::core("services").in(ns_name).with_name("karmada-apiserver")));
  if (!secret || !service) {
    return failf("no Karmada control plane in namespace {} of the host cluster (Secret {} or "
                 "Service karmada-apiserver missing); pass the Karmada kubeconfig instead",
                 ns_name,
                 k_admin_kubeconfig_secret);
  }
  KCTL_TRY_ASSIGN(std::string text,
                  encoding::base64_decode(secret->value(
                      Json::json_pointer(fmt::format("/data/{}", k_admin_kubeconfig_key)), "")));
  KCTL_TRY_ASSIGN(Json nodes, host.list(kube::core("nodes")));
  std::string address = kube::first_node_address(nodes);
  int port = service->value("/spec/ports/0/nodePort"_json_pointer, 0);
  if (address.empty() || port == 0) {
    return fail("no node address or NodePort to reach the Karmada API server; pass the Karmada "
                "kubeconfig instead");
  }
  KCTL_TRY_ASSIGN(
      kube::RestConfig rest,
      rest_config_from_admin_kubeconfig(text, fmt::format("https://{}:{}", address, port)));
  rest.timeout = std::chrono::seconds(15);
  rest.retry.max_attempts = 2;
  return kube::Client::connect(rest, dry_run);
}

} // namespace kctl::karmada
