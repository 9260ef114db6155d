#include "commands/api_resources.hpp"

#include "commands/checks.hpp"
#include "commands/connection.hpp"
#include "commands/flags.hpp"
#include "commands/kubectl_help.hpp"
#include "commands/scope.hpp"
#include "karmada/member_proxy.hpp"
#include "kube/resource_names.hpp"
#include "output/printer.hpp"
#include "output/stream.hpp"
#include "util/strings.hpp"
#include "util/terminal.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

namespace kctl::cli {

namespace {

// How a discovery command treats kubectl's discovery cache: api-resources --cached reads it
// where fresh; api-resources without it and api-versions read the server, as kubectl does, and
// refill it.
enum class CacheUse { use, refresh };

// `client`'s catalog, read as `cache_use` says.
Result<kube::ApiCatalog>
read_catalog_of(const kube::Client& client, CacheUse cache_use) {
  if (cache_use == CacheUse::refresh) {
    client.invalidate_discovery();
  }
  return kube::read_api_catalog(client);
}

// The catalog of the server the scope names.
Result<kube::ApiCatalog>
read_catalog(const ConnectionFlags& karmada_flags, const MemberScope& scope, CacheUse cache_use) {
  KCTL_TRY_ASSIGN(Connection karmada, connect(karmada_flags, ClusterRole::karmada));
  KCTL_TRY_ASSIGN(kube::Client client, connect_member_scope(karmada, scope));
  if (scope.operation_scope != "members") {
    return read_catalog_of(client, cache_use);
  }
  return with_context(read_catalog_of(client, cache_use), fmt::format("cluster {}", scope.cluster));
}

// kubectl lists what it could read and then fails naming what it could not.
Result<ExitCode>
finish(const kube::ApiCatalog& catalog) {
  if (catalog.unreadable.empty()) {
    return ExitCode::ok;
  }
  return failf("unable to retrieve the complete list of server APIs: {}",
               terminal::escape(strings::join(catalog.unreadable, ", ")));
}

struct ApiResourcesOptions {
  ConnectionFlags karmada;
  MemberScope scope;
  std::string output;
  bool no_headers = false;
  std::string api_group;
  bool api_group_given = false; // --api-group= (empty) keeps the core group only
  bool namespaced = true;
  bool namespaced_given = false; // without --namespaced both scopes are listed
  std::vector<std::string> verbs;
  std::vector<std::string> categories;
  std::string sort_by;
  bool cached = false;
  bool show_managed_fields = false;
};

Problems
check_api_resources(const ApiResourcesOptions& o) {
  Problems problems;
  check_connection_flags(o.karmada, problems);
  check_member_scope(o.scope, problems);
  return problems;
}

bool
has_all(const std::vector<std::string>& have, const std::vector<std::string>& wanted) {
  return std::all_of(wanted.begin(), wanted.end(), [&](const std::string& item) {
    return std::find(have.begin(), have.end(), item) != have.end();
  });
}

// The resources the filters keep, in kubectl's order: by group (or --sort-by name|kind), then
// by name.
std::vector<kube::NamedResource>
selected_resources(const ApiResourcesOptions& o, std::vector<kube::NamedResource> resources) {
  std::erase_if(resources, [&](const kube::NamedResource& r) {
    return (o.api_group_given && r.resource.group != o.api_group) ||
           (o.namespaced_given && r.resource.namespaced != o.namespaced) ||
           !has_all(r.verbs, o.verbs) || !has_all(r.categories, o.categories);
  });
  auto key = [&](const kube::NamedResource& r) -> const std::string& {
    return o.sort_by == "name"   ? r.resource.resource
           : o.sort_by == "kind" ? r.resource.kind
                                 : r.resource.group;
  };
  std::stable_sort(resources.begin(),
                   resources.end(),
                   [&](const kube::NamedResource& a, const kube::NamedResource& b) {
                     if (key(a) != key(b)) {
                       return key(a) < key(b);
                     }
                     return a.resource.resource < b.resource.resource;
                   });
  return resources;
}

// One table row: NAME SHORTNAMES APIVERSION NAMESPACED KIND, and VERBS CATEGORIES when wide.
std::vector<std::string>
resource_row(const kube::NamedResource& r, bool wide) {
  const kube::ApiResource& a = r.resource;
  std::vector<std::string> row{a.resource,
                               strings::join(r.short_names, ","),
                               a.group_version(),
                               a.namespaced ? "true" : "false",
                               a.kind};
  if (wide) {
    row.push_back(strings::join(r.verbs, ","));
    row.push_back(strings::join(r.categories, ","));
  }
  for (auto& cell : row) {
    cell = terminal::escape_line(cell);
  }
  return row;
}

// One resource as kubectl prints it in -o json: metav1.APIResource's fields in Go's order, the
// empty ones left out.
Json
resource_json(const kube::NamedResource& r) {
  const kube::ApiResource& a = r.resource;
  Json out = {{"name", a.resource}, {"singularName", r.singular}, {"namespaced", a.namespaced}};
  if (!a.group.empty()) {
    out["group"] = a.group;
  }
  out["version"] = a.version;
  out["kind"] = a.kind;
  out["verbs"] = r.verbs;
  if (!r.short_names.empty()) {
    out["shortNames"] = r.short_names;
  }
  if (!r.categories.empty()) {
    out["categories"] = r.categories;
  }
  return out;
}

// -o json|yaml: one APIResourceList holding every selected resource, as kubectl prints it.
std::string
resource_list(const std::vector<kube::NamedResource>& resources, std::string_view format) {
  Json list = {{"kind", "APIResourceList"},
               {"apiVersion", "v1"},
               {"groupVersion", ""},
               {"resources", Json::array()}};
  for (const auto& r : resources) {
    list["resources"].push_back(resource_json(r));
  }
  return format == "json" ? output::render_one("json", std::move(list))
                          : output::render_one("yaml", with_sorted_keys(list));
}

Result<ExitCode>
run_api_resources(const ApiResourcesOptions& o) {
  KCTL_TRY_ASSIGN(kube::ApiCatalog catalog,
                  read_catalog(o.karmada, o.scope, o.cached ? CacheUse::use : CacheUse::refresh));
  std::vector<kube::NamedResource> resources = selected_resources(o, std::move(catalog.preferred));
  if (o.output == "json" || o.output == "yaml") {
    fmt::print("{}", resource_list(resources, o.output));
    return finish(catalog);
  }
  if (o.output == "name") {
    for (const auto& r : resources) {
      const kube::ApiResource& a = r.resource;
      fmt::print("{}\n",
                 terminal::escape_line(a.group.empty() ? a.resource : a.resource + "." + a.group));
    }
    return finish(catalog);
  }
  bool wide = o.output == "wide";
  std::vector<std::vector<std::string>> lines;
  if (!o.no_headers) {
    lines.push_back({"NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"});
    if (wide) {
      lines.front().insert(lines.front().end(), {"VERBS", "CATEGORIES"});
    }
  }
  for (const auto& r : resources) {
    lines.push_back(resource_row(r, wide));
  }
  fmt::print("{}", output::render_columns(lines));
  return finish(catalog);
}

struct ApiVersionsOptions {
  ConnectionFlags karmada;
  MemberScope scope;
};

Problems
check_api_versions(const ApiVersionsOptions& o) {
  Problems problems;
  check_connection_flags(o.karmada, problems);
  check_member_scope(o.scope, problems);
  return problems;
}

Result<ExitCode>
run_api_versions(const ApiVersionsOptions& o) {
  KCTL_TRY_ASSIGN(kube::ApiCatalog catalog, read_catalog(o.karmada, o.scope, CacheUse::refresh));
  std::vector<std::string> versions = catalog.group_versions;
  std::sort(versions.begin(), versions.end());
  versions.erase(std::unique(versions.begin(), versions.end()), versions.end());
  for (const auto& version : versions) {
    fmt::print("{}\n", terminal::escape_line(version));
  }
  return finish(catalog);
}

} // namespace

void
setup_api_resources(CLI::App& app, Invocation& invocation) {
  auto o = std::make_shared<ApiResourcesOptions>();
  CLI::App* command = &app;
  set_kubectl_help(
      *command,
      "Print the supported API resources on the server.",
      with_program("  # Print the supported API resources in Karmada control plane\n"
                   "  {program} api-resources\n\n"
                   "  # Print the supported API resources with more information\n"
                   "  {program} api-resources -o wide\n\n"
                   "  # Print the supported API resources sorted by a column\n"
                   "  {program} api-resources --sort-by=name\n\n"
                   "  # Print the supported namespaced resources\n"
                   "  {program} api-resources --namespaced=true\n\n"
                   "  # Print the supported non-namespaced resources\n"
                   "  {program} api-resources --namespaced=false\n\n"
                   "  # Print the supported API resources with a specific APIGroup\n"
                   "  {program} api-resources --api-group=rbac.authorization.k8s.io\n\n"
                   "  # Print the supported API resources in member1\n"
                   "  {program} api-resources --operation-scope=members --cluster=member1",
                   invocation.program));
  add_output_flag(*command, o->output, {"json", "yaml", "name", "wide"})
      ->description("Output format. One of: (json, yaml, name, wide).");
  command->add_flag("--no-headers",
                    o->no_headers,
                    "When using the default or custom-column output format, don't print headers "
                    "(default print headers).");
  // expected(0, 1): CLI11 2.1 reads "--api-group=" (the core group) followed by another flag as
  // that flag being the value; a value that may be empty must not take the next argument.
  command->add_option("--api-group", o->api_group, "Limit to resources in the specified API group.")
      ->expected(0, 1);
  command->add_flag("--namespaced",
                    o->namespaced,
                    "If false, non-namespaced resources will be returned, otherwise returning "
                    "namespaced resources by default.");
  command
      ->add_option("--verbs",
                   o->verbs,
                   "Limit to resources that support the specified verbs (comma-separated).")
      ->delimiter(',');
  command
      ->add_option("--categories",
                   o->categories,
                   "Limit to resources that belong to the specified categories (comma-separated).")
      ->delimiter(',');
  command
      ->add_option("--sort-by",
                   o->sort_by,
                   "If non-empty, sort list of resources using specified field. One of (name, "
                   "kind).")
      ->check(one_of({"name", "kind"}));
  command->add_flag("--show-managed-fields",
                    o->show_managed_fields,
                    "If true, keep the managedFields when printing objects in JSON or YAML format "
                    "(API resources have none: accepted for upstream's scripts).");
  command->add_flag("--cached",
                    o->cached,
                    "Use the cached list of resources if available (kubectl's discovery cache: "
                    "$KUBECACHEDIR, else ~/.kube/cache, files at most 6 hours old; without it "
                    "the server is read and the cache refilled).");
  bind_member_scope(*command, o->scope, ClusterShortFlag::no);
  bind_connection_flags(*command, o->karmada, ClusterRole::karmada);
  defer_value_errors(*command, invocation.value_problems);
  command->callback([&invocation, o, command] {
    o->api_group_given = command->count("--api-group") > 0;
    o->namespaced_given = command->count("--namespaced") > 0;
    invocation.validate = [o] { return check_api_resources(*o); };
    invocation.action = [o] { return run_api_resources(*o); };
  });
}

void
setup_api_versions(CLI::App& app, Invocation& invocation) {
  auto o = std::make_shared<ApiVersionsOptions>();
  CLI::App* command = &app;
  set_kubectl_help(
      *command,
      "Print the supported API versions on the server, in the form of \"group/version\".",
      with_program("  # Print the supported API versions of Karmada control plane\n"
                   "  {program} api-versions\n\n"
                   "  # Print the supported API versions of member1\n"
                   "  {program} api-versions --operation-scope=members --cluster=member1",
                   invocation.program));
  bind_member_scope(*command, o->scope, ClusterShortFlag::no);
  bind_connection_flags(*command, o->karmada, ClusterRole::karmada);
  defer_value_errors(*command, invocation.value_problems);
  command->callback([&invocation, o] {
    invocation.validate = [o] { return check_api_versions(*o); };
    invocation.action = [o] { return run_api_versions(*o); };
  });
}

} // namespace kctl::cli
