// `init` as a list of steps over a host cluster: the flow and its shared state. The choke points
// (flow::Applier, flow::Waiter, flow::LocalFiles) make --dry-run a different executor, not an if
// per step; the steps apply exactly the lists of init_objects().
#pragma once

#include "flow/apply.hpp"
#include "flow/files.hpp"
#include "flow/steps.hpp"
#include "flow/wait.hpp"
#include "init/crds.hpp"
#include "init/objects.hpp"
#include "init/options.hpp"
#include "kube/client.hpp"

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kctl::init {

struct InitRun {
  ResolvedInit init;
  kube::Client host;
  flow::LocalFiles files; // dry-run mode when `host` is a dry-run client
  // Every object the flow applied or would apply, by step (for --dry-run -o yaml).
  flow::Record plan;
  // How the flow reaches the Karmada API server once it has its address and certificates
  // (kube::Client::connect, dry-run when `host` is; tests substitute a fake).
  std::function<Result<kube::Client>(const kube::RestConfig&)> connect;

  // Filled in by the steps.
  std::vector<std::string> apiserver_ips;
  std::string etcd_node; // node to label karmada.io/etcd, when init picks one
  PkiFiles pki;
  std::optional<CrdBundle> crds;
  std::string karmada_server; // https://<first IP>:<port>
  std::optional<flow::Applier> host_applier;
  std::optional<flow::Applier> karmada_applier; // set by the kubeconfig step
  std::optional<flow::Waiter> host_wait;
  std::optional<flow::Waiter> karmada_wait; // set by the kubeconfig step
  // A dry run only: why the Karmada API server could not be read (not installed yet), when its
  // objects were planned as new without reading it; empty when it was read.
  std::string karmada_unread;

  // A dry run when `host_client` is a dry-run client (its transport records the writes).
  InitRun(ResolvedInit resolved, kube::Client host_client);

  // The objects `step` applies (init_objects(), built once the certificates, CRDs and server
  // address are known, i.e. from the namespace step on).
  Result<std::vector<Json>> objects_of(std::string_view step);

private:
  std::once_flag m_objects_once;
  Result<std::vector<StepObjects>> m_objects = std::vector<StepObjects>();
};

// The stages of `init`, in order.
std::vector<flow::Stage> init_stages(InitRun& run);

// Text printed after a successful init: where the files are and how to register clusters.
std::string success_banner(const InitRun& run, const std::string& program);

} // namespace kctl::init
