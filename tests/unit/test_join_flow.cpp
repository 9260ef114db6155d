// join's flow against two in-memory API servers (a member and Karmada) behind FakeTransport: what
// a first run creates, that a second run writes nothing, that a dry run sends no write, and that a
// failure at each step names the step and the steps already done.
#include "flow/steps.hpp"
#include "join/flow.hpp"
#include "kube/dry_run_transport.hpp"
#include "kube/fake_transport.hpp"
#include "memory_server.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

namespace {

using kctl::Json;
using kctl::kube::FakeTransport;
using kctl::kube::Request;
using kctl::kube::Verb;
using kctl::test::Clusters;
using kctl::test::contains;
using kctl::test::FlowOutcome;
using kctl::test::run_flow;
using kctl::test::writes;

using kctl::test::k_cluster_path;
using kctl::test::k_credentials_path;

kctl::karmada::JoinSpec
spec() {
  kctl::karmada::JoinSpec s;
  s.cluster_name = "member1";
  s.api_endpoint = "https://10.0.0.2:6443";
  return s;
}

FlowOutcome
join(kctl::kube::Client karmada, kctl::kube::Client member) {
  kctl::join::JoinRun run(spec(), std::move(karmada), std::move(member));
  return run_flow(
      [&run](kctl::flow::Progress& progress) { return kctl::join::run(run, progress); });
}

FlowOutcome
join(Clusters& clusters) {
  return join(kctl::kube::Client(clusters.karmada), kctl::kube::Client(clusters.member));
}

} // namespace

TEST_SUITE("join::flow") {
  TEST_CASE("a first join creates every object on both sides and owns the credentials") {
    Clusters clusters;
    FlowOutcome first = join(clusters);
    REQUIRE_MESSAGE(first.status, (first.status ? "" : first.status.error().message));
    for (const char* line : {
             "[member] Namespace karmada-cluster created",
             "[member] ServiceAccount karmada-cluster/karmada-impersonator created",
             "[member] Secret karmada-cluster/karmada-member1 created",
             "[member] ClusterRoleBinding karmada-controller-manager:karmada-member1 created",
             "[secrets] Secret karmada-cluster/member1 created",
             "[secrets] Secret karmada-cluster/member1-impersonator created",
             "[cluster] Cluster member1 created",
             "[cluster] Secret karmada-cluster/member1 owned by Cluster member1",
         }) {
      CHECK_MESSAGE(contains(first.progress, line), line << " not in:\n" << first.progress);
    }
    CHECK(clusters.karmada_server.has(k_cluster_path));
    CHECK(clusters.karmada_server.has(k_credentials_path));
    CHECK(clusters.member_server.has("/apis/rbac.authorization.k8s.io/v1/clusterroles/"
                                     "karmada-controller-manager%3Akarmada-member1"));
  }

  TEST_CASE("a second join writes nothing and says every object is unchanged") {
    Clusters clusters;
    REQUIRE(join(clusters).status);
    std::size_t member_writes = writes(*clusters.member);
    std::size_t karmada_writes = writes(*clusters.karmada);
    FlowOutcome again = join(clusters);
    REQUIRE_MESSAGE(again.status, (again.status ? "" : again.status.error().message));
    CHECK(writes(*clusters.member) == member_writes);
    CHECK(writes(*clusters.karmada) == karmada_writes);
    CHECK(contains(again.progress, "already joined as this name"));
    CHECK(contains(again.progress, "[cluster] Cluster member1 unchanged"));
    CHECK(contains(again.progress, "[member] Namespace karmada-cluster unchanged"));
    CHECK_FALSE(contains(again.progress, " created\n"));
    CHECK_FALSE(contains(again.progress, " configured\n"));
    CHECK_FALSE(contains(again.progress, "owned by"));
  }

  TEST_CASE("a dry join sends no write to either cluster and plans every object") {
    Clusters clusters;
    kctl::kube::Client karmada(std::make_shared<kctl::kube::DryRunTransport>(clusters.karmada));
    kctl::kube::Client member(std::make_shared<kctl::kube::DryRunTransport>(clusters.member));
    FlowOutcome dry = join(karmada, member);
    REQUIRE_MESSAGE(dry.status, (dry.status ? "" : dry.status.error().message));
    CHECK(writes(*clusters.member) == 0);
    CHECK(writes(*clusters.karmada) == 0);
    CHECK_FALSE(clusters.karmada_server.has(k_cluster_path));
    CHECK(contains(dry.progress, "[member] Namespace karmada-cluster created (dry run)"));
    CHECK(contains(dry.progress, "[cluster] Cluster member1 created (dry run)"));
    CHECK(contains(dry.progress,
                   "[cluster] Secret karmada-cluster/member1 owned by Cluster member1 (dry run)"));
  }

  TEST_CASE("a failure at a step names it and the steps done; a re-run finishes the join") {
    struct Case {
      const char* step;
      const char* done;
      std::function<bool(const Request&)> member_refuses;
      std::function<bool(const Request&)> karmada_refuses;
    };
    auto never = [](const Request&) { return false; };
    auto writes_of = [](const char* resource) {
      return [resource](const Request& request) {
        return kctl::kube::is_write(request.verb) && request.ref.resource == resource;
      };
    };
    for (const Case& c : std::vector<Case>{
             {"member", "none", writes_of("clusterroles"), never},
             {"secrets", "member", never, writes_of("secrets")},
             {"cluster", "member, secrets", never, writes_of("clusters")},
         }) {
      CAPTURE(c.step);
      Clusters clusters;
      clusters.member_server.refuse = c.member_refuses;
      clusters.karmada_server.refuse = c.karmada_refuses;
      FlowOutcome failed = join(clusters);
      REQUIRE_FALSE(failed.status);
      const std::string& message = failed.status.error().message;
      CHECK_MESSAGE(contains(message, fmt::format("step \"{}\" failed: ", c.step)), message);
      CHECK_MESSAGE(contains(message, "refused by the test"), message);
      CHECK_MESSAGE(contains(message, fmt::format("completed steps: {}\n", c.done)), message);
      CHECK_MESSAGE(contains(message, "to continue: run the same join again"), message);
      CHECK_FALSE(clusters.karmada_server.has(k_cluster_path));

      clusters.member_server.refuse = never;
      clusters.karmada_server.refuse = never;
      FlowOutcome resumed = join(clusters);
      REQUIRE_MESSAGE(resumed.status, (resumed.status ? "" : resumed.status.error().message));
      CHECK(clusters.karmada_server.has(k_cluster_path));
    }
  }

  TEST_CASE("the checks refuse a member registered under another name before any write") {
    Clusters clusters;
    clusters.karmada_server.put("/apis/cluster.karmada.io/v1alpha1/clusters/first-name",
                                {{"apiVersion", "cluster.karmada.io/v1alpha1"},
                                 {"kind", "Cluster"},
                                 {"metadata", {{"name", "first-name"}}},
                                 {"spec", {{"id", "member-id"}, {"syncMode", "Push"}}}});
    FlowOutcome refused = join(clusters);
    REQUIRE_FALSE(refused.status);
    CHECK_MESSAGE(contains(refused.status.error().message,
                           "already registered as first-name; unregister first-name first"),
                  refused.status.error().message);
    CHECK(contains(refused.status.error().message, "nothing was changed"));
    CHECK(contains(refused.progress, "[preflight] Check the cluster name and ID are free: FAILED"));
    CHECK(writes(*clusters.member) == 0);
    CHECK(writes(*clusters.karmada) == 0);
  }

  TEST_CASE("a check that cannot read Karmada fails as the preflight, before any write") {
    Clusters clusters;
    clusters.karmada_server.refuse = [](const Request& request) {
      return request.verb == Verb::list;
    };
    FlowOutcome failed = join(clusters);
    REQUIRE_FALSE(failed.status);
    CHECK(contains(failed.status.error().message, "refused by the test"));
    CHECK(contains(failed.progress, "[preflight] Check the cluster name and ID are free: FAILED"));
    CHECK(writes(*clusters.member) == 0);
    CHECK(writes(*clusters.karmada) == 0);
  }
}
