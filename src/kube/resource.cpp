#include "kube/resource.hpp"

#include <fmt/format.h>

namespace kctl::kube {

std::string
group_version(std::string_view group, std::string_view version) {
  return group.empty() ? std::string(version) : fmt::format("{}/{}", group, version);
}

std::string
ResourceRef::group_version() const {
  return kube::group_version(group, version);
}

std::string
ApiResource::group_version() const {
  return kube::group_version(group, version);
}

std::string
ResourceRef::path() const {
  std::string out =
      group.empty() ? fmt::format("/api/{}", version) : fmt::format("/apis/{}/{}", group, version);
  if (!namespace_name.empty()) {
    out += "/namespaces/" + url_escape(namespace_name);
  }
  out += "/" + resource;
  if (!name.empty()) {
    out += "/" + url_escape(name);
    if (!subresource.empty()) {
      out += "/" + subresource;
    }
  }
  return out;
}

ResourceRef
ResourceRef::with_name(std::string new_name) const {
  ResourceRef copy = *this;
  copy.name = std::move(new_name);
  return copy;
}

std::string
ResourceRef::describe() const {
  std::string out = fmt::format("{} {}", group_version(), resource);
  if (!subresource.empty()) {
    out += "/" + subresource;
  }
  if (!namespace_name.empty() || !name.empty()) {
    out += " ";
    out += namespace_name.empty() ? name : fmt::format("{}/{}", namespace_name, name);
  }
  return out;
}

ResourceRef
ApiResource::ref(std::string namespace_name, std::string name) const {
  return ResourceRef{group,
                     version,
                     resource,
                     namespaced ? std::move(namespace_name) : std::string{},
                     std::move(name),
                     {}};
}

ResourceRef
ResourceRef::in(std::string ns) const {
  ResourceRef copy = *this;
  copy.namespace_name = std::move(ns);
  return copy;
}

ResourceRef
ResourceRef::with_subresource(std::string sub) const {
  ResourceRef copy = *this;
  copy.subresource = std::move(sub);
  return copy;
}

ResourceRef
core(std::string resource) {
  return ResourceRef{"", "v1", std::move(resource), "", "", ""};
}

ResourceRef
apps(std::string resource) {
  return ResourceRef{"apps", "v1", std::move(resource), "", "", ""};
}

ResourceRef
rbac(std::string resource) {
  return ResourceRef{"rbac.authorization.k8s.io", "v1", std::move(resource), "", "", ""};
}

ResourceRef
certificates(std::string resource) {
  return ResourceRef{"certificates.k8s.io", "v1", std::move(resource), "", "", ""};
}

std::string
url_escape(std::string_view text) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    bool unreserved = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
                      (byte >= '0' && byte <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += k_hex[byte >> 4];
      out += k_hex[byte & 0x0F];
    }
  }
  return out;
}

std::string
with_query(std::string_view path, const Query& query) {
  std::string out(path);
  char separator = '?';
  for (const auto& [key, value] : query) {
    out += separator;
    out += url_escape(key);
    out += '=';
    out += url_escape(value);
    separator = '&';
  }
  return out;
}

std::pair<std::string, std::string>
split_api_version(std::string_view api_version) {
  auto slash = api_version.find('/');
  if (slash == std::string_view::npos) {
    return {std::string{}, std::string(api_version)};
  }
  return {std::string(api_version.substr(0, slash)), std::string(api_version.substr(slash + 1))};
}

} // namespace kctl::kube
