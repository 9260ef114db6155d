// Client discovery: kind → resource and scope from /api/v1 and /apis/<group>/<version>, cached
// in memory and, when attached, in kubectl's disk cache.
#include "kube/client.hpp"
#include "util/json_parse.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <mutex>

namespace kctl::kube {

struct Client::Discovery {
  std::mutex mutex;
  std::map<std::string, std::vector<ApiResource>> resources; // by group/version
  std::optional<Json> groups;                                // the /apis document
  std::shared_ptr<DiscoveryCache> cache;                     // null: no disk cache
  // /api as the server answered it, kept until /apis is read so that servergroups.json (which
  // holds both) is written without asking for /api twice.
  std::optional<Json> api_versions;
};

namespace {

// Aggregated discovery (apidiscovery.k8s.io/v2, Kubernetes 1.30 and later): every group, version
// and resource in one answer instead of one request per group version. Servers without it answer
// with the plain APIGroupList.
constexpr std::string_view k_aggregated_discovery_accept =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";

// "v1" for "/api/v1", "apps/v1" for "/apis/apps/v1"; nullopt for any other path.
std::optional<std::string>
group_version_of(std::string_view path) {
  for (std::string_view prefix : {std::string_view("/api/"), std::string_view("/apis/")}) {
    if (!path.starts_with(prefix)) {
      continue;
    }
    std::string_view rest = path.substr(prefix.size());
    auto slashes = std::count(rest.begin(), rest.end(), '/');
    bool core = prefix == "/api/";
    if (!rest.empty() && slashes == (core ? 0 : 1)) {
      return std::string(rest);
    }
  }
  return std::nullopt;
}

std::string
discovery_path(const std::string& group_version) {
  return group_version.find('/') == std::string::npos ? "/api/" + group_version
                                                      : "/apis/" + group_version;
}

std::vector<ApiResource>
parse_resource_list(const Json& document, const std::string& group_version) {
  auto [group, version] = split_api_version(group_version);
  std::vector<ApiResource> out;
  for (const auto& item : document.value("resources", Json::array())) {
    std::string name = item.value("name", "");
    if (name.empty() || name.find('/') != std::string::npos) {
      continue; // subresources such as deployments/status
    }
    out.push_back(
        ApiResource{group, version, name, item.value("kind", ""), item.value("namespaced", false)});
  }
  return out;
}

Error
not_served(std::string message) {
  return Error{std::move(message), std::string(reason::not_found), 404};
}

} // namespace

std::shared_ptr<Client::Discovery>
Client::new_discovery() {
  return std::make_shared<Discovery>();
}

void
Client::use_discovery_cache(std::shared_ptr<DiscoveryCache> cache) {
  std::lock_guard lock(m_discovery->mutex);
  m_discovery->cache = std::move(cache);
}

std::shared_ptr<DiscoveryCache>
Client::discovery_cache() const {
  std::lock_guard lock(m_discovery->mutex);
  return m_discovery->cache;
}

bool
Client::discovery_fresh() const {
  std::shared_ptr<DiscoveryCache> cache = discovery_cache();
  return !cache || cache->fresh();
}

void
Client::invalidate_discovery() const {
  std::lock_guard lock(m_discovery->mutex);
  m_discovery->resources.clear();
  m_discovery->groups.reset();
  m_discovery->api_versions.reset();
  if (m_discovery->cache) {
    m_discovery->cache->invalidate();
  }
}

Result<Json>
Client::fetch_discovery(std::string_view path) const {
  Request request;
  request.verb = Verb::raw_get;
  request.path = std::string(path);
  if (path == "/apis") {
    request.accept = std::string(k_aggregated_discovery_accept);
  }
  KCTL_TRY_ASSIGN(Response response, with_context(call(std::move(request)), "discovery"));
  if (response.status < 200 || response.status >= 300) {
    return std::unexpected(error_from_response(response).with_context("discovery"));
  }
  auto document = json::parse(response.body);
  if (!document) {
    return failf("discovery of {}: the server's answer: {}", path, document.error().message);
  }
  return document;
}

Result<Json>
Client::discovery_document(std::string_view path) const {
  std::shared_ptr<DiscoveryCache> cache = discovery_cache();
  if (!cache) {
    return fetch_discovery(path);
  }
  if (path == "/api") {
    return cached_api_versions(*cache);
  }
  if (path == "/apis") {
    return cached_api_groups(*cache);
  }
  if (auto group_version = group_version_of(path)) {
    return cached_resources(*cache, *group_version);
  }
  return fetch_discovery(path);
}

Result<Json>
Client::cached_api_versions(DiscoveryCache& cache) const {
  if (auto groups = cache.server_groups()) {
    return api_versions_of(*groups);
  }
  KCTL_TRY_ASSIGN(Json versions, fetch_discovery("/api"));
  std::lock_guard lock(m_discovery->mutex);
  m_discovery->api_versions = versions;
  return versions;
}

Result<Json>
Client::cached_api_groups(DiscoveryCache& cache) const {
  if (auto groups = cache.server_groups()) {
    return api_groups_of(*groups);
  }
  KCTL_TRY_ASSIGN(Json answer, fetch_discovery("/apis"));
  std::optional<Json> versions;
  {
    std::lock_guard lock(m_discovery->mutex);
    versions = m_discovery->api_versions;
  }
  if (!versions) {
    auto fetched = fetch_discovery("/api");
    if (!fetched) {
      // Without the core group the cache would be wrong for kubectl; the answer still serves.
      return answer;
    }
    versions = std::move(*fetched);
  }
  SplitDiscovery split = discovery_to_cache(*versions, answer);
  for (const auto& [group_version, list] : split.resources) {
    cache.store_server_resources(group_version, list);
  }
  cache.store_server_groups(split.group_list);
  return answer;
}

Result<Json>
Client::cached_resources(DiscoveryCache& cache, const std::string& group_version) const {
  if (auto list = cache.server_resources(group_version)) {
    return std::move(*list);
  }
  KCTL_TRY_ASSIGN(Json list, fetch_discovery(discovery_path(group_version)));
  cache.store_server_resources(group_version, list);
  return list;
}

Result<std::vector<ApiResource>>
Client::resources_of(const std::string& group_version) const {
  {
    std::lock_guard lock(m_discovery->mutex);
    if (auto it = m_discovery->resources.find(group_version); it != m_discovery->resources.end()) {
      return it->second;
    }
  }
  // Fetched outside the lock so other threads' requests are not held up; a rare double fetch
  // is harmless.
  auto document = discovery_document(discovery_path(group_version));
  if (!document && document.error().http_status == 404) {
    return std::unexpected(
        not_served(fmt::format("the server does not serve API version \"{}\"", group_version)));
  }
  if (!document) {
    return std::unexpected(document.error());
  }
  std::vector<ApiResource> resources = parse_resource_list(*document, group_version);
  std::lock_guard lock(m_discovery->mutex);
  m_discovery->resources[group_version] = resources;
  return resources;
}

Result<ApiResource>
Client::resolve_kind(std::string_view api_version, std::string_view kind) const {
  auto found = find_kind(api_version, kind);
  if (!found && found.error().reason == reason::not_found && !discovery_fresh()) {
    // kubectl's rule: what older cache files do not know may be new; look once more, afresh.
    invalidate_discovery();
    return find_kind(api_version, kind);
  }
  return found;
}

Result<ApiResource>
Client::find_kind(std::string_view api_version, std::string_view kind) const {
  KCTL_TRY_ASSIGN(std::vector<ApiResource> resources, resources_of(std::string(api_version)));
  for (const auto& resource : resources) {
    if (resource.kind == kind) {
      return resource;
    }
  }
  return std::unexpected(
      not_served(fmt::format("no matches for kind \"{}\" in version \"{}\"", kind, api_version)));
}

Result<ResourceRef>
Client::ref_for(const Json& object) const {
  std::string api_version = object.value("apiVersion", "");
  std::string kind = object.value("kind", "");
  if (api_version.empty() || kind.empty()) {
    return fail("the object has no apiVersion or kind");
  }
  KCTL_TRY_ASSIGN(ApiResource resource, resolve_kind(api_version, kind));
  std::string namespace_name = object.value("/metadata/namespace"_json_pointer, std::string{});
  if (namespace_name.empty()) {
    namespace_name = m_default_namespace;
  }
  return resource.ref(namespace_name, object.value("/metadata/name"_json_pointer, std::string{}));
}

Result<std::string>
Client::preferred_version(std::string_view group) const {
  if (group.empty()) {
    return std::string("v1");
  }
  std::optional<Json> groups;
  {
    std::lock_guard lock(m_discovery->mutex);
    groups = m_discovery->groups;
  }
  if (!groups) {
    KCTL_TRY_ASSIGN(std::string body, with_context(get_raw("/apis"), "discovery"));
    auto parsed = json::parse(body);
    if (!parsed) {
      return failf("discovery of /apis: the server's answer: {}", parsed.error().message);
    }
    groups = std::move(*parsed);
    std::lock_guard lock(m_discovery->mutex);
    m_discovery->groups = groups;
  }
  for (const auto& entry : groups->value("groups", Json::array())) {
    if (entry.value("name", "") == group) {
      return entry.value("/preferredVersion/version"_json_pointer, std::string{});
    }
  }
  return std::unexpected(
      not_served(fmt::format("the server does not serve API group \"{}\"", group)));
}

} // namespace kctl::kube
