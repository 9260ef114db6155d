// Generic addressing of Kubernetes API objects: one ResourceRef names any group/version/resource,
// so the client needs no per-kind methods.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace kctl::kube {

// Names a collection or one object of any API resource. An empty `namespace_name` addresses a
// cluster-scoped resource (or all namespaces, for a list); an empty `name` addresses the
// collection.
struct ResourceRef {
  std::string group;          // "" for the core group
  std::string version;        // "v1"
  std::string resource;       // plural, lower case: "deployments"
  std::string namespace_name; // "" when cluster-scoped or listing across namespaces
  std::string name;           // "" for the collection
  std::string subresource;    // "status", "scale", "token", ... or ""

  // Returns "v1" for the core group, else "<group>/<version>".
  std::string group_version() const;
  // Returns the API path without query: /api/v1/namespaces/ns/pods/name/status and the like.
  std::string path() const;
  // Returns the same ref with `name` replaced (and the subresource kept).
  ResourceRef with_name(std::string new_name) const;
  // Returns the same ref in namespace `ns` (a namespaced resource's objects or collection).
  ResourceRef in(std::string ns) const;
  // Returns the same ref addressing `sub` of the object ("status", "finalize", ...).
  ResourceRef with_subresource(std::string sub) const;
  // Returns a human form for logs and dry-run lines: "apps/v1 deployments ns/name".
  std::string describe() const;
};

// Named constructors for the built-in groups: the collection of `resource` (plural), narrowed
// with in() and with_name(), so that no call site spells six strings in order:
// core("secrets").in("kube-system").with_name("bootstrap-token-abcdef").
ResourceRef core(std::string resource);         // v1
ResourceRef apps(std::string resource);         // apps/v1
ResourceRef rbac(std::string resource);         // rbac.authorization.k8s.io/v1
ResourceRef certificates(std::string resource); // certificates.k8s.io/v1

// What discovery knows about a resource.
struct ApiResource {
  std::string group;
  std::string version;
  std::string resource; // plural name
  std::string kind;
  bool namespaced = false;

  // Returns a ResourceRef for an object of this resource in `namespace_name` (ignored if
  // cluster-scoped) called `name`.
  ResourceRef ref(std::string namespace_name = {}, std::string name = {}) const;

  // "apps/v1", or "v1" for the core group.
  std::string group_version() const;
};

// "apps/v1" from "apps" and "v1"; "v1" for the core group "".
std::string group_version(std::string_view group, std::string_view version);

// Ordered query parameters; values are percent-encoded when the URL is built.
using Query = std::vector<std::pair<std::string, std::string>>;

// Percent-encodes `text` for use in a URL path segment or query value (RFC 3986 unreserved kept).
std::string url_escape(std::string_view text);

// Returns `path` followed by "?k=v&..." with `query` encoded, or `path` alone when it is empty.
std::string with_query(std::string_view path, const Query& query);

// Splits "apps/v1" into {"apps", "v1"} and "v1" into {"", "v1"}.
std::pair<std::string, std::string> split_api_version(std::string_view api_version);

} // namespace kctl::kube
