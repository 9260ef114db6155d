// The register plan: objects on both sides (kind, namespace, name as upstream), the agent
// Deployment, the CSRs, and getting a certificate through a scripted API server.
#include "karmada/agent_csr.hpp"
#include "karmada/clusters.hpp"
#include "karmada/register_plan.hpp"
#include "kube/api_error.hpp"
#include "kube/fake_transport.hpp"
#include "pki/kubeconfig_writer.hpp"
#include "test_ca.hpp"
#include "util/encoding.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace kctl;
using namespace kctl::karmada;

namespace {

RegisterSpec
spec() {
  RegisterSpec s;
  s.cluster_name = "member3";
  s.agent_image = "docker.io/karmada/karmada-agent:v1.18.2";
  s.member_api_endpoint = "https://10.200.0.4:6443";
  s.cluster_zones = {"a", "b"};
  return s;
}

std::vector<std::string>
command_of(const Json& deployment) {
  return deployment["spec"]["template"]["spec"]["containers"][0]["command"]
      .get<std::vector<std::string>>();
}

bool
has(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

} // namespace

TEST_SUITE("karmada.register_plan") {

  TEST_CASE("control-plane objects are upstream's set") {
    auto objects = control_plane_objects(spec());
    CHECK(describe_objects(objects) ==
          std::vector<std::string>{
              "ClusterRole system:karmada:member3:agent",
              "ClusterRoleBinding system:karmada:member3:agent",
              "Namespace karmada-cluster",
              "Namespace karmada-es-member3",
              "Role karmada-cluster/system:karmada:member3:agent-secret",
              "RoleBinding karmada-cluster/system:karmada:member3:agent-secret",
              "Role karmada-es-member3/system:karmada:member3:agent-work",
              "RoleBinding karmada-es-member3/system:karmada:member3:agent-work",
          });
    const Json& role = objects[0];
    CHECK(role["rules"][0]["resources"] == Json::array({"clusters"}));
    CHECK(role["rules"][0]["resourceNames"] == Json::array({"member3"}));
    CHECK(role["rules"][0]["verbs"] == Json::array({"get", "delete"}));
    CHECK(objects[1]["subjects"][0]["kind"] == "User");
    CHECK(objects[1]["subjects"][0]["name"] == "system:karmada:agent:member3");
    CHECK(objects[4]["rules"][0]["resourceNames"] ==
          Json::array({"member3", "member3-impersonator"}));
    for (const auto& o : objects) {
      CHECK(o["metadata"]["labels"]["karmada.io/system"] == "true");
    }
    // unregister removes the RBAC objects (not the shared namespaces)
    CHECK(control_plane_rbac_refs("member3", "karmada-cluster").size() == 6);
    auto lease = agent_lease_ref("karmada-system", "member3");
    CHECK(lease.path() ==
          "/apis/coordination.k8s.io/v1/namespaces/karmada-system/leases/karmada-agent-member3");
  }

  TEST_CASE("member objects are upstream's set, in apply order") {
    auto objects = member_objects(spec(), "kubeconfig-text");
    CHECK(describe_objects(objects) == std::vector<std::string>{
                                           "Namespace karmada-system",
                                           "Secret karmada-system/karmada-kubeconfig",
                                           "ClusterRole karmada-agent",
                                           "ServiceAccount karmada-system/karmada-agent-sa",
                                           "ClusterRoleBinding karmada-agent",
                                           "Deployment karmada-system/karmada-agent",
                                       });
    CHECK(objects[1]["type"] == "Opaque");
    CHECK(encoding::base64_decode(objects[1]["data"]["karmada-kubeconfig"].get<std::string>())
              .value() == "kubeconfig-text");
    CHECK(objects[4]["subjects"][0] == Json{{"kind", "ServiceAccount"},
                                            {"name", "karmada-agent-sa"},
                                            {"namespace", "karmada-system"}});
  }

  TEST_CASE("the agent binds its listeners to the pod IP") {
    Json deployment = agent_deployment(spec());
    auto command = command_of(deployment);
    CHECK(command.front() == "/bin/karmada-agent");
    CHECK(has(command, "--metrics-bind-address=$(POD_IP):8080"));
    CHECK(has(command, "--health-probe-bind-address=$(POD_IP):10357"));
    CHECK(std::none_of(command.begin(), command.end(), [](const std::string& arg) {
      return arg.find("0.0.0.0") != std::string::npos;
    }));
    const Json& container = deployment["spec"]["template"]["spec"]["containers"][0];
    CHECK(container["env"][0]["name"] == "POD_IP");
    CHECK(container["env"][0]["valueFrom"]["fieldRef"]["fieldPath"] == "status.podIP");
  }

  TEST_CASE("the agent Deployment carries upstream's flags and wiring") {
    RegisterSpec s = spec();
    s.enable_cert_rotation = true;
    s.agent_replicas = 2;
    Json deployment = agent_deployment(s);
    auto command = command_of(deployment);
    CHECK(has(command, "--karmada-kubeconfig=/etc/kubeconfig/karmada-kubeconfig"));
    CHECK(has(command, "--cluster-name=member3"));
    CHECK(has(command, "--cluster-api-endpoint=https://10.200.0.4:6443"));
    CHECK(has(command, "--cluster-zones=a,b"));
    CHECK(has(command, "--controllers=*,certRotation"));
    CHECK(has(command, "--leader-elect-resource-namespace=karmada-system"));
    CHECK(has(command, "--cluster-namespace=karmada-cluster"));
    CHECK(deployment["spec"]["replicas"] == 2);
    const Json& pod = deployment["spec"]["template"]["spec"];
    CHECK(pod["serviceAccountName"] == "karmada-agent-sa");
    CHECK(pod["volumes"][0]["secret"]["secretName"] == "karmada-kubeconfig");
    CHECK(pod["containers"][0]["volumeMounts"][0]["mountPath"] == "/etc/kubeconfig");
    CHECK(deployment["metadata"]["labels"]["app"] == "karmada-agent");
    CHECK(agent_cluster_name(deployment) == "member3");
    CHECK(agent_cluster_name(Json::object()).empty());
  }

  TEST_CASE("CSRs ask the kube-apiserver-client signer for client auth") {
    Json csr = certificate_signing_request("member3-abcde", "PEM", 86400);
    CHECK(csr["metadata"]["name"] == "member3-abcde");
    CHECK(csr["metadata"]["labels"]["karmada.io/system"] == "true");
    CHECK(csr["spec"]["signerName"] == "kubernetes.io/kube-apiserver-client");
    CHECK(csr["spec"]["expirationSeconds"] == 86400);
    CHECK(csr["spec"]["usages"] ==
          Json::array({"digital signature", "key encipherment", "client auth"}));
    CHECK(encoding::base64_decode(csr["spec"]["request"].get<std::string>()).value() == "PEM");
  }

  TEST_CASE("cluster names are DNS-1123 labels of at most 48 characters") {
    CHECK(validate_cluster_name("member3"));
    CHECK(validate_cluster_name(std::string(48, 'a')));
    CHECK_FALSE(validate_cluster_name(std::string(49, 'a')));
    CHECK_FALSE(validate_cluster_name("Member3"));
    CHECK_FALSE(validate_cluster_name("-m"));
    CHECK_FALSE(validate_cluster_name("m_3"));
    auto empty = validate_cluster_name("");
    REQUIRE_FALSE(empty);
    CHECK(empty.error().reason == k_reason_usage);
  }

  TEST_CASE("a certificate is returned once the CSR is signed") {
    int gets = 0;
    auto fake = std::make_shared<kube::FakeTransport>(
        [&](const kube::Request& request) -> Result<kube::Response> {
          if (request.verb == kube::Verb::create) {
            Json body = Json::parse(request.body);
            CHECK(body["spec"]["signerName"] == "kubernetes.io/kube-apiserver-client");
            return kube::Response{201, body.dump(), {}};
          }
          Json csr = {{"metadata", {{"name", "m-abcde"}, {"resourceVersion", "7"}}}};
          if (request.verb == kube::Verb::watch) {
            // Watched from the read's resourceVersion: the signed CSR arrives as an event.
            CHECK(request.path.find("resourceVersion=7") != std::string::npos);
            CHECK(request.path.find("fieldSelector=metadata.name%3Dm-abcde") != std::string::npos);
            csr["status"] = {{"conditions", {{{"type", "Approved"}, {"status", "True"}}}},
                             {"certificate", encoding::base64_encode("CERT")}};
            Json event = {{"type", "MODIFIED"}, {"object", csr}};
            return kube::Response{200, event.dump() + "\n", {}};
          }
          ++gets;
          return kube::Response{200, csr.dump(), {}};
        });
    CertificateRequestSpec spec;
    spec.name = "m-abcde";
    spec.common_name = "system:karmada:agent:m";
    spec.organization = "system:karmada:agents";
    spec.timeout = std::chrono::seconds(10);
    auto issued = request_certificate(kube::Client(fake), spec);
    REQUIRE(issued);
    CHECK(gets == 1); // one read, then the watch; no polling
    CHECK(issued->certificate_pem == "CERT");
    CHECK(issued->key_pem.find("PRIVATE KEY") != std::string::npos);
  }

  TEST_CASE("a CSR nobody approves and a denied CSR say what to do") {
    bool deny = false;
    auto fake = std::make_shared<kube::FakeTransport>(
        [&](const kube::Request& request) -> Result<kube::Response> {
          if (request.verb == kube::Verb::create) {
            return kube::Response{201, request.body, {}};
          }
          Json csr = {{"metadata", {{"name", "m-abcde"}}}};
          if (request.verb == kube::Verb::watch) {
            // Pending on the read; denied in the first event of the watch.
            if (deny) {
              csr["status"] = {
                  {"conditions", {{{"type", "Denied"}, {"status", "True"}, {"message", "no"}}}}};
            }
            Json event = {{"type", "MODIFIED"}, {"object", csr}};
            return kube::Response{200, event.dump() + "\n", {}};
          }
          return kube::Response{200, csr.dump(), {}};
        });
    CertificateRequestSpec spec;
    spec.name = "m-abcde";
    spec.common_name = "system:karmada:agent:m";
    spec.organization = "system:karmada:agents";
    spec.timeout = std::chrono::milliseconds(1);
    auto pending = request_certificate(kube::Client(fake), spec);
    REQUIRE_FALSE(pending);
    CHECK(pending.error().message.find("nobody approved") != std::string::npos);
    CHECK(pending.error().message.find("kubectl certificate approve m-abcde") != std::string::npos);
    deny = true;
    spec.timeout = std::chrono::seconds(10);
    auto denied = request_certificate(kube::Client(fake), spec);
    REQUIRE_FALSE(denied);
    CHECK(denied.error().message.find("denied") != std::string::npos);
  }

  TEST_CASE("an agent kubeconfig is kept only for this server, CA and cluster, while it lasts") {
    test::TestCa ca;
    AgentKubeconfigWant want;
    want.server = "https://karmada:32443";
    want.ca_pem = ca.pem();
    want.cluster_name = "member3";
    auto secret = [](const std::string& server,
                     const std::string& ca_pem,
                     const IssuedCertificate& issued) -> std::optional<Json> {
      pki::KubeconfigCluster cluster;
      cluster.name = "karmada-apiserver";
      cluster.server = server;
      cluster.certificate_authority_pem = ca_pem;
      pki::KubeconfigUser user;
      user.name = "member3";
      user.client_certificate_pem = issued.certificate_pem;
      user.client_key_pem = issued.key_pem;
      std::string text = pki::render_kubeconfig(
          pki::single_kubeconfig(cluster, user, "member3@karmada-apiserver"));
      return Json{{"data", {{"karmada-kubeconfig", encoding::base64_encode(text)}}}};
    };
    auto agent = ca.issue(agent_user("member3"));
    auto kept = reusable_agent_kubeconfig(secret(want.server, ca.pem(), agent), want);
    REQUIRE(kept);
    CHECK(kept->find("https://karmada:32443") != std::string::npos);

    CHECK_FALSE(reusable_agent_kubeconfig(std::nullopt, want));
    CHECK_FALSE(reusable_agent_kubeconfig(Json{{"data", Json::object()}}, want));
    CHECK_FALSE(reusable_agent_kubeconfig(secret("https://other:32443", ca.pem(), agent), want));
    test::TestCa other;
    CHECK_FALSE(reusable_agent_kubeconfig(secret(want.server, other.pem(), agent), want));
    CHECK_FALSE(reusable_agent_kubeconfig(
        secret(want.server, ca.pem(), other.issue(agent_user("member3"))), want));
    CHECK_FALSE(reusable_agent_kubeconfig(
        secret(want.server, ca.pem(), ca.issue(agent_user("member4"))), want));
    CHECK_FALSE(reusable_agent_kubeconfig(
        secret(want.server, ca.pem(), ca.issue(agent_user("member3"), 3)), want));
  }

  TEST_CASE("a Cluster is waited for until it exists and its Ready condition is True") {
    Json ready = {{"status", {{"conditions", {{{"type", "Ready"}, {"status", "True"}}}}}}};
    Json not_ready = {{"status", {{"conditions", {{{"type", "Ready"}, {"status", "False"}}}}}}};
    CHECK(cluster_ready(ready));
    CHECK_FALSE(cluster_ready(not_ready));
    CHECK_FALSE(cluster_ready(Json::object()));
    CHECK(cluster_pending_reason(std::nullopt) == "the agent has not created it yet");
    CHECK(cluster_pending_reason(not_ready) == "it is not Ready yet");
    CHECK_FALSE(cluster_pending_reason(ready));
  }

  TEST_CASE("an earlier registration of the same member under the same name converges") {
    std::vector<ClusterSummary> clusters = {{"member3", "id-3", "Pull", ""},
                                            {"member1", "id-1", "Push", ""}};
    CHECK(registered_as_this_member(clusters, "member3", "id-3"));
    CHECK_FALSE(registered_as_this_member(clusters, "member3", "id-1"));
    CHECK_FALSE(registered_as_this_member(clusters, "member4", "id-4"));
  }
}
