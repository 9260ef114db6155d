// unregister's stages against an in-memory member cluster and Karmada API server: what a full run
// deletes, that a second run and a dry run delete nothing, and that a failure at each step names
// the step and the steps already done.
#include "fake_store.hpp"
#include "flow/steps.hpp"
#include "karmada/clusters.hpp"
#include "karmada/register_plan.hpp"
#include "unregister/flow.hpp"
#include "util/encoding.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace {

using kctl::Json;
using kctl::kube::ResourceRef;
using kctl::kube::Verb;
using kctl::testing::FakeStore;
namespace karmada = kctl::karmada;
namespace unregister = kctl::unregister;

Json
named(const ResourceRef& ref) {
  return {{"metadata", {{"name", ref.name}, {"namespace", ref.namespace_name}}}};
}

// A member cluster with the agent and what register made; a Karmada API server with the Pull
// Cluster, two Works and the agent's RBAC and Lease.
struct Clusters {
  FakeStore member;
  FakeStore karmada;
  std::filesystem::path legacy = std::filesystem::temp_directory_path() /
                                 ("kctl-unregister-" + std::to_string(::getpid()) + ".conf");

  Clusters() {
    for (const auto& ref : karmada::member_refs("karmada-system", "member3", "karmada-cluster")) {
      member.put(ref, named(ref));
    }
    for (const auto& ref : karmada::control_plane_rbac_refs("member3", "karmada-cluster")) {
      karmada.put(ref, named(ref));
    }
    auto lease = karmada::agent_lease_ref("karmada-system", "member3");
    karmada.put(lease, named(lease));
    karmada.put(karmada::cluster_ref("member3"),
                {{"metadata", {{"name", "member3"}}}, {"spec", {{"syncMode", "Pull"}}}});
    ResourceRef works{"work.karmada.io", "v1alpha1", "works", "karmada-es-member3", "", ""};
    for (const char* name : {"w1", "w2"}) {
      karmada.put(works.with_name(name), named(works.with_name(name)));
    }
    std::ofstream(legacy) << "old agent kubeconfig";
  }
  ~Clusters() { std::filesystem::remove(legacy); }

  unregister::UnregisterRun run(bool dry_run) const {
    unregister::UnregisterRun run{
        .spec = {},
        .member = dry_run ? member.dry_run_client() : member.client(),
        .karmada = dry_run ? karmada.dry_run_client() : karmada.client(),
        .karmada_given = true,
        .files = kctl::flow::LocalFiles(dry_run ? kctl::flow::LocalFiles::Mode::dry_run
                                                : kctl::flow::LocalFiles::Mode::write),
        .connect = {},
        .cluster_exists = false,
    };
    run.spec.cluster_name = "member3";
    run.spec.program = "karmadactl";
    run.spec.legacy_files = {legacy.string()};
    return run;
  }
};

// Runs the stages quietly; returns the flow's result.
kctl::Status
run_flow(unregister::UnregisterRun& run) {
  std::FILE* sink = std::tmpfile();
  kctl::Status status;
  {
    kctl::flow::Progress progress(sink, kctl::flow::Live::no);
    status = kctl::flow::run(unregister::unregister_stages(run), progress, "run it again");
  }
  std::fclose(sink);
  return status;
}

} // namespace

TEST_SUITE("unregister flow") {
  TEST_CASE("a full run deletes the Works, the Cluster, the agent's RBAC and Lease, the agent") {
    Clusters c;
    auto run = c.run(false);
    REQUIRE(run_flow(run));
    CHECK(c.karmada.size() == 0);
    CHECK(c.member.size() == 0);
    CHECK_FALSE(std::filesystem::exists(c.legacy));
    auto writes = c.karmada.writes();
    REQUIRE(writes.size() == 10); // 2 Works, the Cluster, 6 RBAC objects, the Lease
    CHECK(writes.front().starts_with("DELETE /apis/work.karmada.io/v1alpha1/namespaces/"
                                     "karmada-es-member3/works/"));
    CHECK(writes[2] == "DELETE /apis/cluster.karmada.io/v1alpha1/clusters/member3");
    CHECK(writes.back().find("/leases/") != std::string::npos);
  }

  TEST_CASE("a second run deletes nothing and succeeds") {
    Clusters c;
    auto first = c.run(false);
    REQUIRE(run_flow(first));
    auto karmada_writes = c.karmada.writes().size();
    auto member_writes = c.member.writes().size();
    auto second = c.run(false);
    REQUIRE(run_flow(second));
    CHECK_FALSE(second.cluster_exists);
    // The deletes are sent again (each answered 404, which is success), nothing else.
    for (const auto& write : c.karmada.writes()) {
      CHECK(write.starts_with("DELETE "));
    }
    CHECK(c.karmada.writes().size() - karmada_writes == 7); // RBAC and Lease; no Works, no Cluster
    CHECK(c.member.writes().size() - member_writes == member_writes);
  }

  TEST_CASE("a dry run sends no write and removes no file") {
    Clusters c;
    auto before_karmada = c.karmada.size();
    auto before_member = c.member.size();
    auto run = c.run(true);
    REQUIRE(run_flow(run));
    CHECK(c.karmada.writes().empty());
    CHECK(c.member.writes().empty());
    CHECK(c.karmada.size() == before_karmada);
    CHECK(c.member.size() == before_member);
    CHECK(std::filesystem::exists(c.legacy));
  }

  TEST_CASE("a cluster in Push mode is refused before anything is deleted") {
    Clusters c;
    c.karmada.put(karmada::cluster_ref("member3"),
                  {{"metadata", {{"name", "member3"}}}, {"spec", {{"syncMode", "Push"}}}});
    auto run = c.run(false);
    auto status = run_flow(run);
    REQUIRE_FALSE(status);
    CHECK(status.error().message.find("karmadactl unjoin member3") != std::string::npos);
    CHECK(c.karmada.writes().empty());
    CHECK(c.member.writes().empty());
  }

  TEST_CASE("without --karmada-config the agent's kubeconfig is used and the RBAC is left") {
    Clusters c;
    auto run = c.run(false);
    run.karmada.reset();
    run.karmada_given = false;
    // An agent Deployment that mounts its kubeconfig from a Secret.
    auto deployment =
        kctl::kube::apps("deployments").in("karmada-system").with_name("karmada-agent");
    c.member.put(
        deployment,
        {{"metadata", {{"name", "karmada-agent"}, {"namespace", "karmada-system"}}},
         {"spec",
          {{"template",
            {{"spec",
              {{"containers",
                {{{"name", "agent"},
                  {"command", {"--karmada-kubeconfig=/etc/kubeconfig/karmada-kubeconfig"}},
                  {"volumeMounts", {{{"name", "kubeconfig"}, {"mountPath", "/etc/kubeconfig"}}}}}}},
               {"volumes",
                {{{"name", "kubeconfig"},
                  {"secret", {{"secretName", "karmada-kubeconfig"}}}}}}}}}}}}});
    std::string kubeconfig = "apiVersion: v1\nkind: Config\ncurrent-context: k\n"
                             "clusters: [{name: k, cluster: {server: 'https://karmada:5443'}}]\n"
                             "users: [{name: a, user: {token: abc}}]\n"
                             "contexts: [{name: k, context: {cluster: k, user: a}}]\n";
    c.member.put(kctl::kube::core("secrets").in("karmada-system").with_name("karmada-kubeconfig"),
                 {{"metadata", {{"name", "karmada-kubeconfig"}}},
                  {"data", {{"karmada-kubeconfig", kctl::encoding::base64_encode(kubeconfig)}}}});
    std::string server_seen;
    run.connect = [&](const kctl::kube::RestConfig& rest) -> kctl::Result<kctl::kube::Client> {
      server_seen = rest.server;
      return c.karmada.client();
    };
    REQUIRE(run_flow(run));
    CHECK(server_seen == "https://karmada:5443");
    CHECK(c.karmada.size() == 7); // the Cluster and Works are gone; the RBAC and Lease stay
  }

  TEST_CASE("a failure at each step names it and the steps already done") {
    struct Case {
      const char* step;
      bool on_member;
      Verb verb;
      const char* path;
      const char* done;
    };
    for (const Case& k : {
             Case{"preflight", true, Verb::get, "/apis/apps/v1/", "none"},
             Case{"works", false, Verb::list, "/apis/work.karmada.io/", "preflight"},
             Case{"cluster", false, Verb::remove, "/apis/cluster.karmada.io/", "preflight, works"},
             Case{"control-plane", false, Verb::remove, "/apis/rbac", "preflight, works, cluster"},
             Case{"member",
                  true,
                  Verb::remove,
                  "/apis/apps/v1/",
                  "preflight, works, cluster, control-plane"},
         }) {
      CAPTURE(k.step);
      Clusters c;
      (k.on_member ? c.member : c.karmada).fail(k.verb, k.path);
      auto run = c.run(false);
      auto status = run_flow(run);
      REQUIRE_FALSE(status);
      CHECK(status.error().message.find(std::string("step \"") + k.step + "\" failed") !=
            std::string::npos);
      CHECK(status.error().message.find(std::string("completed steps: ") + k.done + "\n") !=
            std::string::npos);
    }
  }
}
