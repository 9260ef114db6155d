// Resource names as the user types them ("po", "pod", "Pod", "pods", "deploy", "deployments.apps",
// "clusters.cluster.karmada.io") resolved through discovery, the way kubectl's RESTMapper and
// short-name expander do. Additive to the client's discovery: it reads the discovery documents
// through the client and keeps shortNames and singular names, which resolve_kind does not need.
#pragma once

#include "kube/client.hpp"
#include "kube/resource.hpp"
#include "util/json.hpp"
#include "util/result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace kctl::kube {

// One resource of a discovery document, with the names a user may type for it.
struct NamedResource {
  ApiResource resource;
  std::string singular;
  std::vector<std::string> short_names;
  std::vector<std::string> verbs;
  std::vector<std::string> categories;
};

// The resources of one /api/v1 or /apis/<group>/<version> document (subresources left out).
std::vector<NamedResource> named_resources(const Json& document, std::string_view group_version);

// Splits "deployments.apps" into {"deployments", "apps"} and "deployments.v1.apps" into
// {"deployments", "apps"} with version "v1"; a name without '.' has an empty group.
struct TypedName {
  std::string name;    // lower case
  std::string version; // "" unless given
  std::string group;   // "" unless given
};
TypedName split_typed_name(std::string_view typed);

// Whether `candidate` is the resource the user meant by `name` (plural, singular, short name or
// kind, case-insensitively).
bool names_resource(const NamedResource& candidate, std::string_view name);

// Resolves `typed` against the server of `client`: the core group first, then the groups of
// /apis in the server's order, at their preferred versions (or the version given). NotFound
// error: `the server doesn't have a resource type "x"` (kubectl's words).
Result<ApiResource> resolve_resource(const Client& client, std::string_view typed);

// Everything a server serves, as kubectl's api-versions and api-resources show it.
struct ApiCatalog {
  // Every group version served ("v1", "apps/v1", ...), in discovery order.
  std::vector<std::string> group_versions;
  // Each resource once: at its group's preferred version, or at the first version that serves it
  // when the preferred one does not (client-go's ServerPreferredResources); no subresources.
  std::vector<NamedResource> preferred;
  // Group versions whose document could not be read ("metrics.k8s.io/v1beta1: ..."): the others
  // are listed all the same, as kubectl does, and the command fails at the end.
  std::vector<std::string> unreadable;
};

// Reads the catalog of `client`'s server: /api and its versions, then /apis (aggregated discovery
// in one request where served, else one request per group version).
Result<ApiCatalog> read_api_catalog(const Client& client);

// kubectl's lower-case kind with group for printing names: "cluster.cluster.karmada.io",
// "deployment.apps", "pod".
std::string kind_with_group(const ApiResource& resource);
// "clusters.cluster.karmada.io", "pods": the resource as kubectl names it in errors.
std::string resource_with_group(const ApiResource& resource);

} // namespace kctl::kube
