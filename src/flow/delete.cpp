#include "flow/delete.hpp"

#include "kube/wait_for.hpp"

#include <fmt/format.h>

#include <map>

namespace kctl::flow {

std::string
describe(const kube::ResourceRef& ref) {
  static const std::map<std::string, std::string, std::less<>> kinds = {
      {"namespaces", "Namespace"},
      {"secrets", "Secret"},
      {"configmaps", "ConfigMap"},
      {"services", "Service"},
      {"serviceaccounts", "ServiceAccount"},
      {"persistentvolumeclaims", "PersistentVolumeClaim"},
      {"deployments", "Deployment"},
      {"statefulsets", "StatefulSet"},
      {"clusterroles", "ClusterRole"},
      {"clusterrolebindings", "ClusterRoleBinding"},
      {"roles", "Role"},
      {"rolebindings", "RoleBinding"},
      {"leases", "Lease"},
      {"certificatesigningrequests", "CertificateSigningRequest"},
      {"clusters", "Cluster"},
      {"works", "Work"},
  };
  auto kind = kinds.find(ref.resource);
  std::string what = kind == kinds.end() ? ref.resource : kind->second;
  std::string name = ref.namespace_name.empty() ? ref.name : ref.namespace_name + "/" + ref.name;
  return name.empty() ? what : what + " " + name;
}

Deleter::Deleter(kube::Client client) : m_client(std::move(client)) {}

Result<bool>
Deleter::remove(const kube::ResourceRef& ref, StepReporter& reporter) const {
  kube::DeleteOptions background;
  background.propagation_policy = "Background";
  KCTL_TRY_ASSIGN(kube::DeleteOutcome outcome, m_client.remove(ref, background));
  if (outcome == kube::DeleteOutcome::not_found) {
    return false;
  }
  reporter.detail(
      fmt::format("{} deleted{}", describe(ref), m_client.dry_run() ? " (dry run)" : ""));
  return true;
}

Status
Deleter::remove_all(const std::vector<kube::ResourceRef>& refs, StepReporter& reporter) const {
  for (const auto& ref : refs) {
    auto removed = remove(ref, reporter);
    if (!removed) {
      return std::unexpected(removed.error());
    }
  }
  return {};
}

Result<bool>
Deleter::wait_gone(const kube::ResourceRef& ref,
                   std::chrono::nanoseconds timeout,
                   StepReporter& reporter) const {
  if (m_client.dry_run()) {
    return true;
  }
  reporter.status(fmt::format("waiting for {} to be deleted", describe(ref)));
  return kube::wait_deleted(m_client, ref, timeout);
}

} // namespace kctl::flow
