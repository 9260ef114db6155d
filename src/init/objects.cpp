#include "init/objects.hpp"

#include "manifests/control_plane.hpp"
#include "manifests/host.hpp"
#include "util/encoding.hpp"
#include "util/yaml.hpp"

#include <algorithm>

namespace kctl::init {

namespace {

std::string
file(const PkiFiles& pki, const std::string& name) {
  auto found = pki.find(name);
  return found == pki.end() ? std::string() : found->second;
}

} // namespace

Json
kubeconfig_json(const std::string& name,
                const std::string& server,
                const std::string& ca_pem,
                const std::string& cert_pem,
                const std::string& key_pem) {
  return Json{
      {"apiVersion", "v1"},
      {"kind", "Config"},
      {"clusters",
       Json::array({{{"name", name},
                     {"cluster",
                      {{"certificate-authority-data", encoding::base64_encode(ca_pem)},
                       {"server", server}}}}})},
      {"contexts",
       Json::array({{{"name", name}, {"context", {{"cluster", name}, {"user", name}}}}})},
      {"current-context", name},
      {"preferences", Json::object()},
      {"users",
       Json::array({{{"name", name},
                     {"user",
                      {{"client-certificate-data", encoding::base64_encode(cert_pem)},
                       {"client-key-data", encoding::base64_encode(key_pem)}}}}})},
  };
}

std::vector<Json>
host_secrets(const manifests::InitSpec& spec, const PkiFiles& pki) {
  std::vector<Json> secrets;
  std::string config = yaml::dump(kubeconfig_json("karmada-admin",
                                                  manifests::apiserver_service_url(spec),
                                                  file(pki, "ca.crt"),
                                                  file(pki, "karmada.crt"),
                                                  file(pki, "karmada.key")));
  for (const auto& name : manifests::component_config_secret_names()) {
    secrets.push_back(manifests::host_secret(spec, name, {{"karmada.config", config}}));
  }
  std::map<std::string, std::string> etcd_cert;
  for (const char* name : {"etcd-ca.crt", "etcd-ca.key", "etcd-server.crt", "etcd-server.key"}) {
    etcd_cert[name] = file(pki, name);
  }
  if (!spec.external_etcd_mode()) {
    secrets.push_back(manifests::host_secret(spec, "etcd-cert", etcd_cert));
  }
  std::map<std::string, std::string> karmada_cert;
  for (const char* base : {"ca",
                           "etcd-ca",
                           "etcd-server",
                           "etcd-client",
                           "karmada",
                           "apiserver",
                           "front-proxy-ca",
                           "front-proxy-client"}) {
    for (const char* ext : {".crt", ".key"}) {
      std::string name = std::string(base) + ext;
      if (pki.contains(name)) {
        karmada_cert[name] = file(pki, name);
      }
    }
  }
  secrets.push_back(manifests::host_secret(spec, "karmada-cert", karmada_cert));
  secrets.push_back(manifests::host_secret(
      spec,
      "karmada-webhook-cert",
      {{"tls.crt", file(pki, "karmada.crt")}, {"tls.key", file(pki, "karmada.key")}}));
  return secrets;
}

std::vector<Json>
karmada_resources(const manifests::InitSpec& spec,
                  const std::string& ca_pem,
                  const std::string& server,
                  const std::vector<Json>& crds) {
  std::vector<Json> objects = {manifests::karmada_namespace(spec)};
  objects.insert(objects.end(), crds.begin(), crds.end());
  objects.push_back(manifests::mutating_webhook_configuration(spec, ca_pem));
  objects.push_back(manifests::validating_webhook_configuration(spec, ca_pem));
  objects.push_back(manifests::cluster_info_configmap(server, ca_pem));
  for (auto& object : manifests::bootstrap_rbac()) {
    objects.push_back(std::move(object));
  }
  return objects;
}

std::vector<Json>
aggregated_api_registration(const manifests::InitSpec& spec, const std::string& ca_pem) {
  return {manifests::aggregated_apiserver_external_service(spec),
          manifests::cluster_apiservice(spec, ca_pem)};
}

std::vector<StepObjects>
init_objects(const manifests::InitSpec& spec, const ObjectInputs& inputs) {
  const std::string ca = file(inputs.pki, "ca.crt");
  std::vector<StepObjects> steps = {
      {"namespace", Target::host, {manifests::host_namespace(spec)}},
      {"secrets", Target::host, host_secrets(spec, inputs.pki)},
  };
  // The components start in waves (see manifests::ComponentInfo::wave); the Karmada resources
  // are installed next to the aggregated API server, and the cluster API is registered with the
  // controllers, as init_stages() runs them.
  int last_wave = 0;
  for (const auto& row : manifests::k_components) {
    last_wave = std::max(last_wave, row.wave);
  }
  for (int wave = 0; wave <= last_wave; ++wave) {
    if (wave == k_apiservice_wave) {
      steps.push_back({"apiservice", Target::karmada, aggregated_api_registration(spec, ca)});
    }
    for (const auto& row : manifests::k_components) {
      if (row.wave == wave) {
        steps.push_back({row.step, Target::host, manifests::component_objects(spec, row.id)});
      }
    }
    if (wave == k_karmada_resources_wave) {
      steps.push_back({"karmada-resources",
                       Target::karmada,
                       karmada_resources(spec, ca, inputs.server, inputs.crds)});
    }
  }
  return steps;
}

} // namespace kctl::init
