// The full lists of objects `init` applies, in order, built from the resolved spec and the PKI.
// Used by the flow, by --dry-run -o yaml, and by the golden-file tests.
#pragma once

#include "manifests/init_spec.hpp"
#include "util/json.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kctl::init {

// PEM files by name ("ca.crt", "ca.key", "karmada.crt", ...), as written under --karmada-pki.
using PkiFiles = std::map<std::string, std::string>;

// Secrets in the host namespace: the components' kubeconfigs (pointing at the in-cluster Service
// of the Karmada API server) and the certificates in `pki`.
std::vector<Json> host_secrets(const manifests::InitSpec& spec, const PkiFiles& pki);

// Objects inside the Karmada API server, CRDs (given with their patches merged) included, for the
// karmada-resources step. `server` is the address registered clusters use, as in
// karmada-apiserver.config.
std::vector<Json> karmada_resources(const manifests::InitSpec& spec,
                                    const std::string& ca_pem,
                                    const std::string& server,
                                    const std::vector<Json>& crds);

// The aggregated cluster API's ExternalName Service and APIService, for the apiservice step.
std::vector<Json> aggregated_api_registration(const manifests::InitSpec& spec,
                                              const std::string& ca_pem);

// The component wave (manifests::ComponentInfo::wave) the karmada-resources step runs with (it
// needs the Karmada API server of the wave before), and the one the apiservice step runs with (it
// needs the aggregated API server of the wave before).
inline constexpr int k_karmada_resources_wave = 2;
inline constexpr int k_apiservice_wave = 3;

// Which cluster a step's objects go to.
enum class Target { host, karmada };

// The objects one step of `init` applies, in order.
struct StepObjects {
  std::string step; // the step's name: "namespace", "etcd", "karmada-resources", ...
  Target target;
  std::vector<Json> objects;
};

// What the object lists are built from besides the spec, known once the certificates and CRDs are
// prepared.
struct ObjectInputs {
  PkiFiles pki;
  std::string server;     // https://<first IP>:<port>
  std::vector<Json> crds; // with their patches merged
};

// Every object `init` applies, by step, in the order of the steps of init_stages(): the steps
// apply exactly these lists, so the golden files (which render them) pin what init applies.
std::vector<StepObjects> init_objects(const manifests::InitSpec& spec, const ObjectInputs& inputs);

// A kubeconfig (as JSON) with one cluster, user and context all named `name`.
Json kubeconfig_json(const std::string& name,
                     const std::string& server,
                     const std::string& ca_pem,
                     const std::string& cert_pem,
                     const std::string& key_pem);

} // namespace kctl::init
