#include "init/flow.hpp"

#include "flow/apply.hpp"
#include "flow/wait.hpp"
#include "init/certs.hpp"
#include "init/download.hpp"
#include "kube/conditions.hpp"
#include "kube/nodes.hpp"
#include "manifests/control_plane.hpp"
#include "manifests/host.hpp"
#include "util/encoding.hpp"
#include "util/fs.hpp"
#include "util/yaml.hpp"

#include <fmt/format.h>

namespace kctl::init {

namespace {

using flow::StepReporter;

// ---- preflight ------------------------------------------------------------------------------

Result<std::vector<std::string>>
control_plane_ips(const kube::Client& host) {
  kube::ResourceRef nodes = kube::core("nodes");
  for (const char* role :
       {"node-role.kubernetes.io/control-plane", "node-role.kubernetes.io/master"}) {
    kube::ListOptions options;
    options.label_selector = role;
    KCTL_TRY_ASSIGN(Json list, host.list(nodes, options));
    std::vector<std::string> ips;
    for (const auto& node : list["items"]) {
      if (std::string ip = kube::node_address(node); !ip.empty()) {
        ips.push_back(ip);
      }
    }
    if (!ips.empty()) {
      return ips;
    }
  }
  KCTL_TRY_ASSIGN(Json all, host.list(nodes));
  std::vector<std::string> ips;
  for (const auto& node : all["items"]) {
    if (std::string ip = kube::node_address(node); !ip.empty() && ips.size() < 3) {
      ips.push_back(ip);
    }
  }
  if (ips.empty()) {
    return fail(
        "the host cluster has no node with an address; pass --karmada-apiserver-advertise-address");
  }
  return ips;
}

Status
check_node_port_free(const InitRun& run) {
  KCTL_TRY_ASSIGN(Json services, run.host.list(kube::core("services")));
  for (const auto& service : services["items"]) {
    std::string ns = service.value("/metadata/namespace"_json_pointer, "");
    std::string name = service.value("/metadata/name"_json_pointer, "");
    if (ns == run.init.spec.namespace_name && name == manifests::k_apiserver_name) {
      continue; // ours, from an earlier run
    }
    for (const auto& port : service.value("/spec/ports"_json_pointer, Json::array())) {
      if (port.value("nodePort", 0) == run.init.spec.node_port) {
        return failf("NodePort {} is already used by Service {}/{}; choose another with --port",
                     run.init.spec.node_port,
                     ns,
                     name);
      }
    }
  }
  return {};
}

// hostPath etcd without a node selector runs on a node init labels karmada.io/etcd: keep the one
// an earlier run labelled, else take the first Ready node, untainted ones first.
Status
choose_etcd_node(InitRun& run) {
  const auto& local = run.init.spec.local_etcd;
  if (run.init.spec.external_etcd_mode() ||
      local.storage_mode != manifests::EtcdStorageMode::host_path) {
    return {};
  }
  kube::ResourceRef nodes = kube::core("nodes");
  if (!local.node_selector.empty()) {
    for (const auto& [key, value] : local.node_selector) {
      kube::ListOptions options;
      options.label_selector = key + "=" + value;
      KCTL_TRY_ASSIGN(Json matching, run.host.list(nodes, options));
      if (matching["items"].empty()) {
        return failf(
            "no node has the label {}={} given in --etcd-node-selector-labels", key, value);
      }
    }
    return {};
  }
  kube::ListOptions labelled;
  labelled.label_selector = "karmada.io/etcd";
  KCTL_TRY_ASSIGN(Json existing, run.host.list(nodes, labelled));
  if (!existing["items"].empty()) {
    return {};
  }
  KCTL_TRY_ASSIGN(Json all, run.host.list(nodes));
  const Json* chosen = nullptr;
  for (const auto& node : all["items"]) {
    if (!kube::condition_is_true(node, "Ready")) {
      continue;
    }
    bool tainted = !node.value("/spec/taints"_json_pointer, Json::array()).empty();
    if (chosen == nullptr ||
        (!tainted && !chosen->value("/spec/taints"_json_pointer, Json::array()).empty())) {
      chosen = &node;
    }
  }
  if (chosen == nullptr) {
    return fail("no Ready node for hostPath etcd; label one with karmada.io/etcd= or use "
                "--etcd-node-selector-labels");
  }
  run.etcd_node = chosen->value("/metadata/name"_json_pointer, "");
  return {};
}

Status
preflight(InitRun& run, StepReporter& r) {
  KCTL_TRY_ASSIGN(Json version,
                  with_context(run.host.server_version(), "cannot reach the host cluster"));
  r.detail(fmt::format("host cluster Kubernetes {}", version.value("gitVersion", "?")));
  KCTL_TRY(check_node_port_free(run));
  if (!run.init.advertise_address.empty()) {
    run.apiserver_ips = {run.init.advertise_address};
  } else {
    KCTL_TRY_ASSIGN(run.apiserver_ips, control_plane_ips(run.host));
  }
  std::string ip = run.apiserver_ips.front();
  run.karmada_server = fmt::format("https://{}:{}",
                                   ip.find(':') != std::string::npos ? "[" + ip + "]" : ip,
                                   run.init.spec.node_port);
  r.detail(fmt::format("Karmada API server will be reached at {}", run.karmada_server));
  return choose_etcd_node(run);
}

// ---- local files ----------------------------------------------------------------------------

Status
prepare_crds(InitRun& run, StepReporter& r) {
  std::string source = run.init.crds;
  std::string bytes;
  if (source.starts_with("http://") || source.starts_with("https://")) {
    r.status(fmt::format("downloading {}", source));
    KCTL_TRY_ASSIGN(bytes, download(source, std::chrono::seconds(60)));
    std::filesystem::path saved = std::filesystem::path(run.init.karmada_data) / "crds.tar.gz";
    KCTL_TRY(run.files.write(saved, bytes, fs::k_public_file));
    r.detail(fmt::format("downloaded {} to {}", source, saved.string()));
  } else {
    KCTL_TRY_ASSIGN(bytes, fs::read_file(source, k_max_crds_download_bytes, "a --crds tarball"));
  }
  KCTL_TRY_ASSIGN(CrdBundle bundle, load_crd_bundle(bytes, source));
  std::filesystem::path data = run.init.karmada_data;
  for (const auto* list : {&bundle.bases, &bundle.patches}) {
    for (const auto& file : *list) {
      KCTL_TRY(run.files.write(data / file.path, file.content, fs::k_public_file));
    }
  }
  r.detail(fmt::format(
      "{} CRDs and {} patches from {}", bundle.bases.size(), bundle.patches.size(), source));
  run.crds = std::move(bundle);
  return {};
}

Status
write_karmada_kubeconfig(InitRun& run, StepReporter& r) {
  Json config = kubeconfig_json("karmada-apiserver",
                                run.karmada_server,
                                run.pki.at("ca.crt"),
                                run.pki.at("karmada.crt"),
                                run.pki.at("karmada.key"));
  // Upstream names the user karmada-admin; keep its names so existing scripts find them.
  config["users"][0]["name"] = "karmada-admin";
  config["contexts"][0]["context"]["user"] = "karmada-admin";
  std::filesystem::path path =
      std::filesystem::path(run.init.karmada_data) / "karmada-apiserver.config";
  KCTL_TRY_ASSIGN(flow::FileAction action,
                  run.files.write(path, yaml::dump(config), fs::k_private_file));
  r.detail(fmt::format("{} {}", path.string(), flow::to_string(action)));

  kube::RestConfig rest;
  rest.server = run.karmada_server;
  rest.tls.ca_pem = run.pki.at("ca.crt");
  rest.tls.client_certificate_pem = run.pki.at("karmada.crt");
  rest.tls.client_key_pem = run.pki.at("karmada.key");
  rest.origin = path.string();
  KCTL_TRY_ASSIGN(kube::Client karmada, run.connect(rest));
  run.karmada_applier = flow::Applier(karmada, run.plan);
  if (run.host.dry_run()) {
    auto version = karmada.server_version();
    if (!version && !kube::is_transport(version.error())) {
      // It answered, with an error: a plan that assumed it empty would be a guess.
      return std::unexpected(version.error().with_context(
          fmt::format("cannot read the Karmada API server at {}", run.karmada_server)));
    }
    if (!version) {
      // Not installed yet, the usual case before a first init: its objects are planned as new,
      // and the plan says that it was made without reading it.
      run.karmada_unread = version.error().message;
      r.detail(fmt::format("the Karmada API server at {} cannot be reached ({}): its objects "
                           "are planned as new, without reading it",
                           run.karmada_server,
                           run.karmada_unread));
      run.karmada_applier = flow::Applier::plan_only(run.plan);
    }
  }
  run.karmada_wait =
      run.host.dry_run() ? flow::Waiter::dry_run() : flow::Waiter(karmada, std::chrono::minutes(2));
  return {};
}

// ---- host cluster ---------------------------------------------------------------------------

Status
create_namespace(InitRun& run, StepReporter& r) {
  KCTL_TRY_ASSIGN(std::vector<Json> objects, run.objects_of("namespace"));
  KCTL_TRY(run.host_applier->apply_all(objects, r));
  if (run.etcd_node.empty()) {
    return {};
  }
  Json patch = {{"metadata", {{"labels", {{"karmada.io/etcd", ""}}}}}};
  KCTL_TRY(
      run.host.patch(kube::core("nodes").with_name(run.etcd_node), kube::PatchType::merge, patch));
  r.detail(
      fmt::format("Node {} labelled karmada.io/etcd for the etcd data directory", run.etcd_node));
  return {};
}

// ---- Karmada API server ---------------------------------------------------------------------

Result<std::vector<Json>>
crd_objects(const InitRun& run) {
  std::map<std::string, Json> patches;
  std::string ca_bundle = encoding::base64_encode(run.pki.at("ca.crt"));
  for (const auto& file : run.crds->patches) {
    std::string text = fill_patch_template(
        file.content, ca_bundle, manifests::k_webhook_name, run.init.spec.namespace_name);
    KCTL_TRY_ASSIGN(Json patch, yaml::parse(text, file.path));
    patches[patch_target_crd(file.path)] = std::move(patch);
  }
  std::vector<Json> crds;
  for (const auto& file : run.crds->bases) {
    KCTL_TRY_ASSIGN(std::vector<Json> documents, yaml::parse_all(file.content, file.path));
    for (auto& crd : documents) {
      std::string name = crd.value("/metadata/name"_json_pointer, "");
      // The patch is merged before applying, so one apply owns the whole CRD and re-runs converge.
      if (auto found = patches.find(name); found != patches.end()) {
        crd.merge_patch(found->second);
      }
      crds.push_back(std::move(crd));
    }
  }
  return crds;
}

Status
install_karmada_resources(InitRun& run, StepReporter& r) {
  if (!run.host.dry_run()) {
    r.status(fmt::format("waiting for the Karmada API server at {}", run.karmada_server));
  }
  KCTL_TRY_ASSIGN(std::vector<Json> objects, run.objects_of("karmada-resources"));
  size_t crds = 0;
  size_t changed = 0;
  for (const auto& object : objects) {
    KCTL_TRY_ASSIGN(
        std::string word,
        with_context(
            run.karmada_applier->apply(object, r),
            fmt::format("Karmada API server at {} (check --karmada-apiserver-advertise-address "
                        "and that port {} is reachable from here)",
                        run.karmada_server,
                        run.init.spec.node_port)));
    if (word != "unchanged") {
      ++changed;
    }
    if (object.value("kind", "") == "CustomResourceDefinition") {
      ++crds;
    } else {
      r.detail(fmt::format("{} {}", flow::describe(object), word));
    }
  }
  r.detail(fmt::format("{} CustomResourceDefinitions applied; {} objects changed", crds, changed));
  return {};
}

Status
register_aggregated_api(InitRun& run, StepReporter& r) {
  KCTL_TRY_ASSIGN(std::vector<Json> objects, run.objects_of("apiservice"));
  KCTL_TRY(run.karmada_applier->apply_all(objects, r));
  return run.karmada_wait->wait_all(objects, r);
}

// Starts a component: applies its objects and waits for its workload.
flow::Step
component_step(InitRun& run, const manifests::ComponentInfo& row) {
  std::string summary = row.summary;
  if (row.id == manifests::Component::etcd && run.init.spec.external_etcd_mode()) {
    summary = "Use the external etcd";
  }
  return flow::Step{row.step, std::move(summary), [&run, &row](StepReporter& r) -> Status {
                      KCTL_TRY_ASSIGN(std::vector<Json> objects, run.objects_of(row.step));
                      KCTL_TRY(run.host_applier->apply_all(objects, r));
                      return run.host_wait->wait_all(objects, r);
                    }};
}

} // namespace

InitRun::InitRun(ResolvedInit resolved, kube::Client host_client)
    : init(std::move(resolved)), host(std::move(host_client)),
      files(host.dry_run() ? flow::LocalFiles::Mode::dry_run : flow::LocalFiles::Mode::write) {
  // The Karmada API server is reached as the host is: recording writes, in a dry run.
  connect = [dry_run = host.dry_run()](const kube::RestConfig& rest) {
    return kube::Client::connect(rest, dry_run ? kube::DryRun::client : kube::DryRun::no);
  };
  host_applier = flow::Applier(host, plan);
  host_wait = host.dry_run() ? flow::Waiter::dry_run() : flow::Waiter(host, init.wait_timeout);
}

Result<std::vector<Json>>
InitRun::objects_of(std::string_view step) {
  std::call_once(m_objects_once, [this] {
    Result<std::vector<Json>> crd_list =
        crds ? crd_objects(*this) : Result<std::vector<Json>>(std::vector<Json>());
    if (!crd_list) {
      m_objects = std::unexpected(crd_list.error());
      return;
    }
    m_objects = init_objects(init.spec, ObjectInputs{pki, karmada_server, std::move(*crd_list)});
  });
  if (!m_objects) {
    return std::unexpected(m_objects.error());
  }
  for (const auto& entry : *m_objects) {
    if (entry.step == step) {
      return entry.objects;
    }
  }
  return failf("init has no object list for step {}", step);
}

std::vector<flow::Stage>
init_stages(InitRun& run) {
  using flow::Stage;
  using flow::Step;
  std::vector<Stage> stages = {
      Stage{{Step{"preflight",
                  "Check the host cluster",
                  [&run](StepReporter& r) { return preflight(run, r); }}}},
      Stage{{Step{"certs",
                  "Prepare the certificates",
                  [&run](StepReporter& r) -> Status {
                    KCTL_TRY_ASSIGN(run.pki,
                                    ensure_certificates(run.init, run.apiserver_ips, run.files, r));
                    return {};
                  }},
             Step{"crds",
                  "Prepare the CRDs",
                  [&run](StepReporter& r) { return prepare_crds(run, r); }}}},
      Stage{{Step{"kubeconfig",
                  "Write karmada-apiserver.config",
                  [&run](StepReporter& r) { return write_karmada_kubeconfig(run, r); }}}},
      Stage{{Step{"namespace",
                  "Create the namespace",
                  [&run](StepReporter& r) { return create_namespace(run, r); }}}},
      Stage{{Step{"secrets",
                  "Store certificates and kubeconfigs in Secrets",
                  [&run](StepReporter& r) -> Status {
                    KCTL_TRY_ASSIGN(std::vector<Json> objects, run.objects_of("secrets"));
                    return run.host_applier->apply_all(objects, r);
                  }}}},
  };
  // The components in waves, with the Karmada API steps where init_objects() puts them.
  int last_wave = 0;
  for (const auto& row : manifests::k_components) {
    last_wave = std::max(last_wave, row.wave);
  }
  for (int wave = 0; wave <= last_wave; ++wave) {
    Stage stage;
    if (wave == k_apiservice_wave) {
      stage.steps.push_back(
          Step{"apiservice",
               "Register the cluster API (v1alpha1.cluster.karmada.io)",
               [&run](StepReporter& r) { return register_aggregated_api(run, r); }});
    }
    for (const auto& row : manifests::k_components) {
      if (row.wave == wave) {
        stage.steps.push_back(component_step(run, row));
      }
    }
    if (wave == k_karmada_resources_wave) {
      stage.steps.push_back(
          Step{"karmada-resources",
               "Install CRDs, webhooks and bootstrap RBAC in Karmada",
               [&run](StepReporter& r) { return install_karmada_resources(run, r); }});
    }
    stages.push_back(std::move(stage));
  }
  return stages;
}

std::string
success_banner(const InitRun& run, const std::string& program) {
  std::string config =
      (std::filesystem::path(run.init.karmada_data) / "karmada-apiserver.config").string();
  return fmt::format(
      "\nKarmada is installed successfully.\n\n"
      "Kubeconfig of the Karmada API server: {config}\n"
      "Certificates: {pki}\n\n"
      "Register a cluster in Push mode (the control plane reaches the member):\n"
      "  {program} --kubeconfig {config} join CLUSTER_NAME --cluster-kubeconfig=<member "
      "kubeconfig>\n\n"
      "Register a cluster in Pull mode (an agent in the member reaches the control plane):\n"
      "  {program} token create --print-register-command --kubeconfig={config}\n"
      "  then run the printed `{program} register {endpoint} ...` against the member cluster.\n",
      fmt::arg("config", config),
      fmt::arg("pki", run.init.karmada_pki),
      fmt::arg("program", program),
      fmt::arg("endpoint", run.karmada_server.substr(8)));
}

} // namespace kctl::init
