// read_api_catalog against scripted discovery documents: every group version, each resource once
// at its preferred version (client-go's ServerPreferredResources), subresources left out, and a
// group version that cannot be read listed as such while the others are still read.
#include "kube/fake_transport.hpp"
#include "kube/resource_names.hpp"
#include "responses.hpp"

#include <doctest/doctest.h>

#include <map>
#include <string>

using namespace kctl;
using namespace kctl::kube;

namespace {

using kctl::test::json_response;

Json
resource(const std::string& name, const std::string& kind, bool namespaced) {
  return {{"name", name},
          {"kind", kind},
          {"namespaced", namespaced},
          {"verbs", {"get", "list"}},
          {"shortNames", Json::array()}};
}

// A server answering /api, /api/v1, /apis (legacy APIGroupList) and each group version.
std::shared_ptr<FakeTransport>
legacy_server() {
  std::map<std::string, Json> documents{
      {"/api", {{"versions", {"v1"}}}},
      {"/api/v1",
       {{"resources",
         {resource("pods", "Pod", true),
          resource("pods/log", "Pod", true),
          resource("namespaces", "Namespace", false)}}}},
      {"/apis",
       {{"kind", "APIGroupList"},
        {"groups",
         {{{"name", "autoscaling"},
           {"versions",
            {{{"groupVersion", "autoscaling/v2"}, {"version", "v2"}},
             {{"groupVersion", "autoscaling/v1"}, {"version", "v1"}}}},
           {"preferredVersion", {{"groupVersion", "autoscaling/v2"}, {"version", "v2"}}}},
          {{"name", "metrics.k8s.io"},
           {"versions", {{{"groupVersion", "metrics.k8s.io/v1beta1"}, {"version", "v1beta1"}}}},
           {"preferredVersion",
            {{"groupVersion", "metrics.k8s.io/v1beta1"}, {"version", "v1beta1"}}}}}}}},
      {"/apis/autoscaling/v2",
       {{"resources", {resource("horizontalpodautoscalers", "HorizontalPodAutoscaler", true)}}}},
      {"/apis/autoscaling/v1",
       {{"resources",
         {resource("horizontalpodautoscalers", "HorizontalPodAutoscaler", true),
          resource("oldthings", "OldThing", false)}}}},
  };
  return std::make_shared<FakeTransport>([documents](const Request& request) -> Result<Response> {
    auto found = documents.find(request.path);
    if (found == documents.end()) {
      return json_response(
          503, make_status(503, "ServiceUnavailable", "the server is currently unable"));
    }
    return json_response(200, found->second);
  });
}

} // namespace

TEST_SUITE("kube.api_catalog") {
  TEST_CASE("legacy discovery: every group version, each resource at its preferred version") {
    auto fake = legacy_server();
    auto catalog = read_api_catalog(Client(fake));
    REQUIRE_MESSAGE(catalog, (catalog ? "" : catalog.error().message));
    CHECK(catalog->group_versions ==
          std::vector<std::string>{
              "v1", "autoscaling/v2", "autoscaling/v1", "metrics.k8s.io/v1beta1"});
    std::vector<std::string> listed;
    for (const auto& named : catalog->preferred) {
      listed.push_back(named.resource.group + "/" + named.resource.version + "/" +
                       named.resource.resource);
    }
    // pods/log is a subresource; oldthings exists only in v1 and is listed there.
    CHECK(listed == std::vector<std::string>{"/v1/pods",
                                             "/v1/namespaces",
                                             "autoscaling/v2/horizontalpodautoscalers",
                                             "autoscaling/v1/oldthings"});
    CHECK(catalog->preferred.front().verbs == std::vector<std::string>{"get", "list"});
    REQUIRE(catalog->unreadable.size() == 1);
    CHECK(catalog->unreadable.front().starts_with("metrics.k8s.io/v1beta1: "));
  }

  TEST_CASE("aggregated discovery: one /apis request, stale group versions are unreadable") {
    Json groups = {{"kind", "APIGroupDiscoveryList"},
                   {"items",
                    {{{"metadata", {{"name", "cluster.karmada.io"}}},
                      {"versions",
                       {{{"version", "v1alpha1"},
                         {"resources",
                          {{{"resource", "clusters"},
                            {"responseKind", {{"kind", "Cluster"}}},
                            {"scope", "Cluster"},
                            {"verbs", {"get", "list", "watch"}},
                            {"categories", {"karmada-io"}}}}}}}}},
                     {{"metadata", {{"name", "metrics.k8s.io"}}},
                      {"versions", {{{"version", "v1beta1"}, {"freshness", "Stale"}}}}}}}};
    auto fake =
        std::make_shared<FakeTransport>([groups](const Request& request) -> Result<Response> {
          if (request.path == "/api") {
            return json_response(200, {{"versions", {"v1"}}});
          }
          if (request.path == "/api/v1") {
            return json_response(200, {{"resources", Json::array()}});
          }
          return json_response(200, groups);
        });
    auto catalog = read_api_catalog(Client(fake));
    REQUIRE_MESSAGE(catalog, (catalog ? "" : catalog.error().message));
    CHECK(catalog->group_versions ==
          std::vector<std::string>{"v1", "cluster.karmada.io/v1alpha1", "metrics.k8s.io/v1beta1"});
    REQUIRE(catalog->preferred.size() == 1);
    CHECK(catalog->preferred.front().resource.kind == "Cluster");
    CHECK_FALSE(catalog->preferred.front().resource.namespaced);
    CHECK(catalog->preferred.front().categories == std::vector<std::string>{"karmada-io"});
    CHECK(catalog->unreadable ==
          std::vector<std::string>{
              "metrics.k8s.io/v1beta1: stale GroupVersion discovery: metrics.k8s.io/v1beta1"});
    CHECK(fake->requests().size() == 3);
  }
}
