// The generic client and the dry-run transport against a scripted FakeTransport: exact requests,
// typed errors, paging, watch resumption and discovery.
#include "kube/client.hpp"
#include "kube/fake_transport.hpp"
#include "kube/http_log.hpp"
#include "kube/resource_names.hpp"
#include "kube/wait_for.hpp"
#include "responses.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <optional>
#include <string_view>
#include <vector>

using namespace kctl;
using namespace kctl::kube;

namespace {

using kctl::test::json_response;

const ResourceRef k_configmaps{"", "v1", "configmaps", "ns", "", ""};
const ResourceRef k_deployment{"apps", "v1", "deployments", "ns", "web", ""};

Json
config_map(const std::string& name, const std::string& rv = "1") {
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", {{"name", name}, {"namespace", "ns"}, {"resourceVersion", rv}}}};
}

std::string
event_line(const std::string& type, const Json& object) {
  return Json{{"type", type}, {"object", object}}.dump() + "\n";
}

} // namespace

TEST_SUITE("kube.client") {

  TEST_CASE("ResourceRef builds API paths") {
    CHECK(k_configmaps.path() == "/api/v1/namespaces/ns/configmaps");
    CHECK(k_deployment.path() == "/apis/apps/v1/namespaces/ns/deployments/web");
    CHECK(ResourceRef{"", "v1", "namespaces", "", "kube-system", ""}.path() ==
          "/api/v1/namespaces/kube-system");
    CHECK(ResourceRef{"", "v1", "serviceaccounts", "ns", "sa", "token"}.path() ==
          "/api/v1/namespaces/ns/serviceaccounts/sa/token");
    CHECK(ResourceRef{"cluster.karmada.io", "v1alpha1", "clusters", "", "m 1", ""}.path() ==
          "/apis/cluster.karmada.io/v1alpha1/clusters/m%201");
    CHECK(k_deployment.describe() == "apps/v1 deployments ns/web");
    CHECK(with_query("/p", {{"labelSelector", "a=b,c!=d"}, {"limit", "5"}}) ==
          "/p?labelSelector=a%3Db%2Cc%21%3Dd&limit=5");
  }

  TEST_CASE("get: 404 NotFound is a value, other failures are typed errors") {
    auto fake = std::make_shared<FakeTransport>([](const Request& request) -> Result<Response> {
      if (request.path.ends_with("/missing")) {
        return json_response(404, make_status(404, "NotFound", "configmaps \"missing\" not found"));
      }
      if (request.path.ends_with("/secret")) {
        return json_response(
            403, make_status(403, "Forbidden", "configmaps \"secret\" is forbidden: no"));
      }
      if (request.path.ends_with("/plain404")) {
        return Response{404, "404 page not found", {}};
      }
      return json_response(200, config_map("present"));
    });
    Client client(fake);
    auto present = client.get(k_configmaps.with_name("present"));
    REQUIRE(present.has_value());
    REQUIRE(present->has_value());
    CHECK((**present)["metadata"]["name"] == "present");

    auto missing = client.get(k_configmaps.with_name("missing"));
    REQUIRE(missing.has_value());
    CHECK_FALSE(missing->has_value());

    auto forbidden = client.get(k_configmaps.with_name("secret"));
    REQUIRE_FALSE(forbidden.has_value());
    CHECK(forbidden.error().reason == "Forbidden");
    CHECK(forbidden.error().http_status == 403);
    CHECK(forbidden.error().message == "configmaps \"secret\" is forbidden: no");

    // A 404 without a Status means the API is not served at all, which is an error.
    auto no_api = client.get(k_configmaps.with_name("plain404"));
    REQUIRE_FALSE(no_api.has_value());
    CHECK(no_api.error().http_status == 404);
    CHECK(no_api.error().message.find("404 page not found") != std::string::npos);
  }

  TEST_CASE("writes send the right method, path, query and content type") {
    auto fake = std::make_shared<FakeTransport>([](const Request& request) -> Result<Response> {
      if (request.verb == Verb::create) {
        return json_response(409,
                             make_status(409, "AlreadyExists", "configmaps \"a\" already exists"));
      }
      if (request.verb == Verb::remove) {
        return json_response(404, make_status(404, "NotFound", "gone"));
      }
      return json_response(200, config_map("a"));
    });
    Client client(fake);
    auto created = client.create(k_configmaps, config_map("a"));
    REQUIRE_FALSE(created.has_value());
    CHECK(is_already_exists(created.error()));
    CHECK(created.error().http_status == 409);
    CHECK(created.error().message == "configmaps \"a\" already exists");

    REQUIRE(client.update(k_configmaps, config_map("a")).has_value());
    REQUIRE(
        client.patch(k_configmaps.with_name("a"), PatchType::strategic, {{"data", {{"k", "v"}}}})
            .has_value());
    REQUIRE(client.apply(k_configmaps, config_map("a"), {"kctl-test", Force::yes}).has_value());
    auto removed = client.remove(k_configmaps.with_name("a"), {"Foreground", 0});
    REQUIRE(removed.has_value());
    CHECK(*removed == DeleteOutcome::not_found);

    auto requests = fake->requests();
    REQUIRE(requests.size() == 5);
    CHECK(http_method(requests[0].verb) == "POST");
    CHECK(requests[0].path == "/api/v1/namespaces/ns/configmaps");
    CHECK(requests[0].content_type == "application/json");
    CHECK(http_method(requests[1].verb) == "PUT");
    CHECK(requests[1].path == "/api/v1/namespaces/ns/configmaps/a");
    CHECK(http_method(requests[2].verb) == "PATCH");
    CHECK(requests[2].content_type == "application/strategic-merge-patch+json");
    CHECK(requests[3].path ==
          "/api/v1/namespaces/ns/configmaps/a?fieldManager=kctl-test&force=true");
    CHECK(requests[3].content_type == "application/apply-patch+yaml");
    CHECK(http_method(requests[4].verb) == "DELETE");
    Json options = Json::parse(requests[4].body);
    CHECK(options["propagationPolicy"] == "Foreground");
    CHECK(options["gracePeriodSeconds"] == 0);
  }

  TEST_CASE("a server dry run sends every write with dryRun=All and reads unchanged") {
    auto fake = std::make_shared<FakeTransport>(
        [](const Request&) -> Result<Response> { return json_response(200, config_map("a")); });
    Client client(std::make_shared<ServerDryRunTransport>(fake));
    CHECK(client.dry_run());
    REQUIRE(client.get(k_configmaps.with_name("a")).has_value());
    REQUIRE(client.create(k_configmaps, config_map("a")).has_value());
    REQUIRE(client.apply(k_configmaps, config_map("a"), {"kctl-test", Force::no}).has_value());
    REQUIRE(client.remove(k_configmaps.with_name("a"), {}).has_value());

    auto requests = fake->requests();
    REQUIRE(requests.size() == 4);
    CHECK(requests[0].path == "/api/v1/namespaces/ns/configmaps/a");
    CHECK(requests[1].path == "/api/v1/namespaces/ns/configmaps?dryRun=All");
    CHECK(requests[2].path ==
          "/api/v1/namespaces/ns/configmaps/a?fieldManager=kctl-test&dryRun=All");
    CHECK(requests[3].path == "/api/v1/namespaces/ns/configmaps/a?dryRun=All");

    // Karmada's aggregated API server stores dry-run writes: none is sent to it.
    auto refused = client.remove(
        ResourceRef{"cluster.karmada.io", "v1alpha1", "clusters", "", "member1", ""}, {});
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().message.find("use --dry-run=client") != std::string::npos);
    CHECK(fake->requests().size() == 4);
  }

  TEST_CASE("list follows continue tokens and aggregates the items") {
    auto fake = std::make_shared<FakeTransport>([](const Request& request) -> Result<Response> {
      bool second = request.path.find("continue=page2") != std::string::npos;
      Json page = {{"kind", "ConfigMapList"},
                   {"apiVersion", "v1"},
                   {"metadata", {{"resourceVersion", "42"}}},
                   {"items",
                    Json::array({
                        config_map(second ? "c" : "a"),
                    })}};
      if (!second) {
        page["items"].push_back(config_map("b"));
        page["metadata"]["continue"] = "page2";
      }
      return json_response(200, page);
    });
    Client client(fake);
    auto list = client.list(k_configmaps, {"app=web", "", 2});
    REQUIRE_MESSAGE(list.has_value(), list.error().message);
    REQUIRE((*list)["items"].size() == 3);
    CHECK((*list)["items"][2]["metadata"]["name"] == "c");
    CHECK((*list)["kind"] == "ConfigMapList");
    CHECK_FALSE((*list)["metadata"].contains("continue"));
    auto requests = fake->requests();
    REQUIRE(requests.size() == 2);
    CHECK(requests[0].path == "/api/v1/namespaces/ns/configmaps?labelSelector=app%3Dweb&limit=2");
    CHECK(requests[1].path ==
          "/api/v1/namespaces/ns/configmaps?labelSelector=app%3Dweb&limit=2&continue=page2");
  }

  TEST_CASE("a list or get answer of another shape is an error, not an exception (issue 20)") {
    for (const char* body : {R"([])",
                             R"("text")",
                             R"({"items":"x"})",
                             R"({"items":[1,2]})",
                             R"({"metadata":[]})",
                             R"({"metadata":{"continue":5},"items":[]})"}) {
      INFO(body);
      auto fake = std::make_shared<FakeTransport>([&](const Request&) -> Result<Response> {
        return Response{200, body, {}};
      });
      Client client(fake);
      std::optional<Result<Json>> list;
      CHECK_NOTHROW(list = client.list(k_configmaps, {}));
      REQUIRE(list);
      if (std::string_view(body).find("continue") != std::string_view::npos) {
        CHECK(list->has_value()); // a token that is not a string: no next page
      } else {
        CHECK_FALSE(list->has_value());
      }
      std::optional<Result<std::optional<Json>>> got;
      CHECK_NOTHROW(got = client.get(k_deployment));
      REQUIRE(got);
      CHECK(got->has_value() == std::string_view(body).starts_with("{"));
    }
  }

  TEST_CASE("a metadata-only list asks for PartialObjectMetadata and leaves managedFields out") {
    auto fake = std::make_shared<FakeTransport>([](const Request&) -> Result<Response> {
      Json item = {{"kind", "PartialObjectMetadata"},
                   {"apiVersion", "meta.k8s.io/v1"},
                   {"metadata",
                    {{"name", "a"},
                     {"labels", {{"k", "v"}}},
                     {"managedFields", Json::array({{{"manager", "x"}}})}}}};
      return json_response(200,
                           {{"kind", "PartialObjectMetadataList"},
                            {"apiVersion", "meta.k8s.io/v1"},
                            {"metadata", {{"resourceVersion", "7"}}},
                            {"items", Json::array({item})}});
    });
    Client client(fake);
    ListOptions options;
    options.metadata_only = true;
    auto list = client.list(k_configmaps, options);
    REQUIRE_MESSAGE(list.has_value(), list.error().message);
    REQUIRE((*list)["items"].size() == 1);
    CHECK((*list)["items"][0]["metadata"]["labels"]["k"] == "v");
    CHECK_FALSE((*list)["items"][0]["metadata"].contains("managedFields"));
    auto requests = fake->requests();
    REQUIRE(requests.size() == 1);
    CHECK(requests[0].accept.starts_with(
        "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"));
    // A plain list keeps asking for whole objects.
    REQUIRE(client.list(k_configmaps).has_value());
    CHECK(fake->requests().back().accept == "application/json");
  }

  TEST_CASE("resolve_resource reads aggregated discovery in one request, else walks the groups") {
    for (bool aggregated : {true, false}) {
      CAPTURE(aggregated);
      auto fake = std::make_shared<FakeTransport>([aggregated](
                                                      const Request& request) -> Result<Response> {
        if (request.path == "/api/v1") {
          return json_response(
              200,
              {{"kind", "APIResourceList"},
               {"groupVersion", "v1"},
               {"resources",
                Json::array({{{"name", "pods"}, {"kind", "Pod"}, {"namespaced", true}}})}});
        }
        if (request.path == "/apis" && aggregated &&
            request.accept.find("as=APIGroupDiscoveryList") != std::string::npos) {
          Json resource = {{"resource", "clusters"},
                           {"responseKind", {{"kind", "Cluster"}}},
                           {"scope", "Cluster"},
                           {"singularResource", "cluster"},
                           {"shortNames", Json::array({"cl"})}};
          Json apps = {
              {"metadata", {{"name", "apps"}}},
              {"versions", Json::array({{{"version", "v1"}, {"resources", Json::array()}}})}};
          Json karmada = {
              {"metadata", {{"name", "cluster.karmada.io"}}},
              {"versions",
               Json::array({{{"version", "v1alpha1"}, {"resources", Json::array({resource})}}})}};
          return json_response(200,
                               {{"kind", "APIGroupDiscoveryList"},
                                {"apiVersion", "apidiscovery.k8s.io/v2"},
                                {"items", Json::array({apps, karmada})}});
        }
        if (request.path == "/apis") {
          Json groups = Json::array();
          for (const auto& [group, version] :
               {std::pair{"apps", "v1"}, std::pair{"cluster.karmada.io", "v1alpha1"}}) {
            groups.push_back({{"name", group}, {"preferredVersion", {{"version", version}}}});
          }
          return json_response(200, {{"kind", "APIGroupList"}, {"groups", groups}});
        }
        if (request.path == "/apis/apps/v1") {
          return json_response(200, {{"kind", "APIResourceList"}, {"resources", Json::array()}});
        }
        if (request.path == "/apis/cluster.karmada.io/v1alpha1") {
          return json_response(200,
                               {{"kind", "APIResourceList"},
                                {"resources",
                                 Json::array({{{"name", "clusters"},
                                               {"kind", "Cluster"},
                                               {"namespaced", false},
                                               {"singularName", "cluster"},
                                               {"shortNames", Json::array({"cl"})}}})}});
        }
        return json_response(404, {{"kind", "Status"}, {"reason", "NotFound"}, {"code", 404}});
      });
      Client client(fake);
      for (const char* word : {"clusters", "cl", "Cluster", "clusters.cluster.karmada.io"}) {
        CAPTURE(word);
        auto resource = resolve_resource(client, word);
        REQUIRE_MESSAGE(resource.has_value(), resource.error().message);
        CHECK(resource->group == "cluster.karmada.io");
        CHECK(resource->version == "v1alpha1");
        CHECK(resource->resource == "clusters");
        CHECK(resource->kind == "Cluster");
        CHECK_FALSE(resource->namespaced);
      }
      auto missing = resolve_resource(client, "nosuchthings");
      REQUIRE_FALSE(missing.has_value());
      CHECK(missing.error().message == "the server doesn't have a resource type \"nosuchthings\"");
      // Per word: /api/v1 (unless a group is named) and /apis; without aggregated discovery also
      // each group version up to the one that serves it (clusters.cluster.karmada.io: just it).
      CHECK(fake->requests().size() == (aggregated ? 2u + 2 + 2 + 1 + 2 : 4u + 4 + 4 + 2 + 4));
    }
  }

  TEST_CASE("resolve_resource finds a resource served only at a group's other version") {
    // work.karmada.io prefers v1alpha2 (bindings) and serves works at v1alpha1 only: kubectl's
    // RESTMapper finds it after every group's preferred version.
    for (bool aggregated : {true, false}) {
      CAPTURE(aggregated);
      Json works = {{"name", "works"}, {"kind", "Work"}, {"namespaced", true}};
      Json bindings = {
          {"name", "resourcebindings"}, {"kind", "ResourceBinding"}, {"namespaced", true}};
      auto fake = std::make_shared<FakeTransport>([&](const Request& request) -> Result<Response> {
        if (request.path == "/api/v1") {
          return json_response(200, {{"kind", "APIResourceList"}, {"resources", Json::array()}});
        }
        if (request.path == "/apis" && aggregated &&
            request.accept.find("as=APIGroupDiscoveryList") != std::string::npos) {
          auto entry = [](const Json& resource) {
            return Json{{"resource", resource["name"]},
                        {"responseKind", {{"kind", resource["kind"]}}},
                        {"scope", "Namespaced"}};
          };
          Json group = {
              {"metadata", {{"name", "work.karmada.io"}}},
              {"versions",
               Json::array(
                   {{{"version", "v1alpha2"}, {"resources", Json::array({entry(bindings)})}},
                    {{"version", "v1alpha1"}, {"resources", Json::array({entry(works)})}}})}};
          return json_response(
              200, {{"kind", "APIGroupDiscoveryList"}, {"items", Json::array({group})}});
        }
        if (request.path == "/apis") {
          Json group = {
              {"name", "work.karmada.io"},
              {"versions", Json::array({{{"version", "v1alpha2"}}, {{"version", "v1alpha1"}}})},
              {"preferredVersion", {{"version", "v1alpha2"}}}};
          return json_response(200, {{"kind", "APIGroupList"}, {"groups", Json::array({group})}});
        }
        if (request.path == "/apis/work.karmada.io/v1alpha2") {
          return json_response(
              200, {{"kind", "APIResourceList"}, {"resources", Json::array({bindings})}});
        }
        if (request.path == "/apis/work.karmada.io/v1alpha1") {
          return json_response(200,
                               {{"kind", "APIResourceList"}, {"resources", Json::array({works})}});
        }
        return json_response(404, {{"kind", "Status"}, {"reason", "NotFound"}, {"code", 404}});
      });
      Client client(fake);
      auto work = resolve_resource(client, "works");
      REQUIRE_MESSAGE(work.has_value(), work.error().message);
      CHECK(work->version == "v1alpha1");
      auto binding = resolve_resource(client, "resourcebindings");
      REQUIRE(binding.has_value());
      CHECK(binding->version == "v1alpha2");
      CHECK_FALSE(resolve_resource(client, "works.v1alpha2.work.karmada.io").has_value());
    }
  }

  TEST_CASE("an expired continue token restarts the list without paging") {
    auto fake = std::make_shared<FakeTransport>([](const Request& request) -> Result<Response> {
      if (request.path.find("continue=") != std::string::npos) {
        return json_response(410, make_status(410, "Expired", "continue token expired"));
      }
      Json page = {{"kind", "List"}, {"metadata", Json::object()}, {"items", {config_map("a")}}};
      if (request.path.find("limit=") != std::string::npos) {
        page["metadata"]["continue"] = "t";
      }
      return json_response(200, page);
    });
    Client client(fake);
    auto list = client.list(k_configmaps, {"", "", 1});
    REQUIRE_MESSAGE(list.has_value(), list.error().message);
    CHECK((*list)["items"].size() == 1);
    auto requests = fake->requests();
    REQUIRE(requests.size() == 3);
    CHECK(requests[2].path == "/api/v1/namespaces/ns/configmaps");
  }

  TEST_CASE("watch resumes from the last resourceVersion after the stream ends") {
    int streams = 0;
    auto fake = std::make_shared<FakeTransport>([&](const Request&) -> Result<Response> {
      ++streams;
      if (streams == 1) {
        Json bookmark = {{"kind", "ConfigMap"}, {"metadata", {{"resourceVersion", "7"}}}};
        return Response{
            200, event_line("ADDED", config_map("a", "5")) + event_line("BOOKMARK", bookmark), {}};
      }
      if (streams == 2) {
        return std::unexpected(Error{"connection reset", "Transport", 0});
      }
      return Response{200, event_line("MODIFIED", config_map("a", "9")), {}};
    });
    Client client(fake);
    std::vector<std::string> seen;
    WatchOptions options;
    options.backoff.initial = std::chrono::milliseconds(10); // a short pause between the streams
    auto end = client.watch(k_configmaps.with_name("a"), options, [&](const WatchEvent& event) {
      seen.push_back(event.type + "@" +
                     event.object["metadata"]["resourceVersion"].get<std::string>());
      return seen.size() == 2 ? StreamControl::stop : StreamControl::proceed;
    });
    REQUIRE_MESSAGE(end.has_value(), end.error().message);
    CHECK(*end == WatchEnd::stopped);
    CHECK(seen == std::vector<std::string>{"ADDED@5", "MODIFIED@9"});
    auto requests = fake->requests();
    REQUIRE(requests.size() == 3);
    CHECK(requests[0].path.find("resourceVersion") == std::string::npos);
    CHECK(requests[0].path.find("fieldSelector=metadata.name%3Da") != std::string::npos);
    CHECK(requests[1].path.find("resourceVersion=7") != std::string::npos); // the bookmark's
    CHECK(requests[2].path.find("resourceVersion=7") != std::string::npos);
  }

  TEST_CASE("watch on 410 Gone reports Expired or relists") {
    auto fake = std::make_shared<FakeTransport>([](const Request& request) -> Result<Response> {
      if (request.verb == Verb::list) {
        return json_response(
            200,
            {{"kind", "ConfigMapList"},
             {"apiVersion", "v1"},
             {"metadata", {{"resourceVersion", "50"}}},
             {"items", {{{"metadata", {{"name", "fresh"}, {"resourceVersion", "49"}}}}}}});
      }
      if (request.path.find("resourceVersion=3") != std::string::npos) {
        return Response{
            200, event_line("ERROR", make_status(410, "Expired", "too old resource version")), {}};
      }
      return Response{200, event_line("MODIFIED", config_map("fresh", "51")), {}};
    });
    Client client(fake);
    WatchOptions options;
    options.resource_version = "3";

    SUBCASE("report") {
      auto end = client.watch(
          k_configmaps, options, [](const WatchEvent&) { return StreamControl::proceed; });
      REQUIRE_FALSE(end.has_value());
      CHECK(is_expired(end.error()));
    }
    SUBCASE("relist") {
      options.on_gone = OnGone::relist;
      std::vector<std::string> seen;
      auto end = client.watch(k_configmaps, options, [&](const WatchEvent& event) {
        seen.push_back(event.type + ":" + event.object["kind"].get<std::string>());
        return seen.size() == 2 ? StreamControl::stop : StreamControl::proceed;
      });
      REQUIRE_MESSAGE(end.has_value(), end.error().message);
      CHECK(seen == std::vector<std::string>{"ADDED:ConfigMap", "MODIFIED:ConfigMap"});
      auto requests = fake->requests();
      CHECK(requests.back().path.find("resourceVersion=50") != std::string::npos);
    }
  }

  TEST_CASE("watch gives up at its timeout") {
    auto fake = std::make_shared<FakeTransport>([](const Request&) -> Result<Response> {
      return Response{200, "", {}}; // the server closes every stream at once
    });
    Client client(fake);
    WatchOptions options;
    options.timeout = std::chrono::milliseconds(300);
    auto end = client.watch(
        k_configmaps, options, [](const WatchEvent&) { return StreamControl::proceed; });
    REQUIRE(end.has_value());
    CHECK(*end == WatchEnd::timed_out);
    CHECK(fake->requests().front().path.find("timeoutSeconds=1") != std::string::npos);
  }

  TEST_CASE("discovery maps kinds to resources, once per client") {
    auto fake = std::make_shared<FakeTransport>([](const Request& request) -> Result<Response> {
      if (request.path == "/apis/apps/v1") {
        return json_response(
            200,
            {{"resources",
              {{{"name", "deployments"}, {"kind", "Deployment"}, {"namespaced", true}},
               {{"name", "deployments/scale"}, {"kind", "Scale"}, {"namespaced", true}}}}});
      }
      if (request.path == "/apis") {
        return json_response(
            200, {{"groups", {{{"name", "apps"}, {"preferredVersion", {{"version", "v1"}}}}}}});
      }
      return Response{404, "404 page not found", {}};
    });
    Client client(fake, "team-a");
    auto resource = client.resolve_kind("apps/v1", "Deployment");
    REQUIRE_MESSAGE(resource.has_value(), resource.error().message);
    CHECK(resource->resource == "deployments");
    CHECK(resource->namespaced);
    auto ref = client.ref_for(
        {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"metadata", {{"name", "web"}}}});
    REQUIRE(ref.has_value());
    CHECK(ref->path() == "/apis/apps/v1/namespaces/team-a/deployments/web");
    CHECK(fake->requests().size() == 1);

    auto unknown = client.resolve_kind("apps/v1", "Scale");
    REQUIRE_FALSE(unknown.has_value());
    CHECK(is_not_found(unknown.error()));
    auto no_group = client.resolve_kind("example.io/v1", "Thing");
    REQUIRE_FALSE(no_group.has_value());
    CHECK(no_group.error().message.find("does not serve API version \"example.io/v1\"") !=
          std::string::npos);
    auto version = client.preferred_version("apps");
    REQUIRE(version.has_value());
    CHECK(*version == "v1");
  }

  TEST_CASE("dry-run passes reads through and answers writes without sending them") {
    Json existing = config_map("existing");
    existing["data"] = {{"a", "1"}, {"b", "2"}};
    auto inner = std::make_shared<FakeTransport>([&](const Request& request) -> Result<Response> {
      if (request.path.ends_with("/existing")) {
        return json_response(200, existing);
      }
      if (request.verb == Verb::list) {
        return json_response(200, {{"kind", "ConfigMapList"}, {"items", {existing}}});
      }
      return json_response(404, make_status(404, "NotFound", "not found"));
    });
    std::vector<std::string> printed;
    auto dry_run = std::make_shared<DryRunTransport>(
        inner, [&](const RecordedWrite& write) { printed.push_back(describe_write(write)); });
    Client client(dry_run);

    auto created = client.create(k_configmaps, config_map("fresh"));
    REQUIRE_MESSAGE(created.has_value(), created.error().message);
    CHECK((*created)["metadata"]["name"] == "fresh");
    auto again = client.create(k_configmaps, config_map("existing"));
    REQUIRE_FALSE(again.has_value());
    CHECK(is_already_exists(again.error()));

    auto patched = client.patch(k_configmaps.with_name("existing"),
                                PatchType::merge,
                                {{"data", {{"a", nullptr}, {"c", "3"}}}});
    REQUIRE_MESSAGE(patched.has_value(), patched.error().message);
    CHECK((*patched)["data"] == Json{{"b", "2"}, {"c", "3"}});
    auto json_patched =
        client.patch(k_configmaps.with_name("existing"),
                     PatchType::json,
                     Json::array({{{"op", "add"}, {"path", "/data/d"}, {"value", "4"}}}));
    REQUIRE(json_patched.has_value());
    CHECK((*json_patched)["data"]["d"] == "4");

    // Later reads in the same run see the run's own writes.
    auto fresh = client.get(k_configmaps.with_name("fresh"));
    REQUIRE(fresh.has_value());
    CHECK(fresh->has_value());
    auto removed = client.remove(k_configmaps.with_name("existing"));
    REQUIRE(removed.has_value());
    CHECK(*removed == DeleteOutcome::deleted);
    auto gone = client.get(k_configmaps.with_name("existing"));
    REQUIRE(gone.has_value());
    CHECK_FALSE(gone->has_value());
    auto absent = client.remove(k_configmaps.with_name("never-was"));
    REQUIRE(absent.has_value());
    CHECK(*absent == DeleteOutcome::not_found);

    REQUIRE(client.list(k_configmaps).has_value());

    for (const auto& request : inner->requests()) {
      CHECK_FALSE(is_write(request.verb)); // nothing but reads reached the server
    }
    CHECK(dry_run->writes().size() == 6);
    REQUIRE(!printed.empty());
    CHECK(printed[0] == "[dry-run] would CREATE v1 configmaps ns/fresh");
    CHECK(printed.back() == "[dry-run] would DELETE v1 configmaps ns/never-was");
  }

  TEST_CASE("dry-run: a read that fails is an error, never an empty cluster (issue 20)") {
    // A dry run answered "not found" and "no items" when the server could not be reached, so
    // deinit --dry-run against a server that never answered planned nothing and reported
    // "Nothing left of Karmada", exit 0.
    auto inner = std::make_shared<FakeTransport>([](const Request&) -> Result<Response> {
      return std::unexpected(
          Error{"the server accepted the connection but sent nothing for 30s", "Transport", 0});
    });
    Client client(std::make_shared<DryRunTransport>(inner));
    auto got = client.get(k_configmaps.with_name("x"));
    REQUIRE_FALSE(got.has_value());
    CHECK(is_transport(got.error()));
    auto list = client.list(k_configmaps);
    REQUIRE_FALSE(list.has_value());
    CHECK(is_transport(list.error()));
    // A write reads the object first (create or update?); without the answer there is no answer.
    auto applied = client.apply(k_configmaps, config_map("x"));
    REQUIRE_FALSE(applied.has_value());
    CHECK(is_transport(applied.error()));
    auto removed = client.remove(k_configmaps.with_name("x"));
    REQUIRE_FALSE(removed.has_value());
    CHECK(is_transport(removed.error()));
    for (const auto& request : inner->requests()) {
      CHECK_FALSE(is_write(request.verb)); // and still nothing but reads were sent
    }
  }

  TEST_CASE("a line that is not a watch event ends the watch with an error (issue 20)") {
    // A server (or proxy) that answers a watch with a plain List and closes: the List was taken
    // for an event, so the watch reconnected at once, 11,250 times in 10 s.
    std::string line;
    std::string expected;
    SUBCASE("a List") {
      line = Json{{"kind", "ClusterList"},
                  {"apiVersion", "cluster.karmada.io/v1alpha1"},
                  {"metadata", {{"resourceVersion", "5"}}},
                  {"items", Json::array({config_map("a")})}}
                 .dump();
      expected = "the server sent a ClusterList where a watch event belongs";
    }
    SUBCASE("an event without its object") {
      line = R"({"type":"ADDED"})";
      expected = "the server sent a JSON object where a watch event belongs";
    }
    SUBCASE("an unknown type") {
      line = Json{{"type", "CHANGED"}, {"object", config_map("a")}}.dump();
      expected = "where a watch event belongs";
    }
    SUBCASE("an object that is a string") {
      line = R"({"type":"ADDED","object":"a"})";
      expected = "where a watch event belongs";
    }
    SUBCASE("an array") {
      line = "[1,2]";
      expected = "the server sent a JSON array where a watch event belongs";
    }
    auto fake = std::make_shared<FakeTransport>([&](const Request&) -> Result<Response> {
      return Response{200, line + "\n", {}};
    });
    Client client(fake);
    int seen = 0;
    WatchOptions options;
    options.timeout = std::chrono::seconds(2);
    auto end = client.watch(k_configmaps, options, [&](const WatchEvent&) {
      ++seen;
      return StreamControl::proceed;
    });
    REQUIRE_FALSE(end.has_value());
    CHECK_MESSAGE(end.error().message.find(expected) != std::string::npos, end.error().message);
    CHECK(seen == 0);
    CHECK(fake->requests().size() == 1);
  }

  TEST_CASE("a watch whose streams end at once reconnects after a growing pause, whatever "
            "they held (issue 20)") {
    // Each stream holds one good event and ends: it was resumed at once, thousands of times a
    // second. Only a stream that lasted (k_watch_healthy_stream) and held events is resumed at
    // once.
    std::atomic<int> streams = 0;
    auto fake = std::make_shared<FakeTransport>([&](const Request&) -> Result<Response> {
      ++streams;
      return Response{200, event_line("MODIFIED", config_map("a", "7")), {}};
    });
    Client client(fake);
    WatchOptions options;
    options.timeout = std::chrono::milliseconds(1600);
    auto started = std::chrono::steady_clock::now();
    int events = 0;
    auto end = client.watch(k_configmaps, options, [&](const WatchEvent&) {
      ++events;
      return StreamControl::proceed;
    });
    REQUIRE_MESSAGE(end.has_value(), end.error().message);
    CHECK(*end == WatchEnd::timed_out);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(3));
    // Streams at about 0, 0.5 and 1.5 s (delays of 500 ms, then 1 s, up to 20% longer).
    CHECK_MESSAGE(streams <= 4, streams.load(), " streams in 1.6 s");
    CHECK(streams >= 2);
    CHECK(events == streams);
    // Each resumed from the resourceVersion the last one reached.
    CHECK(fake->requests().back().path.find("resourceVersion=7") != std::string::npos);
  }

  TEST_CASE("wait_for_object against a server that closes its watches at once asks a few "
            "times, not thousands (issue 20)") {
    // init's readiness wait (flow::wait_ready) sent up to 14,854 requests in 5 s.
    Json pending = config_map("a", "7");
    pending["data"] = {{"ready", "no"}};
    std::string answer;
    std::atomic<int> requests = 0;
    auto fake = std::make_shared<FakeTransport>([&](const Request& request) -> Result<Response> {
      ++requests;
      if (request.verb == Verb::get) {
        return json_response(200, pending);
      }
      return Response{200, answer, {}};
    });
    Client client(fake);
    auto check = [](const std::optional<Json>& seen) -> Result<std::optional<std::string>> {
      if (seen && seen->value("/data/ready"_json_pointer, "") == "yes") {
        return std::optional<std::string>();
      }
      return std::optional<std::string>("not ready");
    };
    auto started = std::chrono::steady_clock::now();
    SUBCASE("the watch is answered with the List") {
      answer = Json{{"kind", "ConfigMapList"},
                    {"metadata", {{"resourceVersion", "7"}}},
                    {"items", Json::array({pending})}}
                   .dump() +
               "\n";
      auto outcome =
          wait_for_object(client, k_configmaps.with_name("a"), std::chrono::seconds(5), check);
      REQUIRE_FALSE(outcome.has_value());
      CHECK_MESSAGE(outcome.error().message.find("ConfigMapList where a watch event belongs") !=
                        std::string::npos,
                    outcome.error().message);
      CHECK(requests == 2); // the read, one watch
    }
    SUBCASE("each watch sends the object, still not ready, and ends") {
      answer = event_line("MODIFIED", pending);
      auto outcome = wait_for_object(
          client, k_configmaps.with_name("a"), std::chrono::milliseconds(1600), check);
      REQUIRE(outcome.has_value());
      CHECK(std::holds_alternative<WaitTimeout>(*outcome));
      CHECK_MESSAGE(requests <= 5, requests.load(), " requests in 1.6 s");
    }
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(4));
  }

  TEST_CASE("the watch backoff grows by its factor up to its maximum, with bounded jitter") {
    CHECK(k_watch_backoff.initial == std::chrono::milliseconds(500));
    CHECK(k_watch_backoff.max == std::chrono::seconds(30));
    CHECK(k_watch_backoff.factor == 2.0);
    Backoff exact({std::chrono::milliseconds(100), std::chrono::milliseconds(700), 2.0, 0.0});
    std::vector<long> delays;
    for (int i = 0; i < 6; ++i) {
      delays.push_back(static_cast<long>(exact.next().count()));
    }
    CHECK(delays == std::vector<long>{100, 200, 400, 700, 700, 700});
    exact.reset();
    CHECK(exact.next() == std::chrono::milliseconds(100));

    Backoff jittered({std::chrono::milliseconds(1000), std::chrono::milliseconds(4000), 2.0, 0.2});
    for (long base : {1000L, 2000L, 4000L, 4000L}) {
      long delay = static_cast<long>(jittered.next().count());
      CHECK(delay >= base);
      CHECK(delay <= base + base / 5);
    }
  }

  TEST_CASE("a stream that lasted and held events is resumed at once") {
    std::atomic<int> streams = 0;
    auto fake = std::make_shared<FakeTransport>([&](const Request&) -> Result<Response> {
      ++streams;
      return Response{200, event_line("MODIFIED", config_map("a", "7")), {}};
    });
    Client client(fake);
    WatchOptions options;
    options.healthy_stream = std::chrono::milliseconds(0); // every stream counts as long enough
    int events = 0;
    auto started = std::chrono::steady_clock::now();
    auto end = client.watch(k_configmaps, options, [&](const WatchEvent&) {
      return ++events == 5 ? StreamControl::stop : StreamControl::proceed;
    });
    REQUIRE_MESSAGE(end.has_value(), end.error().message);
    CHECK(streams == 5);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(400));
  }

  TEST_CASE("log redaction") {
    Request secret;
    secret.ref = ResourceRef{"", "v1", "secrets", "ns", "s", ""};
    CHECK(has_sensitive_body(secret));
    Request token;
    token.ref = ResourceRef{"", "v1", "serviceaccounts", "ns", "sa", "token"};
    CHECK(has_sensitive_body(token));
    Request csr;
    csr.path = "/apis/certificates.k8s.io/v1/certificatesigningrequests/x";
    CHECK(has_sensitive_body(csr));
    Request raw_secret;
    raw_secret.path = "/api/v1/namespaces/ns/secrets?limit=1";
    CHECK(has_sensitive_body(raw_secret));
    Request pods;
    pods.ref = ResourceRef{"", "v1", "pods", "ns", "", ""};
    pods.path = pods.ref.path();
    CHECK_FALSE(has_sensitive_body(pods));
    CHECK(mask_header("Authorization", "Bearer abc.def") == "Bearer <masked>");
    CHECK(mask_header("authorization", "Basic dXNlcjpwYXNz") == "Basic <masked>");
    CHECK(mask_header("Accept", "application/json") == "application/json");
  }

} // TEST_SUITE
