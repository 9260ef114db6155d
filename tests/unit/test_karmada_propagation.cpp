// Policies made by apply --all-clusters / -C: names equal upstream's, objects as upstream builds
// them.
#include "karmada/propagation.hpp"

#include <doctest/doctest.h>

using namespace kctl;
using namespace kctl::karmada;

TEST_SUITE("karmada.propagation") {

  TEST_CASE("policy names equal those upstream karmadactl v1.18.2 generated for the same objects") {
    // Observed with the upstream binary: apply --all-clusters --dry-run=client -o name.
    CHECK(policy_name({"v1", "ConfigMap", "default", "demo-cm"}) == "demo-cm-75f5f4f477");
    CHECK(policy_name({"apps/v1", "Deployment", "default", "nginx"}) == "nginx-6d7f8d5f5b");
    CHECK(policy_name({"rbac.authorization.k8s.io/v1", "ClusterRole", "", "demo:role"}) ==
          "demo.role-54499c54c");
  }

  TEST_CASE("a namespaced object gets a PropagationPolicy in its namespace") {
    Json policy =
        propagation_policy_for({"apps/v1", "Deployment", "web", "nginx"}, {"member1", "member2"});
    CHECK(policy["kind"] == "PropagationPolicy");
    CHECK(policy["metadata"]["namespace"] == "web");
    CHECK(policy["spec"]["resourceSelectors"] ==
          Json::parse(R"([{"apiVersion":"apps/v1","kind":"Deployment","name":"nginx",
                           "namespace":"web"}])"));
    CHECK(policy["spec"]["placement"]["clusterAffinity"]["clusterNames"] ==
          Json::parse(R"(["member1","member2"])"));
  }

  TEST_CASE("a cluster-scoped object gets a ClusterPropagationPolicy; no clusters means all") {
    Json policy =
        propagation_policy_for({"rbac.authorization.k8s.io/v1", "ClusterRole", "", "viewer"}, {});
    CHECK(policy["kind"] == "ClusterPropagationPolicy");
    CHECK_FALSE(policy["metadata"].contains("namespace"));
    CHECK_FALSE(policy["spec"]["resourceSelectors"][0].contains("namespace"));
    CHECK(policy["spec"]["placement"]["clusterAffinity"] == Json::object());
  }
}
