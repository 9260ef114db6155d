// The control-plane components `init` installs, in one table. Everything that goes over "each
// component" (the --<component>-* flags, the --config keys, default images, validation, scheduling
// settings, `config images list`, the object names) reads this table, so adding or renaming a
// component is one row.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace kctl::manifests {

// A component; its value is its row in k_components (and its index in per-component arrays).
enum class Component : std::size_t {
  etcd,
  apiserver,
  scheduler,
  kube_controller_manager,
  controller_manager,
  webhook,
  aggregated_apiserver,
};

// Where a component's default image comes from.
enum class ImageSource {
  kube,    // <kube registry>/<image_name>:<tag, else --kube-image-tag>
  karmada, // <--private-image-registry, else docker.io/karmada>/<image_name>:<karmada release>
};

struct ComponentInfo {
  Component id;
  // Workload, Service and `app` label name: "karmada-apiserver".
  const char* name;
  // Flags --<flag_prefix>-image, -replicas, -priority-class, -extra-args (upstream's spelling).
  const char* flag_prefix;
  // Help text name: "kube-controller-manager".
  const char* display;
  // Where the component's settings are in a KarmadaInitConfig, below `spec`.
  const char* config_path;
  ImageSource image_source;
  const char* image_name;
  // A fixed tag (etcd's); nullptr: the source's tag.
  const char* image_tag;
  std::int32_t default_replicas;
  const char* default_priority_class;
};

// etcd, then upstream's order of the component flags; `init --help`, completion and
// `config images list` follow it.
inline constexpr std::array<ComponentInfo, 7> k_components = {{
    {Component::etcd,
     "etcd",
     "etcd",
     "etcd",
     "etcd.local",
     ImageSource::kube,
     "etcd",
     "3.6.6-0",
     1,
     "system-node-critical"},
    {Component::apiserver,
     "karmada-apiserver",
     "karmada-apiserver",
     "karmada-apiserver",
     "components.karmadaAPIServer",
     ImageSource::kube,
     "kube-apiserver",
     nullptr,
     1,
     "system-node-critical"},
    {Component::scheduler,
     "karmada-scheduler",
     "karmada-scheduler",
     "karmada-scheduler",
     "components.karmadaScheduler",
     ImageSource::karmada,
     "karmada-scheduler",
     nullptr,
     1,
     "system-node-critical"},
    {Component::kube_controller_manager,
     "kube-controller-manager",
     "karmada-kube-controller-manager",
     "kube-controller-manager",
     "components.kubeControllerManager",
     ImageSource::kube,
     "kube-controller-manager",
     nullptr,
     1,
     "system-node-critical"},
    {Component::controller_manager,
     "karmada-controller-manager",
     "karmada-controller-manager",
     "karmada-controller-manager",
     "components.karmadaControllerManager",
     ImageSource::karmada,
     "karmada-controller-manager",
     nullptr,
     1,
     "system-node-critical"},
    {Component::webhook,
     "karmada-webhook",
     "karmada-webhook",
     "karmada-webhook",
     "components.karmadaWebhook",
     ImageSource::karmada,
     "karmada-webhook",
     nullptr,
     1,
     "system-node-critical"},
    {Component::aggregated_apiserver,
     "karmada-aggregated-apiserver",
     "karmada-aggregated-apiserver",
     "karmada-aggregated-apiserver",
     "components.karmadaAggregatedAPIServer",
     ImageSource::karmada,
     "karmada-aggregated-apiserver",
     nullptr,
     1,
     "system-node-critical"},
}};

inline constexpr std::size_t k_component_count = k_components.size();

// The row of `component`.
constexpr const ComponentInfo&
info(Component component) {
  return k_components[static_cast<std::size_t>(component)];
}

constexpr bool
rows_match_ids() {
  for (std::size_t i = 0; i < k_component_count; ++i) {
    if (static_cast<std::size_t>(k_components[i].id) != i) {
      return false;
    }
  }
  return true;
}
static_assert(rows_match_ids(), "k_components rows must be in Component order");

} // namespace kctl::manifests
