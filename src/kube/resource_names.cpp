#include "kube/resource_names.hpp"

#include "kube/api_error.hpp"
#include "util/json_parse.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

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

bool
looks_like_version(std::string_view text) {
  return text.size() >= 2 && text[0] == 'v' && std::isdigit(static_cast<unsigned char>(text[1]));
}

Result<Json>
fetch(const Client& client, const std::string& path) {
  KCTL_TRY_ASSIGN(std::string body, with_context(client.get_raw(path), "discovery"));
  auto document = json::parse(body);
  if (!document) {
    return failf("discovery of {}: the server's answer: {}", path, document.error().message);
  }
  return document;
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
    for (const auto& short_name : item.value("shortNames", Json::array())) {
      if (short_name.is_string()) {
        named.short_names.push_back(short_name.get<std::string>());
      }
    }
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

Result<ApiResource>
resolve_resource(const Client& client, std::string_view typed) {
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
  KCTL_TRY_ASSIGN(Json groups, fetch(client, "/apis"));
  for (const auto& entry : groups.value("groups", Json::array())) {
    std::string group = entry.value("name", "");
    if (!wanted.group.empty() && group != wanted.group) {
      continue;
    }
    std::string version = wanted.version.empty()
                              ? entry.value("/preferredVersion/version"_json_pointer, std::string{})
                              : wanted.version;
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
  return not_found();
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
