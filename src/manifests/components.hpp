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
  // The `init` step that starts it ("[scheduler] Start karmada-scheduler"), and when: the
  // components of one wave start together, once those of the previous wave are ready.
  const char* step;
  const char* summary;
  int wave;
};

// etcd, then upstream's order of the component flags; `init --help`, completion and
// `config images list` follow it.
inline constexpr std::array<ComponentInfo, 7> k_components = {{
    {.id = Component::etcd,
     .name = "etcd",
     .flag_prefix = "etcd",
     .display = "etcd",
     .config_path = "etcd.local",
     .image_source = ImageSource::kube,
     .image_name = "etcd",
     .image_tag = "3.6.6-0",
     .default_replicas = 1,
     .default_priority_class = "system-node-critical",
     .step = "etcd",
     .summary = "Start etcd",
     .wave = 0},
    {.id = Component::apiserver,
     .name = "karmada-apiserver",
     .flag_prefix = "karmada-apiserver",
     .display = "karmada-apiserver",
     .config_path = "components.karmadaAPIServer",
     .image_source = ImageSource::kube,
     .image_name = "kube-apiserver",
     .image_tag = nullptr,
     .default_replicas = 1,
     .default_priority_class = "system-node-critical",
     .step = "apiserver",
     .summary = "Start the Karmada API server",
     .wave = 1},
    {.id = Component::scheduler,
     .name = "karmada-scheduler",
     .flag_prefix = "karmada-scheduler",
     .display = "karmada-scheduler",
     .config_path = "components.karmadaScheduler",
     .image_source = ImageSource::karmada,
     .image_name = "karmada-scheduler",
     .image_tag = nullptr,
     .default_replicas = 1,
     .default_priority_class = "system-node-critical",
     .step = "scheduler",
     .summary = "Start karmada-scheduler",
     .wave = 3},
    {.id = Component::kube_controller_manager,
     .name = "kube-controller-manager",
     .flag_prefix = "karmada-kube-controller-manager",
     .display = "kube-controller-manager",
     .config_path = "components.kubeControllerManager",
     .image_source = ImageSource::kube,
     .image_name = "kube-controller-manager",
     .image_tag = nullptr,
     .default_replicas = 1,
     .default_priority_class = "system-node-critical",
     .step = "kube-controller-manager",
     .summary = "Start kube-controller-manager",
     .wave = 3},
    {.id = Component::controller_manager,
     .name = "karmada-controller-manager",
     .flag_prefix = "karmada-controller-manager",
     .display = "karmada-controller-manager",
     .config_path = "components.karmadaControllerManager",
     .image_source = ImageSource::karmada,
     .image_name = "karmada-controller-manager",
     .image_tag = nullptr,
     .default_replicas = 1,
     .default_priority_class = "system-node-critical",
     .step = "controller-manager",
     .summary = "Start karmada-controller-manager",
     .wave = 3},
    {.id = Component::webhook,
     .name = "karmada-webhook",
     .flag_prefix = "karmada-webhook",
     .display = "karmada-webhook",
     .config_path = "components.karmadaWebhook",
     .image_source = ImageSource::karmada,
     .image_name = "karmada-webhook",
     .image_tag = nullptr,
     .default_replicas = 1,
     .default_priority_class = "system-node-critical",
     .step = "webhook",
     .summary = "Start karmada-webhook",
     .wave = 3},
    {.id = Component::aggregated_apiserver,
     .name = "karmada-aggregated-apiserver",
     .flag_prefix = "karmada-aggregated-apiserver",
     .display = "karmada-aggregated-apiserver",
     .config_path = "components.karmadaAggregatedAPIServer",
     .image_source = ImageSource::karmada,
     .image_name = "karmada-aggregated-apiserver",
     .image_tag = nullptr,
     .default_replicas = 1,
     .default_priority_class = "system-node-critical",
     .step = "aggregated-apiserver",
     .summary = "Start the aggregated API server",
     .wave = 2},
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
