// The full lists of objects `init` applies, in order, built from the resolved spec and the PKI.
// Used by the flow, by --dry-run -o yaml, and by the golden-file tests.
#pragma once

#include "manifests/init_spec.hpp"
#include "util/json.hpp"

#include <map>
#include <string>
#include <vector>

namespace kctl::init {

// PEM files by name ("ca.crt", "ca.key", "karmada.crt", ...), as written under --karmada-pki.
using PkiFiles = std::map<std::string, std::string>;

// Secrets in the host namespace: the components' kubeconfigs (pointing at the in-cluster Service
// of the Karmada API server) and the certificates in `pki`.
std::vector<Json> host_secrets(const manifests::InitSpec& spec, const PkiFiles& pki);

// etcd (when local), in the order it must start.
std::vector<Json> etcd_objects(const manifests::InitSpec& spec);
// The Karmada API server's Service and Deployment.
std::vector<Json> apiserver_objects(const manifests::InitSpec& spec);
// The aggregated API server's Service and Deployment.
std::vector<Json> aggregated_apiserver_objects(const manifests::InitSpec& spec);
// kube-controller-manager, scheduler, controller-manager and webhook, which start in parallel.
std::vector<Json> controller_objects(const manifests::InitSpec& spec);

// Objects inside the Karmada API server (CRDs excepted). `server` is the address registered
// clusters use, as in karmada-apiserver.config.
std::vector<Json> karmada_objects(const manifests::InitSpec& spec,
                                  const std::string& ca_pem,
                                  const std::string& server);

// A kubeconfig (as JSON) with one cluster, user and context all named `name`.
Json kubeconfig_json(const std::string& name,
                     const std::string& server,
                     const std::string& ca_pem,
                     const std::string& cert_pem,
                     const std::string& key_pem);

} // namespace kctl::init
