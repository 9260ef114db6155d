// join's plan: the same member and Karmada objects as upstream's join, built from a JoinSpec.
#include "karmada/join_plan.hpp"
#include "util/encoding.hpp"

#include <doctest/doctest.h>

using namespace kctl;
using namespace kctl::karmada;

namespace {

JoinSpec
spec() {
  JoinSpec s;
  s.cluster_name = "member1";
  s.cluster_id = "uid-1";
  s.api_endpoint = "https://10.0.0.2:6443";
  return s;
}

std::vector<std::string>
names(const std::vector<Json>& objects) {
  std::vector<std::string> out;
  for (const auto& object : objects) {
    std::string ns = object["metadata"].value("namespace", "");
    out.push_back(object.value("kind", "") + " " + (ns.empty() ? "" : ns + "/") +
                  object["metadata"].value("name", ""));
  }
  return out;
}

} // namespace

TEST_SUITE("karmada.join_plan") {

  TEST_CASE("member objects: upstream's set, in apply order") {
    CHECK(names(member_objects(spec())) ==
          std::vector<std::string>{
              "Namespace karmada-cluster",
              "ServiceAccount karmada-cluster/karmada-impersonator",
              "Secret karmada-cluster/karmada-impersonator",
              "ServiceAccount karmada-cluster/karmada-member1",
              "ClusterRole karmada-controller-manager:karmada-member1",
              "ClusterRoleBinding karmada-controller-manager:karmada-member1",
              "Secret karmada-cluster/karmada-member1",
          });
    auto objects = member_objects(spec());
    // upstream labels everything but the token Secrets karmada.io/system=true
    for (size_t i : {0UL, 1UL, 3UL, 4UL, 5UL}) {
      CHECK(objects[i]["metadata"]["labels"]["karmada.io/system"] == "true");
    }
    CHECK_FALSE(objects[2]["metadata"].contains("labels"));
    CHECK(objects[2]["type"] == "kubernetes.io/service-account-token");
    CHECK(objects[2]["metadata"]["annotations"]["kubernetes.io/service-account.name"] ==
          "karmada-impersonator");
    CHECK(objects[4]["rules"] ==
          Json::parse(R"([{"apiGroups":["*"],"resources":["*"],"verbs":["*"]},
                                                  {"nonResourceURLs":["*"],"verbs":["get"]}])"));
    CHECK(
        objects[5]["subjects"][0] ==
        Json::parse(
            R"({"kind":"ServiceAccount","name":"karmada-member1","namespace":"karmada-cluster"})"));
    CHECK(member_token_secrets(spec())[1] ==
          std::pair<std::string, std::string>{"karmada-cluster", "karmada-member1"});
  }

  TEST_CASE("Karmada secrets carry the member's credentials") {
    auto objects = karmada_secret_objects(spec(), {"tok", "CA", "imp"});
    CHECK(names(objects) ==
          std::vector<std::string>{"Namespace karmada-cluster",
                                   "Secret karmada-cluster/member1",
                                   "Secret karmada-cluster/member1-impersonator"});
    CHECK(objects[1]["data"]["token"] == encoding::base64_encode("tok"));
    CHECK(objects[1]["data"]["caBundle"] == encoding::base64_encode("CA"));
    CHECK(objects[2]["data"]["token"] == encoding::base64_encode("imp"));
    CHECK(objects[1]["metadata"]["labels"]["karmada.io/system"] == "true");
  }

  TEST_CASE("the Cluster object") {
    Json cluster = cluster_object(spec());
    CHECK(cluster["spec"] == Json::parse(R"({"id":"uid-1","syncMode":"Push",
      "apiEndpoint":"https://10.0.0.2:6443",
      "secretRef":{"namespace":"karmada-cluster","name":"member1"},
      "impersonatorSecretRef":{"namespace":"karmada-cluster","name":"member1-impersonator"}})"));
    JoinSpec more = spec();
    more.provider = "aws";
    more.region = "cn-north";
    more.zones = {"z1", "z2"};
    more.insecure_skip_tls_verification = true;
    more.proxy_url = "socks5://proxy:1080";
    Json full = cluster_object(more)["spec"];
    CHECK(full["provider"] == "aws");
    CHECK(full["region"] == "cn-north");
    CHECK(full["zones"] == Json::array({"z1", "z2"}));
    CHECK(full["insecureSkipTLSVerification"] == true);
    CHECK(full["proxyURL"] == "socks5://proxy:1080");
  }

  TEST_CASE("owner references") {
    Json patch = owner_reference_patch("member1", "cuid");
    Json secret = {{"metadata", patch["metadata"]}};
    CHECK(has_owner_reference(secret, "cuid"));
    CHECK_FALSE(has_owner_reference(secret, "other"));
    CHECK(patch["metadata"]["ownerReferences"][0]["controller"] == true);
  }

  TEST_CASE("already_joined: free, the same member again, or refused with the reason") {
    ClusterSummary same{"member1", "uid-1", "Push", "https://10.0.0.2:6443"};
    CHECK(already_joined({}, spec()) == false);
    CHECK(already_joined({same}, spec()) == true);
    ClusterSummary pulled = same;
    pulled.sync_mode = "Pull";
    auto pull = already_joined({pulled}, spec());
    REQUIRE_FALSE(pull);
    CHECK(pull.error().message.find("already registered in Pull mode") != std::string::npos);
    ClusterSummary second_name{"first", "uid-1", "Push", "https://10.0.0.2:6443"};
    auto twice = already_joined({second_name}, spec());
    REQUIRE_FALSE(twice);
    CHECK(twice.error().message.find("already registered as first") != std::string::npos);
    CHECK(twice.error().message.find("nothing was changed") != std::string::npos);
    ClusterSummary other_member{"member1", "uid-2", "Push", "https://10.0.0.3:6443"};
    CHECK_FALSE(already_joined({other_member}, spec()));
  }

  TEST_CASE("what unjoin removes from the member, and the credentials' names") {
    CHECK(names(member_objects_to_remove(spec())) ==
          std::vector<std::string>{
              "ClusterRoleBinding karmada-controller-manager:karmada-member1",
              "ClusterRole karmada-controller-manager:karmada-member1",
              "ServiceAccount karmada-cluster/karmada-member1",
              "Namespace karmada-cluster",
          });
    CHECK(credential_secret_names(spec()) ==
          std::vector<std::string>{"member1", "member1-impersonator"});
  }
}
