// `init` as a list of steps over a host cluster: the flow, its shared state, and the choke points
// (applier, waiter, local files) that make --dry-run a different executor, not an if per step.
#pragma once

#include "flow/files.hpp"
#include "flow/steps.hpp"
#include "init/crds.hpp"
#include "init/objects.hpp"
#include "init/options.hpp"
#include "kube/client.hpp"

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace kctl::init {

// Where objects go: a cluster (idempotent apply), or, in a dry run against a cluster that does not
// exist yet, nowhere. Every object passes `record` so -o yaml can print the full plan.
class Applier {
public:
  virtual ~Applier() = default;
  // Makes the cluster hold `object`; returns a word for the progress line.
  virtual Result<std::string> ensure(const Json& object) = 0;
};

// Waits for an object to be ready, or (dry run) says it would.
using Waiter = std::function<Status(const Json& object, flow::StepReporter& reporter)>;

struct InitRun {
  ResolvedInit init;
  kube::Client host;
  flow::LocalFiles files;
  bool dry_run = false;
  // Every object the flow applied or would apply, in order (for --dry-run -o yaml).
  std::vector<Json> manifests;
  std::mutex manifests_mutex;

  // Filled in by the steps.
  std::vector<std::string> apiserver_ips;
  std::string etcd_node; // node to label karmada.io/etcd, when init picks one
  PkiFiles pki;
  std::optional<CrdBundle> crds;
  std::string karmada_server; // https://<first IP>:<port>
  std::unique_ptr<Applier> host_applier;
  std::unique_ptr<Applier> karmada_applier;
  Waiter host_wait;
  Waiter karmada_wait;

  InitRun(ResolvedInit resolved, kube::Client host_client, bool is_dry_run);
};

// The stages of `init`, in order.
std::vector<flow::Stage> init_stages(InitRun& run);

// Text printed after a successful init: where the files are and how to register clusters.
std::string success_banner(const InitRun& run, const std::string& program);

} // namespace kctl::init
