// kubectl's discovery disk cache: the directory name rule, the files in client-go's layout and
// shape, the six-hour TTL by mtime, misses for corrupt or oversized files, and the client's use of
// it: a fresh cache answers without /api or /apis requests, a stale one is re-read, and a type
// that cache files from an earlier run do not know causes exactly one re-read.
#include "kube/discovery_cache.hpp"
#include "kube/fake_transport.hpp"
#include "kube/resource_names.hpp"
#include "responses.hpp"
#include "testutil.hpp"
#include "util/fs.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <atomic>
#include <fstream>
#include <memory>
#include <string>

using namespace kctl;
using namespace kctl::kube;

namespace {

using kctl::test::json_response;

Json
legacy_resource(const std::string& name, const std::string& kind, bool namespaced) {
  return {{"name", name},
          {"singularName", ""},
          {"namespaced", namespaced},
          {"kind", kind},
          {"verbs", {"get", "list"}}};
}

Json
aggregated_resource(const std::string& name, const std::string& kind, bool namespaced) {
  return {{"resource", name},
          {"responseKind", {{"group", ""}, {"version", ""}, {"kind", kind}}},
          {"scope", namespaced ? "Namespaced" : "Cluster"},
          {"singularResource", ""},
          {"verbs", {"get", "list"}},
          {"subresources",
           {{{"subresource", "status"},
             {"responseKind", {{"group", ""}, {"version", ""}, {"kind", kind}}},
             {"verbs", {"get", "patch"}}}}}};
}

// A server with the core group (pods), apps/v1 (deployments) and, once `widgets` is set,
// example.io/v1 (widgets); aggregated discovery or the legacy walk.
struct Server {
  bool aggregated = true;
  std::shared_ptr<std::atomic<bool>> widgets = std::make_shared<std::atomic<bool>>(false);

  Json groups() const {
    Json list = {{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", Json::array()}};
    auto add = [&](const std::string& group, const std::string& version) {
      Json entry = {{"groupVersion", group + "/" + version}, {"version", version}};
      list["groups"].push_back(
          {{"name", group}, {"versions", {entry}}, {"preferredVersion", entry}});
    };
    add("apps", "v1");
    if (*widgets) {
      add("example.io", "v1");
    }
    return list;
  }

  Json aggregated_groups() const {
    auto group = [](const std::string& name, const Json& resource) {
      return Json{{"metadata", {{"name", name}}},
                  {"versions", {{{"version", "v1"}, {"resources", {resource}}}}}};
    };
    Json items = {group("apps", aggregated_resource("deployments", "Deployment", true))};
    if (*widgets) {
      items.push_back(group("example.io", aggregated_resource("widgets", "Widget", false)));
    }
    return {{"kind", "APIGroupDiscoveryList"},
            {"apiVersion", "apidiscovery.k8s.io/v2"},
            {"items", items}};
  }

  Result<Response> answer(const Request& request) const {
    if (request.path == "/api") {
      return json_response(200, {{"kind", "APIVersions"}, {"versions", {"v1"}}});
    }
    if (request.path == "/api/v1") {
      return json_response(
          200,
          {{"kind", "APIResourceList"},
           {"groupVersion", "v1"},
           {"resources",
            {legacy_resource("pods", "Pod", true), legacy_resource("pods/log", "Pod", true)}}});
    }
    if (request.path == "/apis") {
      bool wants_aggregated = request.accept.find("APIGroupDiscoveryList") != std::string::npos;
      return json_response(200, aggregated && wants_aggregated ? aggregated_groups() : groups());
    }
    if (request.path == "/apis/apps/v1") {
      return json_response(200,
                           {{"kind", "APIResourceList"},
                            {"groupVersion", "apps/v1"},
                            {"resources", {legacy_resource("deployments", "Deployment", true)}}});
    }
    if (request.path == "/apis/example.io/v1" && *widgets) {
      return json_response(200,
                           {{"kind", "APIResourceList"},
                            {"groupVersion", "example.io/v1"},
                            {"resources", {legacy_resource("widgets", "Widget", false)}}});
    }
    return json_response(404,
                         make_status(404, "NotFound", "the server could not find the resource"));
  }

  // A client as one run of the program makes it: its own transport and cache object over `dir`.
  std::pair<Client, std::shared_ptr<FakeTransport>> client(const std::filesystem::path& dir) const {
    Server copy = *this;
    auto fake = std::make_shared<FakeTransport>(
        [copy](const Request& request) { return copy.answer(request); });
    Client made(fake);
    made.use_discovery_cache(std::make_shared<DiscoveryCache>(dir));
    return {made, fake};
  }
};

std::size_t
discovery_requests(const FakeTransport& fake) {
  std::size_t count = 0;
  for (const auto& request : fake.requests()) {
    if (request.path == "/api" || request.path == "/apis" || request.path.starts_with("/api/") ||
        request.path.starts_with("/apis/")) {
      ++count;
    }
  }
  return count;
}

void
age_files(const std::filesystem::path& dir, std::chrono::hours by) {
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      std::filesystem::last_write_time(entry.path(),
                                       std::filesystem::file_time_type::clock::now() - by);
    }
  }
}

mode_t
mode_of(const std::filesystem::path& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return info.st_mode & 0777;
}

Json
read_json(const std::filesystem::path& path) {
  auto text = fs::read_file(path);
  REQUIRE_MESSAGE(text, (text ? "" : text.error().message));
  return Json::parse(*text);
}

// A cache directory one run of the program has filled, resolving "deployments".
struct FilledCache {
  test::TempDir tmp;
  std::filesystem::path dir = tmp / "d";
  Server server;
  std::pair<Client, std::shared_ptr<FakeTransport>> first_run = server.client(dir);
  Client& first = first_run.first;
  FakeTransport& first_fake = *first_run.second;
  std::size_t cold = 0; // the discovery requests of that run

  FilledCache() {
    REQUIRE(resolve_resource(first, "deployments"));
    cold = discovery_requests(first_fake);
  }
};

} // namespace

TEST_SUITE("kube.discovery_cache") {
  TEST_CASE("the directory name follows kubectl's rule") {
    struct Row {
      std::string server;
      std::optional<std::string> name;
    };
    const Row rows[] = {
        {"https://10.200.0.1:32443", "10.200.0.1_32443"},
        {"http://localhost:8080", "localhost_8080"},
        {"https://my-host.example.com:6443/", "my_host.example.com_6443"},
        {"https://10.0.0.1:6443/apis/cluster.karmada.io/v1alpha1/clusters/member1/proxy",
         "10.0.0.1_6443/apis/cluster.karmada.io/v1alpha1/clusters/member1/proxy"},
        {"https://[::1]:6443", "___1__6443"},
        {"https://h/a//b/./c", "h/a/b/c"},
        {"https://h(1)", "h(1)"},
        {"https://h\xc3\xa9:1", "h__1"}, // one character, one '_'
        {"https://h\xff", "h_"},         // an invalid byte, one '_'
        {"x-https://y", "x_y"},          // the first "https://" anywhere, as kubectl
        {"host_name:1", "host_name_1"},
        {"https://", std::nullopt},
        {"https://../etc", std::nullopt},
        {"https://a/../..", std::nullopt},
    };
    for (const auto& row : rows) {
      CAPTURE(row.server);
      CHECK(discovery_cache_dir_name(row.server) == row.name);
    }
    CHECK(discovery_cache_dir("/c", "https://10.0.0.1:6443") ==
          std::filesystem::path("/c/discovery/10.0.0.1_6443"));
    CHECK_FALSE(discovery_cache_dir("", "https://10.0.0.1:6443"));
  }

  TEST_CASE("the cache directory: $KUBECACHEDIR, else ~/.kube/cache, else none") {
    CHECK(default_cache_dir("/x/cache", "/home/u") == std::filesystem::path("/x/cache"));
    CHECK(default_cache_dir("", "/home/u") == std::filesystem::path("/home/u/.kube/cache"));
    CHECK(default_cache_dir("", "").empty());
  }

  TEST_CASE("aggregated discovery is cached as client-go caches it") {
    Json aggregated = Server{}.aggregated_groups();
    aggregated["items"].push_back(
        {{"metadata", {{"name", "metrics.k8s.io"}}},
         {"versions", {{{"version", "v1beta1"}, {"freshness", "Stale"}}}}});
    SplitDiscovery split = discovery_to_cache({{"versions", {"v1"}}}, aggregated);
    const Json& groups = split.group_list["groups"];
    CHECK(split.group_list["kind"] == "APIGroupList");
    REQUIRE(groups.size() == 3);
    CHECK(groups[0] == Json{{"name", ""},
                            {"versions", {{{"groupVersion", "v1"}, {"version", "v1"}}}},
                            {"preferredVersion", {{"groupVersion", "v1"}, {"version", "v1"}}}});
    CHECK(groups[1]["preferredVersion"]["groupVersion"] == "apps/v1");
    CHECK(groups[2]["versions"].empty()); // a stale version is not listed
    REQUIRE(split.resources.size() == 1);
    CHECK(split.resources[0].first == "apps/v1");
    const Json& resources = split.resources[0].second["resources"];
    REQUIRE(resources.size() == 2);
    CHECK(resources[0] == Json{{"name", "deployments"},
                               {"singularName", ""},
                               {"namespaced", true},
                               {"kind", "Deployment"},
                               {"verbs", {"get", "list"}}});
    CHECK(resources[1]["name"] == "deployments/status");
    CHECK(resources[1]["verbs"] == Json{"get", "patch"});
    CHECK(api_versions_of(split.group_list)["versions"] == Json{"v1"});
    CHECK(api_groups_of(split.group_list)["groups"].size() == 2);
  }

  TEST_CASE("a second run with a fresh cache sends no discovery request") {
    test::TempDir tmp;
    auto dir = tmp / "discovery" / "host_1";
    for (bool aggregated : {true, false}) {
      CAPTURE(aggregated);
      std::filesystem::remove_all(tmp / "discovery");
      Server server;
      server.aggregated = aggregated;
      auto [first, first_fake] = server.client(dir);
      REQUIRE(resolve_resource(first, "deployments"));
      auto cold = read_api_catalog(first);
      REQUIRE(cold);
      CHECK(discovery_requests(*first_fake) > 0);
      // client-go's files and modes, kubectl-readable.
      Json groups = read_json(dir / "servergroups.json");
      CHECK(groups["kind"] == "APIGroupList");
      CHECK(groups["groups"][0]["name"] == "");
      CHECK(read_json(dir / "apps/v1/serverresources.json")["groupVersion"] == "apps/v1");
      CHECK(read_json(dir / "v1/serverresources.json")["kind"] == "APIResourceList");
      CHECK(mode_of(dir / "servergroups.json") == 0660);
      CHECK(mode_of(dir / "apps/v1/serverresources.json") == 0660);
      CHECK(mode_of(dir / "apps/v1") == 0750);

      auto [second, second_fake] = server.client(dir);
      auto deployments = resolve_resource(second, "deployments.apps");
      REQUIRE(deployments);
      CHECK(deployments->kind == "Deployment");
      CHECK(deployments->namespaced);
      auto pods = resolve_resource(second, "po");
      REQUIRE_FALSE(pods); // no short name was served: the cached answer is the server's
      REQUIRE(resolve_resource(second, "pods"));
      auto kind = second.resolve_kind("apps/v1", "Deployment");
      REQUIRE(kind);
      CHECK(kind->resource == "deployments");
      auto warm = read_api_catalog(second);
      REQUIRE(warm);
      CHECK(warm->group_versions == cold->group_versions);
      CHECK(warm->preferred.size() == cold->preferred.size());
      // "po" was unknown to files of an earlier run: exactly one re-read, the rest from files.
      std::size_t after_reread = discovery_requests(*second_fake);
      auto [third, third_fake] = server.client(dir);
      REQUIRE(resolve_resource(third, "deployments"));
      REQUIRE(read_api_catalog(third));
      CHECK(discovery_requests(*third_fake) == 0);
      CHECK(after_reread > 0);
    }
  }

  TEST_CASE_FIXTURE(FilledCache, "a stale cache is read again from the server") {
    age_files(dir, std::chrono::hours(7));
    auto [second, second_fake] = server.client(dir);
    REQUIRE(resolve_resource(second, "deployments"));
    CHECK(discovery_requests(*second_fake) == cold);
    // Rewritten by the re-read, so a third run is served from files again.
    auto [third, third_fake] = server.client(dir);
    REQUIRE(resolve_resource(third, "deployments"));
    CHECK(discovery_requests(*third_fake) == 0);
    // Five hours old is within the six-hour TTL.
    age_files(dir, std::chrono::hours(5));
    auto [fourth, fourth_fake] = server.client(dir);
    REQUIRE(resolve_resource(fourth, "deployments"));
    CHECK(discovery_requests(*fourth_fake) == 0);
  }

  TEST_CASE_FIXTURE(FilledCache,
                    "a type unknown to an earlier run's files is looked up once more") {
    // Unknown within the run that wrote the files: they are fresh, so no second look.
    auto missing = resolve_resource(first, "widgets");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().reason == "NotFound");
    CHECK(discovery_requests(first_fake) == cold);

    // A later run: the files are not its own, so an unknown type means one re-read.
    auto [second, second_fake] = server.client(dir);
    REQUIRE_FALSE(resolve_resource(second, "widgets"));
    std::size_t one_reread = discovery_requests(*second_fake);
    CHECK(one_reread == cold);
    // The re-read files are this run's own: no further re-read.
    REQUIRE_FALSE(resolve_resource(second, "widgets"));
    CHECK(discovery_requests(*second_fake) == one_reread);

    // The type appears on the server: a later run finds it through the re-read.
    *server.widgets = true;
    auto [third, third_fake] = server.client(dir);
    auto widgets = resolve_resource(third, "widgets");
    REQUIRE_MESSAGE(widgets, (widgets ? "" : widgets.error().message));
    CHECK(widgets->group == "example.io");
    CHECK_FALSE(widgets->namespaced);
    auto [fourth, fourth_fake] = server.client(dir);
    REQUIRE(fourth.resolve_kind("example.io/v1", "Widget"));
    CHECK(discovery_requests(*fourth_fake) == 0);
  }

  TEST_CASE_FIXTURE(FilledCache,
                    "a corrupt, malformed or oversized cache file is a miss, never an error") {
    const std::string bad_contents[] = {
        "{not json",
        R"({"kind":"APIGroupList","groups":[{"name":5}]})",
        R"({"kind":"APIResourceList","groups":[]})",
        std::string(k_max_discovery_cache_file_bytes + 1, ' '),
    };
    for (const auto& bad : bad_contents) {
      CAPTURE(bad.substr(0, 40));
      REQUIRE(fs::write_file_atomic(dir / "servergroups.json", bad, 0660));
      auto [next, next_fake] = server.client(dir);
      auto found = resolve_resource(next, "deployments");
      REQUIRE_MESSAGE(found, (found ? "" : found.error().message));
      CHECK(found->kind == "Deployment");
      // /apis and /api again; the core list still came from its file.
      CHECK(discovery_requests(*next_fake) == cold - 1);

      REQUIRE(fs::write_file_atomic(dir / "apps/v1/serverresources.json", bad, 0660));
      auto [other, other_fake] = server.client(dir);
      auto kind = other.resolve_kind("apps/v1", "Deployment");
      REQUIRE_MESSAGE(kind, (kind ? "" : kind.error().message));
      REQUIRE(other_fake->requests().size() == 1);
      CHECK(other_fake->requests()[0].path == "/apis/apps/v1");
    }
  }

  TEST_CASE("a file kubectl wrote is read") {
    test::TempDir tmp;
    auto dir = tmp / "d";
    REQUIRE(fs::write_file_atomic(
        dir / "servergroups.json",
        R"({"kind":"APIGroupList","apiVersion":"v1","groups":[{"name":"","versions":[{"groupVersion":"v1","version":"v1"}],"preferredVersion":{"groupVersion":"v1","version":"v1"}},{"name":"apps","versions":[{"groupVersion":"apps/v1","version":"v1"}],"preferredVersion":{"groupVersion":"apps/v1","version":"v1"}}]})",
        0660));
    REQUIRE(fs::write_file_atomic(
        dir / "apps/v1/serverresources.json",
        R"({"kind":"APIResourceList","apiVersion":"v1","groupVersion":"apps/v1","resources":[{"name":"daemonsets","singularName":"daemonset","namespaced":true,"kind":"DaemonSet","verbs":["create","get","list"],"shortNames":["ds"],"categories":["all"]},{"name":"daemonsets/status","singularName":"daemonset","namespaced":true,"kind":"DaemonSet","verbs":["get","patch","update"]},{"name":"deployments/scale","singularName":"deployment","namespaced":true,"group":"autoscaling","version":"v1","kind":"Scale","verbs":["get","patch","update"]}]})",
        0660));
    Server server;
    auto [client, fake] = server.client(dir);
    auto found = resolve_resource(client, "ds");
    REQUIRE_MESSAGE(found, (found ? "" : found.error().message));
    CHECK(found->resource == "daemonsets");
    CHECK(found->group == "apps");
    // The core list is not cached: only /api/v1 was asked for.
    REQUIRE(fake->requests().size() == 1);
    CHECK(fake->requests()[0].path == "/api/v1");
  }

  TEST_CASE_FIXTURE(
      FilledCache,
      "invalidate() ignores older files; an unusable cache directory only costs requests") {
    auto [second, second_fake] = server.client(dir);
    second.invalidate_discovery();
    REQUIRE(resolve_resource(second, "deployments"));
    CHECK(discovery_requests(*second_fake) == cold);
    CHECK(second.discovery_fresh());

    // A regular file where the directory should be: nothing can be written, nothing fails.
    REQUIRE(fs::write_file_atomic(tmp / "file", "x", 0600));
    for (int run = 1; run <= 2; ++run) {
      auto [client, fake] = server.client(tmp / "file" / "d");
      auto found = resolve_resource(client, "deployments");
      REQUIRE_MESSAGE(found, (found ? "" : found.error().message));
      CHECK(discovery_requests(*fake) == cold);
    }
  }

  TEST_CASE("without a disk cache discovery reads the server every time") {
    Server server;
    auto fake = std::make_shared<FakeTransport>(
        [server](const Request& request) { return server.answer(request); });
    Client client(fake);
    CHECK_FALSE(client.discovery_cache());
    CHECK(client.discovery_fresh());
    REQUIRE(resolve_resource(client, "deployments"));
    std::size_t once = fake->requests().size();
    REQUIRE(resolve_resource(client, "deployments"));
    CHECK(fake->requests().size() == 2 * once);
  }
}
