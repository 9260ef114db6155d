#include "kube/resource_names.hpp"

#include "kube/api_error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <utility>

namespace kctl::kube {

namespace {

std::string
ascii_lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return out;
}

// The strings of the array `key` of `item` (shortNames, verbs, categories); other values skipped.
std::vector<std::string>
strings_of(const Json& item, const char* key) {
  std::vector<std::string> out;
  auto found = item.find(key);
  if (found == item.end() || !found->is_array()) {
    return out;
  }
  for (const auto& value : *found) {
    if (value.is_string()) {
      out.push_back(value.get<std::string>());
    }
  }
  return out;
}

bool
looks_like_version(std::string_view text) {
  return text.size() >= 2 && text[0] == 'v' && std::isdigit(static_cast<unsigned char>(text[1]));
}

// Discovery documents come through the client, which answers from kubectl's disk cache when one
// is attached.
Result<Json>
fetch(const Client& client, const std::string& path) {
  return client.discovery_document(path);
}

std::optional<ApiResource>
find_in(const std::vector<NamedResource>& resources, std::string_view name) {
  for (const auto& candidate : resources) {
    if (names_resource(candidate, name)) {
      return candidate.resource;
    }
  }
  return std::nullopt;
}

// /apis: aggregated discovery (apidiscovery.k8s.io/v2, Kubernetes 1.30 and later: every group,
// version and resource in one answer) where the server serves it, else the plain APIGroupList,
// which resolve_resource then walks group by group.
Result<Json>
fetch_groups(const Client& client) {
  return client.discovery_document("/apis");
}

// The resources of one version of an APIGroupDiscoveryList item, as named_resources() gives them.
std::vector<NamedResource>
discovered_resources(const Json& version_entry,
                     const std::string& group,
                     const std::string& version) {
  std::vector<NamedResource> out;
  for (const auto& item : version_entry.value("resources", Json::array())) {
    std::string name = item.value("resource", "");
    if (name.empty()) {
      continue;
    }
    NamedResource named;
    named.resource = ApiResource{group,
                                 version,
                                 name,
                                 item.value("/responseKind/kind"_json_pointer, std::string{}),
                                 item.value("scope", "") == "Namespaced"};
    named.singular = item.value("singularResource", "");
    named.short_names = strings_of(item, "shortNames");
    named.verbs = strings_of(item, "verbs");
    named.categories = strings_of(item, "categories");
    out.push_back(std::move(named));
  }
  return out;
}

} // namespace

std::vector<NamedResource>
named_resources(const Json& document, std::string_view group_version) {
  auto [group, version] = split_api_version(group_version);
  std::vector<NamedResource> out;
  for (const auto& item : document.value("resources", Json::array())) {
    std::string name = item.value("name", "");
    if (name.empty() || name.find('/') != std::string::npos) {
      continue;
    }
    NamedResource named;
    named.resource =
        ApiResource{group, version, name, item.value("kind", ""), item.value("namespaced", false)};
    named.singular = item.value("singularName", "");
    named.short_names = strings_of(item, "shortNames");
    named.verbs = strings_of(item, "verbs");
    named.categories = strings_of(item, "categories");
    out.push_back(std::move(named));
  }
  return out;
}

TypedName
split_typed_name(std::string_view typed) {
  TypedName out;
  std::string text = ascii_lower(typed);
  size_t dot = text.find('.');
  if (dot == std::string::npos) {
    out.name = text;
    return out;
  }
  out.name = text.substr(0, dot);
  std::string rest = text.substr(dot + 1);
  size_t next = rest.find('.');
  if (next != std::string::npos && looks_like_version(rest.substr(0, next))) {
    out.version = rest.substr(0, next);
    out.group = rest.substr(next + 1);
  } else {
    out.group = rest;
  }
  return out;
}

bool
names_resource(const NamedResource& candidate, std::string_view name) {
  std::string wanted = ascii_lower(name);
  if (candidate.resource.resource == wanted || ascii_lower(candidate.singular) == wanted ||
      ascii_lower(candidate.resource.kind) == wanted) {
    return true;
  }
  return std::any_of(
      candidate.short_names.begin(),
      candidate.short_names.end(),
      [&](const std::string& short_name) { return ascii_lower(short_name) == wanted; });
}

namespace {

// The resource `wanted` names in an aggregated discovery document: at each group's preferred
// version (or the version given), or with `preferred_only` false at its other versions.
std::optional<ApiResource>
find_in_aggregated(const Json& groups, const TypedName& wanted, bool preferred_only) {
  for (const auto& entry : groups.value("items", Json::array())) {
    std::string group = entry.value("/metadata/name"_json_pointer, std::string{});
    if (!wanted.group.empty() && group != wanted.group) {
      continue;
    }
    // Versions come in the server's order of preference.
    bool first = true;
    for (const auto& version_entry : entry.value("versions", Json::array())) {
      std::string version = version_entry.value("version", "");
      bool is_preferred = std::exchange(first, false);
      if (version.empty() || (!wanted.version.empty() && version != wanted.version) ||
          (wanted.version.empty() && is_preferred != preferred_only)) {
        continue;
      }
      if (auto found = find_in(discovered_resources(version_entry, group, version), wanted.name)) {
        return *found;
      }
    }
  }
  return std::nullopt;
}

// The same through the legacy /apis group list, one request per group version looked at.
std::optional<ApiResource>
find_in_legacy(const Client& client,
               const Json& groups,
               const TypedName& wanted,
               bool preferred_only) {
  for (const auto& entry : groups.value("groups", Json::array())) {
    std::string group = entry.value("name", "");
    if (!wanted.group.empty() && group != wanted.group) {
      continue;
    }
    std::string preferred = entry.value("/preferredVersion/version"_json_pointer, std::string{});
    std::vector<std::string> versions;
    if (!wanted.version.empty()) {
      versions.push_back(wanted.version);
    } else if (preferred_only) {
      versions.push_back(preferred);
    } else {
      for (const auto& version : entry.value("versions", Json::array())) {
        std::string name = version.value("version", "");
        if (name != preferred) {
          versions.push_back(name);
        }
      }
    }
    for (const auto& version : versions) {
      if (version.empty()) {
        continue;
      }
      std::string group_version = group + "/" + version;
      auto document = fetch(client, "/apis/" + group_version);
      if (!document) {
        // An aggregated API that is down must not hide the others (kubectl warns and goes on).
        continue;
      }
      if (auto found = find_in(named_resources(*document, group_version), wanted.name)) {
        return *found;
      }
    }
  }
  return std::nullopt;
}

Result<ApiResource>
resolve_once(const Client& client, std::string_view typed) {
  TypedName wanted = split_typed_name(typed);
  auto not_found = [&] {
    return std::unexpected(
        Error{fmt::format("the server doesn't have a resource type \"{}\"", typed),
              std::string(reason::not_found),
              404});
  };
  if (wanted.name.empty()) {
    return not_found();
  }
  if (wanted.group.empty() || wanted.group == "core") {
    KCTL_TRY_ASSIGN(
        Json core,
        fetch(client, "/api/" + (wanted.version.empty() ? std::string("v1") : wanted.version)));
    if (auto found = find_in(named_resources(core, wanted.version.empty() ? "v1" : wanted.version),
                             wanted.name)) {
      return *found;
    }
    if (wanted.group == "core") {
      return not_found();
    }
  }
  KCTL_TRY_ASSIGN(Json groups, fetch_groups(client));
  // kubectl's RESTMapper order: every group's preferred version first (groups in the server's
  // order), then the groups' other versions ("works" is only in work.karmada.io/v1alpha1, whose
  // preferred version is v1alpha2).
  for (bool preferred_only : {true, false}) {
    if (!wanted.version.empty() && !preferred_only) {
      break;
    }
    if (groups.value("kind", "") == "APIGroupDiscoveryList") {
      if (auto found = find_in_aggregated(groups, wanted, preferred_only)) {
        return *found;
      }
      continue;
    }
    if (auto found = find_in_legacy(client, groups, wanted, preferred_only)) {
      return *found;
    }
  }
  return not_found();
}

} // namespace

Result<ApiResource>
resolve_resource(const Client& client, std::string_view typed) {
  auto found = resolve_once(client, typed);
  if (!found && found.error().reason == reason::not_found && !client.discovery_fresh()) {
    // kubectl's rule: a type that cache files from an earlier run do not know may have been
    // added since; look once more with the server's current answer.
    client.invalidate_discovery();
    return resolve_once(client, typed);
  }
  return found;
}

namespace {

// Collects each resource once, as client-go's ServerPreferredResources does: a resource seen at
// one version is replaced only by its group's preferred version.
class PreferredResources {
public:
  void add(std::vector<NamedResource> resources, const std::string& preferred_version) {
    for (auto& named : resources) {
      std::string key = named.resource.group + "/" + named.resource.resource;
      auto seen = m_index.find(key);
      if (seen == m_index.end()) {
        m_index.emplace(key, m_resources.size());
        m_resources.push_back(std::move(named));
      } else if (named.resource.version == preferred_version) {
        m_resources[seen->second] = std::move(named);
      }
    }
  }
  std::vector<NamedResource> take() { return std::move(m_resources); }

private:
  std::vector<NamedResource> m_resources;
  std::map<std::string, std::size_t> m_index;
};

Status
read_core(const Client& client, ApiCatalog& catalog, PreferredResources& preferred) {
  KCTL_TRY_ASSIGN(Json versions, fetch(client, "/api"));
  std::vector<std::string> served = strings_of(versions, "versions");
  for (const auto& version : served) {
    catalog.group_versions.push_back(version);
    KCTL_TRY_ASSIGN(Json document, fetch(client, "/api/" + version));
    preferred.add(named_resources(document, version), served.front());
  }
  return {};
}

void
read_aggregated_groups(const Json& groups, ApiCatalog& catalog, PreferredResources& preferred) {
  for (const auto& entry : groups.value("items", Json::array())) {
    std::string group = entry.value("/metadata/name"_json_pointer, std::string{});
    const Json versions = entry.value("versions", Json::array()); // preferred first
    std::string preferred_version =
        versions.empty() ? std::string{} : versions.front().value("version", "");
    for (const auto& version_entry : versions) {
      std::string version = version_entry.value("version", "");
      if (group.empty() || version.empty()) {
        continue;
      }
      catalog.group_versions.push_back(group + "/" + version);
      if (version_entry.value("freshness", "") == "Stale") {
        // An aggregated API whose server is down: its document is out of date (kubectl's rule).
        catalog.unreadable.push_back(
            fmt::format("{0}/{1}: stale GroupVersion discovery: {0}/{1}", group, version));
        continue;
      }
      preferred.add(discovered_resources(version_entry, group, version), preferred_version);
    }
  }
}

void
read_legacy_groups(const Client& client,
                   const Json& groups,
                   ApiCatalog& catalog,
                   PreferredResources& preferred) {
  for (const auto& entry : groups.value("groups", Json::array())) {
    std::string preferred_version =
        entry.value("/preferredVersion/version"_json_pointer, std::string{});
    for (const auto& version_entry : entry.value("versions", Json::array())) {
      std::string group_version = version_entry.value("groupVersion", "");
      if (group_version.empty()) {
        continue;
      }
      catalog.group_versions.push_back(group_version);
      auto document = fetch(client, "/apis/" + group_version);
      if (!document) {
        // An aggregated API that is down must not hide the others (kubectl lists them and fails).
        catalog.unreadable.push_back(
            fmt::format("{}: {}", group_version, document.error().message));
        continue;
      }
      preferred.add(named_resources(*document, group_version), preferred_version);
    }
  }
}

} // namespace

Result<ApiCatalog>
read_api_catalog(const Client& client) {
  ApiCatalog catalog;
  PreferredResources preferred;
  KCTL_TRY(read_core(client, catalog, preferred));
  KCTL_TRY_ASSIGN(Json groups, fetch_groups(client));
  if (groups.value("kind", "") == "APIGroupDiscoveryList") {
    read_aggregated_groups(groups, catalog, preferred);
  } else {
    read_legacy_groups(client, groups, catalog, preferred);
  }
  catalog.preferred = preferred.take();
  return catalog;
}

std::string
kind_with_group(const ApiResource& resource) {
  std::string kind = ascii_lower(resource.kind);
  return resource.group.empty() ? kind : kind + "." + resource.group;
}

std::string
resource_with_group(const ApiResource& resource) {
  return resource.group.empty() ? resource.resource : resource.resource + "." + resource.group;
}

} // namespace kctl::kube
