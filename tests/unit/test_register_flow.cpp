// register's stages against an in-memory member cluster and Karmada API server, with discovery,
// the CSRs and the agent played by the test: what a full run writes, that a second run writes
// nothing new and keeps the agent's certificate, that a dry run sends no write, and that a
// failure at each step names the step and the steps already done.
#include "flow/steps.hpp"
#include "karmada/clusters.hpp"
#include "memory_server.hpp"
#include "register/flow.hpp"
#include "test_ca.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

using kctl::Json;
using kctl::Result;
using kctl::Status;
using kctl::kube::Client;
using kctl::kube::Verb;
namespace karmada = kctl::karmada;
namespace registration = kctl::registration;
namespace test = kctl::test;

const std::string k_agent_secret_path =
    "/api/v1/namespaces/karmada-system/secrets/karmada-kubeconfig";
const std::string k_agent_path =
    "/apis/apps/v1/namespaces/karmada-system/deployments/karmada-agent";

// The two clusters, a CA for the control plane, and the parts of Karmada the flow reaches through
// its seams: discovery, the CSR signer and approver, and the agent, which creates its Cluster
// (Pull, Ready) once its Deployment is waited for.
struct Registration {
  test::Clusters clusters;
  test::TestCa ca;
  std::vector<std::string> certificates_issued; // common names
  std::string fail_in;                          // a seam that fails: "discovery", "agent"
  bool agent_reports_cluster = true;

  karmada::RegisterSpec spec() const {
    karmada::RegisterSpec s;
    s.cluster_name = "member1";
    s.agent_image = "docker.io/karmada/karmada-agent:v1.18.2";
    s.member_api_endpoint = "https://member1:6443";
    return s;
  }

  registration::RegisterSettings settings() const {
    registration::RegisterSettings s;
    s.endpoint = "karmada:32443";
    s.token = {"abcdef", "0123456789abcdef"};
    s.trust.ca_cert_hashes = {"sha256:0000"};
    return s;
  }

  Client member_client(bool dry_run) const {
    if (dry_run) {
      return Client(std::make_shared<kctl::kube::DryRunTransport>(clusters.member));
    }
    return Client(clusters.member);
  }

  Result<karmada::ClusterInfo> discover() const {
    if (fail_in == "discovery") {
      return kctl::failf("cluster-info is not signed for token id abcdef");
    }
    karmada::ClusterInfo info;
    info.server = "https://karmada:32443";
    info.ca_pem = ca.pem();
    info.token_ca_pem = ca.pem();
    info.signed_for_token_id = "abcdef";
    return info;
  }

  Status play_agent() {
    if (fail_in == "agent") {
      return kctl::failf("Deployment karmada-system/karmada-agent: 0/1 replicas available");
    }
    if (agent_reports_cluster) {
      clusters.karmada_server.put(
          test::k_cluster_path,
          {{"apiVersion", "cluster.karmada.io/v1alpha1"},
           {"kind", "Cluster"},
           {"metadata", {{"name", "member1"}}},
           {"spec", {{"id", "member-id"}, {"syncMode", "Pull"}}},
           {"status", {{"conditions", {{{"type", "Ready"}, {"status", "True"}}}}}}});
    }
    return {};
  }

  void wire(registration::RegisterRun& run) {
    run.member_server = "https://member1:6443";
    run.seams.discover = [this](const karmada::DiscoveryRequest&, const registration::StatusLine&) {
      return discover();
    };
    run.seams.connect = [this](const kctl::kube::RestConfig&) -> Result<Client> {
      return Client(clusters.karmada);
    };
    run.seams.request_certificate = [this](const Client&,
                                           const karmada::CertificateRequestSpec& csr,
                                           const registration::StatusLine&) {
      certificates_issued.push_back(csr.common_name);
      return Result<karmada::IssuedCertificate>(ca.issue(csr.common_name));
    };
    run.seams.wait_cluster =
        [](const Client& karmada_client,
           const std::string& name,
           std::chrono::nanoseconds,
           const registration::StatusLine&) -> Result<std::variant<Json, kctl::kube::WaitTimeout>> {
      KCTL_TRY_ASSIGN(std::optional<Json> seen, karmada_client.get(karmada::cluster_ref(name)));
      using Outcome = std::variant<Json, kctl::kube::WaitTimeout>;
      if (auto pending = karmada::cluster_pending_reason(seen); pending) {
        return Outcome(std::in_place_index<1>, kctl::kube::WaitTimeout{*pending, seen});
      }
      return Outcome(std::in_place_index<0>, *seen);
    };
    run.agent_waiter =
        kctl::flow::Waiter([this](const Json&, kctl::flow::StepReporter&) { return play_agent(); });
  }

  // Runs register's stages once, as the command does.
  test::FlowOutcome run(bool dry_run = false) {
    registration::RegisterRun run(spec(), settings(), member_client(dry_run));
    wire(run);
    return test::run_flow([&run](kctl::flow::Progress& progress) {
      return kctl::flow::run(registration::register_stages(run), progress, "run it again");
    });
  }
};

std::size_t
count(const std::string& text, std::string_view part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
    ++n;
  }
  return n;
}

} // namespace

TEST_SUITE("register flow") {
  TEST_CASE("a full run gives the agent its RBAC, a certificate and its objects") {
    Registration r;
    auto outcome = r.run();
    INFO(outcome.progress);
    REQUIRE(outcome.status);
    CHECK(r.certificates_issued == std::vector<std::string>{"system:karmada:agent:rbac-generator",
                                                            "system:karmada:agent:member1"});
    CHECK(r.clusters.karmada_server.has(
        kctl::kube::rbac("clusterroles").with_name("system:karmada:member1:agent").path()));
    CHECK(r.clusters.karmada_server.has("/api/v1/namespaces/karmada-es-member1"));
    CHECK(r.clusters.member_server.has(k_agent_secret_path));
    CHECK(r.clusters.member_server.has(k_agent_path));
    CHECK(test::contains(outcome.progress, "ClusterRole system:karmada:member1:agent created"));
    CHECK(test::contains(outcome.progress, "Deployment karmada-system/karmada-agent created"));
    CHECK(test::contains(outcome.progress, "certificate issued for system:karmada:agent:member1"));
    CHECK(test::contains(outcome.progress, "Cluster member1 is Ready (syncMode Pull)"));
  }

  TEST_CASE("a second run writes nothing new and keeps the agent's certificate") {
    Registration r;
    REQUIRE(r.run().status);
    auto member_writes = test::writes(*r.clusters.member);
    auto karmada_writes = test::writes(*r.clusters.karmada);
    auto second = r.run();
    INFO(second.progress);
    REQUIRE(second.status);
    CHECK(test::writes(*r.clusters.member) == member_writes);
    // Only the rbac-generator's CSR is removed again (each run is the rbac-generator anew).
    CHECK(test::writes(*r.clusters.karmada) - karmada_writes == 1);
    CHECK(r.certificates_issued.size() == 3);
    CHECK(test::contains(second.progress,
                         "the agent's certificate from an earlier run is still valid: kept"));
    CHECK(test::contains(second.progress, "is this member's, from an earlier run: converging"));
    CHECK(test::contains(second.progress, "exists from an earlier run: converging"));
    CHECK_FALSE(test::contains(second.progress, " created"));
    CHECK_FALSE(test::contains(second.progress, " configured"));
    std::size_t objects = karmada::control_plane_objects(r.spec()).size() +
                          karmada::member_objects(r.spec(), "").size();
    CHECK(count(second.progress, " unchanged") == objects);
  }

  TEST_CASE("a dry run sends no write and shows the plan") {
    Registration r;
    auto outcome = r.run(true);
    INFO(outcome.progress);
    REQUIRE(outcome.status);
    CHECK(test::writes(*r.clusters.member) == 0);
    CHECK(test::writes(*r.clusters.karmada) == 0);
    CHECK(r.certificates_issued.empty());
    CHECK(test::contains(outcome.progress,
                         "Deployment karmada-system/karmada-agent created (dry run)"));
    CHECK(test::contains(outcome.progress,
                         "control plane: would apply ClusterRole system:karmada:member1:agent"));
    CHECK_FALSE(r.clusters.member_server.has(k_agent_path));
  }

  TEST_CASE("a member that runs an agent for another cluster is refused before any write") {
    Registration r;
    r.clusters.member_server.put(
        k_agent_path,
        {{"metadata", {{"name", "karmada-agent"}, {"namespace", "karmada-system"}}},
         {"spec",
          {{"template",
            {{"spec",
              {{"containers",
                {{{"name", "karmada-agent"}, {"command", {"--cluster-name=member9"}}}}}}}}}}}});
    auto outcome = r.run();
    REQUIRE_FALSE(outcome.status);
    CHECK(test::contains(outcome.status.error().message, "karmadactl unregister member9"));
    CHECK(test::writes(*r.clusters.member) == 0);
    CHECK(test::writes(*r.clusters.karmada) == 0);
  }

  TEST_CASE("a failure at each step names it and the steps already done") {
    struct Case {
      const char* step;
      const char* done;
      std::function<void(Registration&)> inject;
    };
    auto refuse = [](kctl::test::MemoryServer& server, Verb verb, std::string prefix) {
      server.refuse = [verb, prefix](const kctl::kube::Request& request) {
        return request.verb == verb && request.path.starts_with(prefix);
      };
    };
    const std::vector<Case> cases = {
        {"preflight",
         "none",
         [&](Registration& r) { refuse(r.clusters.member_server, Verb::get, "/apis/apps/v1/"); }},
        {"discovery", "preflight", [](Registration& r) { r.fail_in = "discovery"; }},
        {"control-plane",
         "preflight, discovery",
         [&](Registration& r) { refuse(r.clusters.karmada_server, Verb::apply, "/apis/rbac"); }},
        {"credential",
         "preflight, discovery, control-plane",
         [&](Registration& r) {
           refuse(r.clusters.member_server, Verb::get, k_agent_secret_path);
         }},
        {"member",
         "preflight, discovery, control-plane, credential",
         [&](Registration& r) { refuse(r.clusters.member_server, Verb::apply, "/apis/apps/v1/"); }},
        {"agent",
         "preflight, discovery, control-plane, credential, member",
         [](Registration& r) { r.fail_in = "agent"; }},
        {"cluster",
         "preflight, discovery, control-plane, credential, member, agent",
         [](Registration& r) { r.agent_reports_cluster = false; }},
    };
    for (const Case& k : cases) {
      CAPTURE(k.step);
      Registration r;
      k.inject(r);
      auto outcome = r.run();
      REQUIRE_FALSE(outcome.status);
      const std::string& message = outcome.status.error().message;
      INFO(message);
      CHECK(test::contains(message, std::string("step \"") + k.step + "\" failed"));
      CHECK(test::contains(message, std::string("completed steps: ") + k.done + "\n"));
    }
  }
}
