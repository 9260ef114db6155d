// unregister's stages against an in-memory member cluster and Karmada API server: what a full run
// deletes, that a second run and a dry run delete nothing, and that a failure at each step names
// the step and the steps already done.
#include "flow/steps.hpp"
#include "karmada/clusters.hpp"
#include "karmada/register_plan.hpp"
#include "memory_server.hpp"
#include "unregister/flow.hpp"
#include "util/encoding.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace {

using kctl::Json;
using kctl::kube::FakeTransport;
using kctl::kube::ResourceRef;
using kctl::kube::Verb;
using kctl::test::MemoryServer;
namespace karmada = kctl::karmada;
namespace unregister = kctl::unregister;

Json
named(const ResourceRef& ref) {
  return {{"metadata", {{"name", ref.name}, {"namespace", ref.namespace_name}}}};
}

// One API server: the MemoryServer, the transport that records what reached it, and failures
// injected by verb and path prefix.
struct Server {
  MemoryServer memory;
  std::shared_ptr<FakeTransport> transport = std::make_shared<FakeTransport>(memory.handler());

  void put(const ResourceRef& ref, Json object) { memory.put(ref.path(), std::move(object)); }
  bool has(const ResourceRef& ref) const { return memory.has(ref.path()); }
  void fail(Verb verb, std::string prefix) {
    memory.refuse = [verb, prefix](const kctl::kube::Request& request) {
      return request.verb == verb && request.path.starts_with(prefix);
    };
  }
  kctl::kube::Client client(bool dry_run) const {
    if (dry_run) {
      return kctl::kube::Client(std::make_shared<kctl::kube::DryRunTransport>(transport));
    }
    return kctl::kube::Client(transport);
  }
  // The requests that reached the server and change state, as "METHOD path".
  std::vector<std::string> writes() const {
    std::vector<std::string> out;
    for (const auto& request : transport->requests()) {
      if (kctl::kube::is_write(request.verb)) {
        out.push_back(std::string(kctl::kube::http_method(request.verb)) + " " + request.path);
      }
    }
    return out;
  }
};

const ResourceRef k_works{"work.karmada.io", "v1alpha1", "works", "karmada-es-member3", "", ""};

// A member cluster with the agent and what register made; a Karmada API server with the Pull
// Cluster, two Works and the agent's RBAC and Lease.
struct Registered {
  Server member;
  Server karmada;
  std::vector<ResourceRef> member_objects =
      karmada::member_refs("karmada-system", "member3", "karmada-cluster");
  std::vector<ResourceRef> karmada_objects =
      karmada::control_plane_rbac_refs("member3", "karmada-cluster");
  std::filesystem::path legacy = std::filesystem::temp_directory_path() /
                                 ("kctl-unregister-" + std::to_string(::getpid()) + ".conf");

  Registered() {
    karmada_objects.push_back(karmada::agent_lease_ref("karmada-system", "member3"));
    karmada_objects.push_back(karmada::cluster_ref("member3"));
    karmada_objects.push_back(k_works.with_name("w1"));
    karmada_objects.push_back(k_works.with_name("w2"));
    for (const auto& ref : member_objects) {
      member.put(ref, named(ref));
    }
    for (const auto& ref : karmada_objects) {
      karmada.put(ref, named(ref));
    }
    karmada.put(karmada::cluster_ref("member3"),
                {{"metadata", {{"name", "member3"}}}, {"spec", {{"syncMode", "Pull"}}}});
    std::ofstream(legacy) << "old agent kubeconfig";
  }
  ~Registered() { std::filesystem::remove(legacy); }

  // How many of the objects above each server still holds.
  std::size_t left_in_member() const { return count(member, member_objects); }
  std::size_t left_in_karmada() const { return count(karmada, karmada_objects); }

  unregister::UnregisterRun run(bool dry_run) const {
    unregister::UnregisterRun run{
        .spec = {},
        .member = member.client(dry_run),
        .karmada = karmada.client(dry_run),
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

private:
  static std::size_t count(const Server& server, const std::vector<ResourceRef>& refs) {
    std::size_t n = 0;
    for (const auto& ref : refs) {
      n += server.has(ref) ? 1U : 0U;
    }
    return n;
  }
};

// Runs the stages quietly; returns the flow's result.
kctl::Status
run_flow(unregister::UnregisterRun& run) {
  return kctl::test::run_flow([&run](kctl::flow::Progress& progress) {
           return kctl::flow::run(unregister::unregister_stages(run), progress, "run it again");
         })
      .status;
}

} // namespace

TEST_SUITE("unregister flow") {
  TEST_CASE("a full run deletes the Works, the Cluster, the agent's RBAC and Lease, the agent") {
    Registered c;
    auto run = c.run(false);
    REQUIRE(run_flow(run));
    CHECK(c.left_in_karmada() == 0);
    CHECK(c.left_in_member() == 0);
    CHECK_FALSE(std::filesystem::exists(c.legacy));
    auto writes = c.karmada.writes();
    REQUIRE(writes.size() == 10); // 2 Works, the Cluster, 6 RBAC objects, the Lease
    CHECK(writes.front().starts_with("DELETE /apis/work.karmada.io/v1alpha1/namespaces/"
                                     "karmada-es-member3/works/"));
    CHECK(writes[2] == "DELETE /apis/cluster.karmada.io/v1alpha1/clusters/member3");
    CHECK(writes.back().find("/leases/") != std::string::npos);
  }

  TEST_CASE("a second run deletes nothing and succeeds") {
    Registered c;
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
    Registered c;
    auto run = c.run(true);
    REQUIRE(run_flow(run));
    CHECK(c.karmada.writes().empty());
    CHECK(c.member.writes().empty());
    CHECK(c.left_in_karmada() == c.karmada_objects.size());
    CHECK(c.left_in_member() == c.member_objects.size());
    CHECK(std::filesystem::exists(c.legacy));
  }

  TEST_CASE("a cluster in Push mode is refused before anything is deleted") {
    Registered c;
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
    Registered c;
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
      return c.karmada.client(false);
    };
    REQUIRE(run_flow(run));
    CHECK(server_seen == "https://karmada:5443");
    CHECK(c.left_in_karmada() == 7); // the Cluster and Works are gone; the RBAC and Lease stay
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
      Registered c;
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
