// Client discovery: kind → resource and scope from /api/v1 and /apis/<group>/<version>, cached.
#include "kube/client.hpp"
#include "util/json_parse.hpp"

#include <fmt/format.h>

#include <map>
#include <mutex>

namespace kctl::kube {

struct Client::Discovery {
  std::mutex mutex;
  std::map<std::string, std::vector<ApiResource>> resources; // by group/version
  std::optional<Json> groups;                                // the /apis document
};

namespace {

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
  auto body = get_raw(discovery_path(group_version));
  if (!body && body.error().http_status == 404) {
    return std::unexpected(
        not_served(fmt::format("the server does not serve API version \"{}\"", group_version)));
  }
  if (!body) {
    return std::unexpected(body.error().with_context("discovery"));
  }
  auto document = json::parse(*body);
  if (!document) {
    return failf(
        "discovery of {}: the server's answer: {}", group_version, document.error().message);
  }
  std::vector<ApiResource> resources = parse_resource_list(*document, group_version);
  std::lock_guard lock(m_discovery->mutex);
  m_discovery->resources[group_version] = resources;
  return resources;
}

Result<ApiResource>
Client::resolve_kind(std::string_view api_version, std::string_view kind) const {
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
