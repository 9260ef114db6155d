#pragma once

#include "commands/command.hpp"
#include "manifests/init_spec.hpp"

#include <string>
#include <vector>

namespace kctl::cli {

// `config images list`: the images `init` would use with the same flags, for mirroring into a
// private registry before an air-gapped install (kubeadm's spelling).
void setup_config(CLI::App& app, Invocation& invocation);

// The images of `spec`, in the order of manifests::k_components (etcd only when it is local).
std::vector<std::string> init_images(const manifests::InitSpec& spec);

} // namespace kctl::cli
