// The certificates of a Karmada control plane (upstream's list: CNs, organisations, SANs), and
// their reuse: a re-run keeps every certificate that is still valid for the current settings.
#pragma once

#include "flow/files.hpp"
#include "flow/steps.hpp"
#include "init/objects.hpp"
#include "init/options.hpp"
#include "pki/cert_spec.hpp"

#include <string>
#include <vector>

namespace kctl::init {

// The specs `init` issues, in order. `apiserver_ips` are the addresses clients use to reach the
// Karmada API server (they join the SANs of the karmada and apiserver certificates).
std::vector<pki::CertSpec> cert_specs(const ResolvedInit& init,
                                      const std::vector<std::string>& apiserver_ips);

// Makes sure --karmada-pki holds a valid certificate tree: existing pairs are reused when they
// load, match their key, chain to their (reused) CA, are not about to expire and cover the
// required names; anything else is issued anew (and everything below a new CA). Returns every
// PEM by file name, for the Secrets. External etcd material is read from its flags.
Result<PkiFiles> ensure_certificates(const ResolvedInit& init,
                                     const std::vector<std::string>& apiserver_ips,
                                     flow::LocalFiles& files,
                                     flow::StepReporter& reporter);

} // namespace kctl::init
