#include "deinit/flow.hpp"

#include "flow/delete.hpp"

#include <fmt/format.h>

namespace kctl::deinit {

namespace {

using flow::StepReporter;

constexpr const char* k_owned_label = "karmada.io/bootstrapping";
constexpr const char* k_etcd_label = "karmada.io/etcd";

// The names of the objects of `kind` that carry init's label.
Result<std::vector<std::string>>
labelled_names(const kube::Client& host, const kube::ResourceRef& kind) {
  kube::ListOptions selector;
  selector.label_selector = k_owned_label;
  KCTL_TRY_ASSIGN(Json list, host.list(kind, selector));
  std::vector<std::string> names;
  for (const auto& item : list.value("items", Json::array())) {
    names.push_back(item.value("/metadata/name"_json_pointer, ""));
  }
  return names;
}

Status
delete_owned(const DeinitRun& run, StepReporter& r) {
  const DeinitSpec& spec = run.spec;
  flow::Deleter deleter(run.host);
  std::size_t deleted = 0;
  for (const auto& kind : owned_kinds(spec.namespace_name, spec.purge_etcd_pvcs)) {
    KCTL_TRY_ASSIGN(std::vector<std::string> names, labelled_names(run.host, kind));
    for (const auto& name : names) {
      KCTL_TRY_ASSIGN(bool existed, deleter.remove(kind.with_name(name), r));
      deleted += existed ? 1U : 0U;
    }
  }
  if (deleted == 0) {
    r.detail(fmt::format(
        "nothing with the label {} in namespace {}", k_owned_label, spec.namespace_name));
  }
  return {};
}

// The merge patch that removes every karmada.io/etcd label of `node`.
Json
etcd_labels_removed(const Json& node) {
  Json labels = Json::object();
  // Held by name: items() of a temporary would dangle.
  const Json current = node.value("/metadata/labels"_json_pointer, Json::object());
  for (const auto& [key, value] : current.items()) {
    if (key.find(k_etcd_label) != std::string::npos) {
      labels[key] = nullptr;
    }
  }
  return Json{{"metadata", {{"labels", labels}}}};
}

// A patch, not a delete: the nodes stay, only init's label goes (the data directory stays too).
Status
unlabel_etcd_nodes(const DeinitRun& run, StepReporter& r) {
  kube::ListOptions selector;
  selector.label_selector = k_etcd_label;
  KCTL_TRY_ASSIGN(Json nodes, run.host.list(kube::core("nodes"), selector));
  for (const auto& node : nodes.value("items", Json::array())) {
    std::string name = node.value("/metadata/name"_json_pointer, "");
    KCTL_TRY(run.host.patch(
        kube::core("nodes").with_name(name), kube::PatchType::merge, etcd_labels_removed(node)));
    r.detail(fmt::format("{} label {} from node {} (its etcd data directory is kept)",
                         run.host.dry_run() ? "would remove" : "removed",
                         k_etcd_label,
                         name));
  }
  return {};
}

Status
delete_namespace(const DeinitRun& run, StepReporter& r) {
  const std::string& name = run.spec.namespace_name;
  KCTL_TRY_ASSIGN(bool existed,
                  flow::Deleter(run.host).remove(kube::core("namespaces").with_name(name), r));
  if (!existed) {
    r.detail(fmt::format("already gone: Namespace {}", name));
  }
  return {};
}

flow::Step
step(DeinitRun& run,
     std::string name,
     std::string summary,
     Status (*body)(const DeinitRun&, StepReporter&)) {
  return flow::Step{
      std::move(name), std::move(summary), [&run, body](StepReporter& r) { return body(run, r); }};
}

flow::Step
etcd_nodes_step(DeinitRun& run) {
  return step(run, "etcd-nodes", "Remove the etcd node labels", unlabel_etcd_nodes);
}

} // namespace

std::vector<kube::ResourceRef>
owned_kinds(const std::string& namespace_name, bool with_pvcs) {
  std::vector<kube::ResourceRef> kinds = {
      kube::apps("deployments").in(namespace_name),
      kube::apps("statefulsets").in(namespace_name),
      kube::core("services").in(namespace_name),
      kube::core("secrets").in(namespace_name),
  };
  if (with_pvcs) {
    kinds.push_back(kube::core("persistentvolumeclaims").in(namespace_name));
  }
  return kinds;
}

std::vector<flow::Stage>
deinit_stages(DeinitRun& run) {
  std::vector<flow::Stage> stages = {
      {{step(run,
             "delete",
             "Delete the control plane's workloads, Services and Secrets",
             delete_owned),
        etcd_nodes_step(run)}},
  };
  if (run.spec.purge_namespace) {
    stages.push_back({{step(run, "namespace", "Delete the namespace", delete_namespace)}});
  }
  return stages;
}

std::vector<flow::Stage>
leftover_stages(DeinitRun& run) {
  return {{{etcd_nodes_step(run)}}};
}

} // namespace kctl::deinit
