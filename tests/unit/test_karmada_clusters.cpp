// The Karmada layer against a scripted FakeTransport: cluster listing, the registration checks and
// reaching the Karmada API server through the host.
#include "karmada/clusters.hpp"
#include "karmada/connect.hpp"
#include "kube/fake_transport.hpp"
#include "kube/nodes.hpp"
#include "responses.hpp"
#include "util/encoding.hpp"

#include <doctest/doctest.h>

using namespace kctl;
using namespace kctl::kube;

namespace {

using kctl::test::json_response;

Json
cluster(const std::string& name, const std::string& id, const std::string& mode) {
  return {{"apiVersion", "cluster.karmada.io/v1alpha1"},
          {"kind", "Cluster"},
          {"metadata", {{"name", name}}},
          {"spec", {{"id", id}, {"syncMode", mode}, {"apiEndpoint", "https://" + name + ":6443"}}}};
}

Json
node(const std::string& name, const Json& addresses) {
  return {{"metadata", {{"name", name}}}, {"status", {{"addresses", addresses}}}};
}

} // namespace

TEST_SUITE("karmada.clusters") {

  TEST_CASE("list_clusters reads the Cluster collection with the selector") {
    auto fake = std::make_shared<FakeTransport>([](const Request&) -> Result<Response> {
      return json_response(
          200,
          {{"kind", "ClusterList"},
           {"metadata", Json::object()},
           {"items", {cluster("m1", "uid-1", "Push"), cluster("m2", "uid-2", "Pull")}}});
    });
    Client client(fake);
    auto clusters = karmada::list_clusters(client, "environment=dev");
    REQUIRE(clusters);
    REQUIRE(clusters->size() == 2);
    CHECK((*clusters)[1].name == "m2");
    CHECK((*clusters)[1].id == "uid-2");
    CHECK((*clusters)[1].sync_mode == "Pull");
    REQUIRE(fake->requests().size() == 1);
    CHECK(fake->requests()[0].path ==
          "/apis/cluster.karmada.io/v1alpha1/clusters?labelSelector=environment%3Ddev&limit=500");
  }

  TEST_CASE(
      "list_clusters pages through, keeps the summaries, and starts over on an expired token") {
    // Page 1 then page 2 (continue "c1"); in the second round the token has expired, so the whole
    // collection is read again in one request and nothing is counted twice.
    int round = 0;
    auto fake = std::make_shared<FakeTransport>([&](const Request& request) -> Result<Response> {
      Json first = cluster("m1", "uid-1", "Push");
      first["metadata"]["managedFields"] = Json::array({{{"manager", "karmadactl"}}});
      if (request.path.find("continue=c1") != std::string::npos) {
        if (round == 2) {
          return json_response(410, make_status(410, "Expired", "continue token expired"));
        }
        return json_response(200,
                             {{"kind", "ClusterList"},
                              {"metadata", Json::object()},
                              {"items", {cluster("m2", "uid-2", "Pull")}}});
      }
      ++round;
      bool unpaged = request.path.find("limit=") == std::string::npos;
      Json items = unpaged ? Json{first, cluster("m2", "uid-2", "Pull"), cluster("m3", "", "Push")}
                           : Json{first};
      return json_response(200,
                           {{"kind", "ClusterList"},
                            {"metadata", unpaged ? Json::object() : Json{{"continue", "c1"}}},
                            {"items", items}});
    });
    Client client(fake);
    auto paged = karmada::list_clusters(client);
    REQUIRE(paged);
    REQUIRE(paged->size() == 2);
    CHECK((*paged)[0].name == "m1");
    CHECK((*paged)[1].name == "m2");
    CHECK(fake->requests().size() == 2);

    auto restarted = karmada::list_clusters(client);
    REQUIRE(restarted);
    REQUIRE(restarted->size() == 3);
    CHECK((*restarted)[0].name == "m1");
    CHECK((*restarted)[2].name == "m3");
    REQUIRE(fake->requests().size() == 5);
    CHECK(fake->requests()[4].path == "/apis/cluster.karmada.io/v1alpha1/clusters");
  }

  TEST_CASE("find_cluster reads one Cluster by name") {
    auto fake = std::make_shared<FakeTransport>([](const Request& request) -> Result<Response> {
      if (request.path.ends_with("/clusters/m1")) {
        return json_response(200, cluster("m1", "uid-1", "Push"));
      }
      if (request.path.ends_with("/clusters/gone")) {
        return json_response(
            404, make_status(404, "NotFound", "clusters.cluster.karmada.io \"gone\" not found"));
      }
      return json_response(403, make_status(403, "Forbidden", "clusters is forbidden"));
    });
    Client client(fake);
    auto found = karmada::find_cluster(client, "m1");
    REQUIRE(found);
    REQUIRE(found->has_value());
    CHECK((*found)->id == "uid-1");
    CHECK((*found)->api_endpoint == "https://m1:6443");
    auto missing = karmada::find_cluster(client, "gone");
    REQUIRE(missing);
    CHECK_FALSE(missing->has_value());
    auto refused = karmada::find_cluster(client, "secret");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find("cannot read cluster secret") != std::string::npos);
    CHECK(fake->requests().size() == 3);
  }

  TEST_CASE("list_clusters says what it could not do") {
    auto fake = std::make_shared<FakeTransport>([](const Request&) -> Result<Response> {
      return json_response(403, make_status(403, "Forbidden", "clusters is forbidden"));
    });
    auto clusters = karmada::list_clusters(Client(fake));
    REQUIRE_FALSE(clusters);
    CHECK(clusters.error().message.find("cannot list the clusters") != std::string::npos);
    CHECK(clusters.error().message.find("forbidden") != std::string::npos);
  }

  TEST_CASE("registration_conflict: same name, same member under another name, or free") {
    std::vector<karmada::ClusterSummary> clusters = {
        karmada::summarize_cluster(cluster("member1", "uid-1", "Push")),
        karmada::summarize_cluster(cluster("member2", "uid-2", "Pull"))};
    auto by_name = karmada::registration_conflict(clusters, "member1", "uid-9");
    REQUIRE(by_name);
    CHECK(by_name->find("a cluster named member1 is already registered (mode Push") == 0);
    auto by_id = karmada::registration_conflict(clusters, "other", "uid-2");
    REQUIRE(by_id);
    CHECK(by_id->find("cluster ID uid-2") != std::string::npos);
    CHECK(by_id->find("already registered as member2") != std::string::npos);
    CHECK_FALSE(karmada::registration_conflict(clusters, "member3", "uid-3"));
    // A member whose ID is unknown conflicts only by name.
    CHECK_FALSE(karmada::registration_conflict(clusters, "member3", ""));
  }

  TEST_CASE("member_cluster_id is the UID of kube-system") {
    auto fake = std::make_shared<FakeTransport>([](const Request& request) -> Result<Response> {
      CHECK(request.path == "/api/v1/namespaces/kube-system");
      return json_response(200, {{"metadata", {{"name", "kube-system"}, {"uid", "abc-123"}}}});
    });
    auto id = karmada::member_cluster_id(Client(fake));
    REQUIRE(id);
    CHECK(*id == "abc-123");
  }

  TEST_CASE("node_address prefers InternalIP, then the first address") {
    CHECK(kube::node_address(node("a",
                                  {{{"type", "Hostname"}, {"address", "a.local"}},
                                   {{"type", "InternalIP"}, {"address", "10.0.0.1"}}})) ==
          "10.0.0.1");
    CHECK(kube::node_address(node("b", {{{"type", "Hostname"}, {"address", "b.local"}}})) ==
          "b.local");
    CHECK(kube::node_address(node("c", Json::array())).empty());
    Json list = {{"items",
                  {node("c", Json::array()),
                   node("d", {{{"type", "InternalIP"}, {"address", "10.0.0.4"}}})}}};
    CHECK(kube::first_node_address(list) == "10.0.0.4");
  }

  TEST_CASE("connect_via_host: admin kubeconfig from the Secret, server from node and NodePort") {
    std::string kubeconfig = "apiVersion: v1\nkind: Config\nclusters:\n- name: k\n  cluster:\n"
                             "    server: https://karmada-apiserver.karmada-system.svc:5443\n"
                             "    certificate-authority-data: " +
                             encoding::base64_encode("CA PEM") +
                             "\nusers:\n- name: admin\n  user:\n    client-certificate-data: " +
                             encoding::base64_encode("CERT PEM") +
                             "\n    client-key-data: " + encoding::base64_encode("KEY PEM") + "\n";
    auto fake = std::make_shared<FakeTransport>([&](const Request& request) -> Result<Response> {
      if (request.path.ends_with("/secrets/karmada-controller-manager-config")) {
        return json_response(200,
                             {{"kind", "Secret"},
                              {"data", {{"karmada.config", encoding::base64_encode(kubeconfig)}}}});
      }
      if (request.path.ends_with("/services/karmada-apiserver")) {
        return json_response(200, {{"spec", {{"ports", {{{"port", 5443}, {"nodePort", 32443}}}}}}});
      }
      if (request.path.starts_with("/api/v1/nodes")) {
        return json_response(
            200,
            {{"kind", "NodeList"},
             {"metadata", Json::object()},
             {"items", {node("n1", {{{"type", "InternalIP"}, {"address", "10.1.2.3"}}})}}});
      }
      return json_response(404, make_status(404, "NotFound", "not found"));
    });
    auto rest = karmada::rest_config_from_admin_kubeconfig(kubeconfig, "https://10.1.2.3:32443");
    REQUIRE(rest);
    CHECK(rest->tls.ca_pem == "CA PEM");
    CHECK(rest->tls.client_certificate_pem == "CERT PEM");
    CHECK(rest->tls.client_key_pem == "KEY PEM");
    auto client = karmada::connect_via_host(Client(fake), "karmada-system", DryRun::no);
    CHECK(client);
  }

  TEST_CASE("connect_via_host without a control plane says what to pass") {
    auto fake = std::make_shared<FakeTransport>([](const Request&) -> Result<Response> {
      return json_response(404, make_status(404, "NotFound", "not found"));
    });
    auto client = karmada::connect_via_host(Client(fake), "karmada-system", DryRun::no);
    REQUIRE_FALSE(client);
    CHECK(client.error().message.find("no Karmada control plane in namespace karmada-system") !=
          std::string::npos);
    auto missing = karmada::rest_config_from_admin_kubeconfig("apiVersion: v1\n", "https://x");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message.find("certificate-authority-data") != std::string::npos);
  }
}
