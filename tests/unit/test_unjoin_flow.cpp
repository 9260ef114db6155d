// unjoin's flow against two in-memory API servers that a join (join's flow) filled: what it
// deletes, that a second run finds nothing to delete, that a dry run sends no delete, and that a
// failure at each step names the step and the steps already done.
#include "flow/steps.hpp"
#include "join/flow.hpp"
#include "kube/dry_run_transport.hpp"
#include "kube/fake_transport.hpp"
#include "memory_server.hpp"
#include "unjoin/flow.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <functional>
#include <memory>
#include <optional>

namespace {

using kctl::kube::Request;
using kctl::kube::Verb;
using kctl::test::Clusters;
using kctl::test::contains;
using kctl::test::FlowOutcome;
using kctl::test::k_cluster_path;
using kctl::test::k_credentials_path;
using kctl::test::run_flow;

const std::string k_member_namespace_path = "/api/v1/namespaces/karmada-cluster";

// Clusters that member1 was joined to.
void
joined(Clusters& clusters) {
  kctl::karmada::JoinSpec spec;
  spec.cluster_name = "member1";
  spec.api_endpoint = "https://10.0.0.2:6443";
  kctl::join::JoinRun run(
      spec, kctl::kube::Client(clusters.karmada), kctl::kube::Client(clusters.member));
  FlowOutcome outcome =
      run_flow([&run](kctl::flow::Progress& progress) { return kctl::join::run(run, progress); });
  REQUIRE_MESSAGE(outcome.status, (outcome.status ? "" : outcome.status.error().message));
}

FlowOutcome
unjoin(kctl::kube::Client karmada, std::optional<kctl::kube::Client> member) {
  kctl::unjoin::UnjoinRun run{"member1",
                              "karmada-cluster",
                              false,
                              std::chrono::seconds(5),
                              std::move(karmada),
                              std::move(member),
                              {}};
  return run_flow(
      [&run](kctl::flow::Progress& progress) { return kctl::unjoin::run(run, progress); });
}

FlowOutcome
unjoin(Clusters& clusters) {
  return unjoin(kctl::kube::Client(clusters.karmada), kctl::kube::Client(clusters.member));
}

std::size_t
deletes(const kctl::kube::FakeTransport& transport) {
  std::size_t count = 0;
  for (const auto& request : transport.requests()) {
    count += request.verb == Verb::remove ? 1U : 0U;
  }
  return count;
}

} // namespace

TEST_SUITE("unjoin::flow") {
  TEST_CASE("unjoin deletes the Cluster, the credentials and what join made in the member") {
    Clusters clusters;
    joined(clusters);
    FlowOutcome outcome = unjoin(clusters);
    REQUIRE_MESSAGE(outcome.status, (outcome.status ? "" : outcome.status.error().message));
    for (const char* line : {
             "[cluster] Cluster member1 deleted",
             "[cluster] Secret karmada-cluster/member1 deleted",
             "[cluster] Secret karmada-cluster/member1-impersonator deleted",
             "[member] ClusterRoleBinding karmada-controller-manager:karmada-member1 deleted",
             "[member] ClusterRole karmada-controller-manager:karmada-member1 deleted",
             "[member] ServiceAccount karmada-cluster/karmada-member1 deleted",
             "[member] Namespace karmada-cluster deleted",
         }) {
      CHECK_MESSAGE(contains(outcome.progress, line), line << " not in:\n" << outcome.progress);
    }
    CHECK_FALSE(clusters.karmada_server.has(k_cluster_path));
    CHECK_FALSE(clusters.karmada_server.has(k_credentials_path));
    CHECK_FALSE(clusters.member_server.has(k_member_namespace_path));
  }

  TEST_CASE("a second unjoin finds everything gone and succeeds") {
    Clusters clusters;
    joined(clusters);
    REQUIRE(unjoin(clusters).status);
    FlowOutcome again = unjoin(clusters);
    REQUIRE_MESSAGE(again.status, (again.status ? "" : again.status.error().message));
    CHECK(
        contains(again.progress, "[cluster] Cluster member1 is not registered (already unjoined)"));
    CHECK(contains(again.progress, "[member] Namespace karmada-cluster already gone"));
    CHECK_FALSE(contains(again.progress, " deleted\n"));
  }

  TEST_CASE("a dry unjoin sends no delete and says what it would delete") {
    Clusters clusters;
    joined(clusters);
    kctl::kube::Client karmada(std::make_shared<kctl::kube::DryRunTransport>(clusters.karmada));
    kctl::kube::Client member(std::make_shared<kctl::kube::DryRunTransport>(clusters.member));
    FlowOutcome dry = unjoin(karmada, member);
    REQUIRE_MESSAGE(dry.status, (dry.status ? "" : dry.status.error().message));
    CHECK(deletes(*clusters.karmada) == 0);
    CHECK(deletes(*clusters.member) == 0);
    CHECK(clusters.karmada_server.has(k_cluster_path));
    CHECK(clusters.member_server.has(k_member_namespace_path));
    CHECK(contains(dry.progress, "[cluster] Cluster member1 deleted (dry run)"));
    CHECK(contains(dry.progress, "[member] Namespace karmada-cluster deleted (dry run)"));
  }

  TEST_CASE("a failure at a step names it and the steps done; a re-run finishes the unjoin") {
    struct Case {
      const char* step;
      const char* done;
      bool on_member;
      const char* resource;
    };
    for (const Case& c : std::vector<Case>{
             {"cluster", "none", false, "clusters"},
             {"member", "cluster", true, "clusterroles"},
         }) {
      CAPTURE(c.step);
      Clusters clusters;
      joined(clusters);
      auto refuses = [&c](const Request& request) {
        return request.verb == Verb::remove && request.ref.resource == c.resource;
      };
      (c.on_member ? clusters.member_server : clusters.karmada_server).refuse = refuses;
      FlowOutcome failed = unjoin(clusters);
      REQUIRE_FALSE(failed.status);
      const std::string& message = failed.status.error().message;
      CHECK_MESSAGE(contains(message, fmt::format("step \"{}\" failed: ", c.step)), message);
      CHECK_MESSAGE(contains(message, "refused by the test"), message);
      CHECK_MESSAGE(contains(message, fmt::format("completed steps: {}\n", c.done)), message);
      CHECK_MESSAGE(contains(message, "to continue: run the same unjoin again"), message);

      (c.on_member ? clusters.member_server : clusters.karmada_server).refuse = [](const Request&) {
        return false;
      };
      FlowOutcome resumed = unjoin(clusters);
      REQUIRE_MESSAGE(resumed.status, (resumed.status ? "" : resumed.status.error().message));
      CHECK_FALSE(clusters.karmada_server.has(k_cluster_path));
      CHECK_FALSE(clusters.member_server.has(k_member_namespace_path));
    }
  }

  TEST_CASE("a Pull mode cluster is refused and left alone") {
    Clusters clusters;
    clusters.karmada_server.put(k_cluster_path,
                                {{"apiVersion", "cluster.karmada.io/v1alpha1"},
                                 {"kind", "Cluster"},
                                 {"metadata", {{"name", "member1"}}},
                                 {"spec", {{"id", "member-id"}, {"syncMode", "Pull"}}}});
    FlowOutcome refused = unjoin(kctl::kube::Client(clusters.karmada), std::nullopt);
    REQUIRE_FALSE(refused.status);
    CHECK(contains(refused.status.error().message, "use `unregister` to remove it"));
    CHECK(clusters.karmada_server.has(k_cluster_path));
    CHECK(deletes(*clusters.karmada) == 0);
  }
}
