#include "commands/describe.hpp"

#include "commands/checks.hpp"
#include "commands/connection.hpp"
#include "commands/flag_sets.hpp"
#include "commands/flags.hpp"
#include "commands/kubectl_help.hpp"
#include "commands/scope.hpp"
#include "commands/targets.hpp"
#include "describe/describers.hpp"
#include "describe/workloads.hpp"
#include "describe/writer.hpp"
#include "kube/manifest_reader.hpp"
#include "kube/resource_names.hpp"
#include "util/parallel.hpp"
#include "util/terminal.hpp"

#include <fmt/format.h>

#include <memory>

namespace kctl::cli {

namespace {

// Objects described at once (each needs its events, and some kinds more, read first).
constexpr std::size_t k_max_describes_in_flight = 8;

struct DescribeOptions {
  ConnectionFlags karmada;
  MemberScope scope;
  std::vector<std::string> words;
  Selection selection; // no --all: a bare type describes every object of it
  kube::ManifestSources files;
  bool show_events = true;
  std::int64_t chunk_size = 500;
};

const kube::ApiResource k_events{"", "v1", "events", "Event", true};
const kube::ApiResource k_resource_quotas{"", "v1", "resourcequotas", "ResourceQuota", true};
const kube::ApiResource k_limit_ranges{"", "v1", "limitranges", "LimitRange", true};
const kube::ApiResource k_replica_sets{"apps", "v1", "replicasets", "ReplicaSet", true};

// A field selector value with kubectl's escapes (\ , =).
std::string
escape_field_value(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == ',' || c == '=') {
      out += '\\';
    }
    out += c;
  }
  return out;
}

// The items of every page of `resource` in `ns`, filtered by `field_selector`.
Result<std::vector<Json>>
list_items(const kube::Client& client,
           const kube::ApiResource& resource,
           const std::string& ns,
           const std::string& field_selector,
           std::int64_t chunk_size,
           const std::string& label_selector = "") {
  kube::ListOptions options;
  options.field_selector = field_selector;
  options.label_selector = label_selector;
  options.page_size = chunk_size;
  options.drop_managed_fields = true;
  KCTL_TRY_ASSIGN(Json list, client.list(resource.ref(ns), options));
  std::vector<Json> items;
  for (auto& item : list["items"]) {
    items.push_back(std::move(item));
  }
  return items;
}

// The events whose involvedObject is `object` (kind, name, namespace and uid, as kubectl asks);
// a cluster-scoped object's are looked for in every namespace.
Result<std::vector<Json>>
events_of(const kube::Client& client, const Json& object, std::int64_t chunk_size) {
  std::string ns = describe::text_field(object, "/metadata/namespace");
  std::string selector =
      fmt::format("involvedObject.kind={},involvedObject.name={},involvedObject.namespace={},"
                  "involvedObject.uid={}",
                  escape_field_value(describe::text_field(object, "/kind")),
                  escape_field_value(describe::text_field(object, "/metadata/name")),
                  escape_field_value(ns),
                  escape_field_value(describe::text_field(object, "/metadata/uid")));
  return list_items(client, k_events, ns, selector, chunk_size);
}

// A list a server may not serve (nullopt then), as kubectl treats a Namespace's quotas.
Result<std::optional<std::vector<Json>>>
optional_list(const kube::Client& client,
              const kube::ApiResource& resource,
              const std::string& ns,
              std::int64_t chunk_size) {
  auto items = list_items(client, resource, ns, "", chunk_size);
  if (!items) {
    if (items.error().http_status == 404) {
      return std::optional<std::vector<Json>>{};
    }
    return std::unexpected(items.error());
  }
  return std::optional(std::move(*items));
}

// One object's description, with what its kind shows besides the object read first.
Result<std::string>
describe_one(const DescribeOptions& o, const kube::Client& client, const Json& object) {
  auto [group, version] = kube::split_api_version(describe::text_field(object, "/apiVersion"));
  describe::Needs needs = describe::needs_of(group, describe::text_field(object, "/kind"));
  describe::Related related;
  if (needs.events && o.show_events) {
    KCTL_TRY_ASSIGN(
        auto events,
        with_context(events_of(client, object, o.chunk_size), "reading the events of the object"));
    related.events = std::move(events);
  }
  if (needs.quotas_and_limits) {
    std::string name = describe::text_field(object, "/metadata/name");
    KCTL_TRY_ASSIGN(related.resource_quotas,
                    optional_list(client, k_resource_quotas, name, o.chunk_size));
    KCTL_TRY_ASSIGN(related.limit_ranges,
                    optional_list(client, k_limit_ranges, name, o.chunk_size));
  }
  if (needs.replica_sets) {
    std::string selector =
        describe::label_selector_text(describe::field_at(object, "/spec/selector"));
    KCTL_TRY_ASSIGN(auto sets,
                    with_context(list_items(client,
                                            k_replica_sets,
                                            describe::text_field(object, "/metadata/namespace"),
                                            "",
                                            o.chunk_size,
                                            selector),
                                 "reading the ReplicaSets of the object"));
    related.replica_sets = std::move(sets);
  }
  return describe::describe_object(object, related, std::chrono::system_clock::now());
}

// Describes `objects` at once, in order; a worker must not throw (an answer of an unexpected
// shape is that object's error).
std::vector<Result<std::string>>
describe_all(const DescribeOptions& o,
             const kube::Client& client,
             const std::vector<Json>& objects) {
  std::vector<Result<std::string>> out(objects.size(), std::string{});
  parallel_for(objects.size(), k_max_describes_in_flight, [&](std::size_t i) {
    try {
      out[i] = describe_one(o, client, objects[i]);
    } catch (const std::exception& e) {
      out[i] = failf("the server's answer cannot be read: {}", e.what());
    }
  });
  return out;
}

// The objects of -f files, each read from the server (what is described is the live object).
Result<Lookup>
objects_of_files(const DescribeOptions& o, const kube::Client& client) {
  KCTL_TRY_ASSIGN(kube::Manifests manifests, kube::read_manifests(o.files));
  for (const auto& warning : manifests.warnings) {
    fmt::print(stderr, "warning: {}\n", terminal::escape_line(warning));
  }
  Lookup lookup;
  for (const auto& [source, manifest] : manifests.objects) {
    KCTL_TRY_ASSIGN(kube::ApiResource resource,
                    client.resolve_kind(describe::text_field(manifest, "/apiVersion"),
                                        describe::text_field(manifest, "/kind")));
    std::string ns = describe::text_field(manifest, "/metadata/namespace");
    if (ns.empty()) {
      ns = namespace_for(client, resource, o.selection);
    }
    std::string name = describe::text_field(manifest, "/metadata/name");
    auto object = client.get(resource.ref(ns, name));
    if (!object) {
      lookup.errors.push_back(server_error_line(object.error()));
    } else if (!*object) {
      lookup.errors.push_back(fmt::format("Error from server (NotFound): {} \"{}\" not found",
                                          kube::resource_with_group(resource),
                                          name));
    } else {
      lookup.objects.push_back({resource, std::move(**object)});
    }
  }
  return lookup;
}

// kubectl's second try for "describe TYPE NAME" when NAME is not an object: every object of TYPE
// whose name starts with NAME.
Result<std::vector<Json>>
objects_by_prefix(const DescribeOptions& o, const kube::Client& client) {
  KCTL_TRY_ASSIGN(kube::ApiResource resource, kube::resolve_resource(client, o.words[0]));
  Selection selection = o.selection;
  selection.all_namespaces = false;
  KCTL_TRY_ASSIGN(
      std::vector<Json> items,
      list_items(client, resource, namespace_for(client, resource, selection), "", o.chunk_size));
  std::vector<Json> matching;
  for (auto& item : items) {
    if (describe::text_field(item, "/metadata/name").starts_with(o.words[1])) {
      item["kind"] = resource.kind;
      item["apiVersion"] =
          resource.group.empty() ? resource.version : resource.group + "/" + resource.version;
      matching.push_back(std::move(item));
    }
  }
  return matching;
}

Problems
check_describe(const DescribeOptions& o) {
  Problems problems;
  check_connection_flags(o.karmada, problems);
  check_member_scope(o.scope, problems);
  if (o.chunk_size < 0) {
    problems.add("--chunk-size must be 0 (no paging) or more");
  }
  if (!o.files.paths.empty()) {
    if (!o.words.empty()) {
      problems.add("a resource cannot be named both by argument and with -f");
    }
    return problems;
  }
  if (o.words.empty()) {
    problems.add("You must specify the type of resource to describe. Use \"karmadactl "
                 "api-resources\" for a complete list of supported resources.");
    return problems;
  }
  check_resource_words(o.words, o.selection, false, problems);
  return problems;
}

// Prints the descriptions in order, kubectl's blank lines between them; errors to stderr.
bool
print_descriptions(const std::vector<Result<std::string>>& described, std::string_view separator) {
  bool failed = false;
  bool first = true;
  for (const auto& text : described) {
    if (!text) {
      fmt::print(stderr, "error: {}\n", server_error_line(text.error()));
      failed = true;
      continue;
    }
    fmt::print("{}{}", first ? "" : separator, *text);
    first = false;
  }
  return failed;
}

Result<ExitCode>
run_describe(const DescribeOptions& o) {
  KCTL_TRY_ASSIGN(Connection karmada, connect(o.karmada, ClusterRole::karmada));
  KCTL_TRY_ASSIGN(kube::Client client, connect_member_scope(karmada, o.scope));
  Lookup lookup;
  if (!o.files.paths.empty()) {
    KCTL_TRY_ASSIGN(lookup, objects_of_files(o, client));
  } else {
    KCTL_TRY_ASSIGN(lookup, find_objects(client, o.words, o.selection, false));
  }
  bool by_prefix = lookup.objects.empty() && !lookup.errors.empty() && o.words.size() == 2 &&
                   o.words[0].find('/') == std::string::npos;
  if (by_prefix) {
    KCTL_TRY_ASSIGN(std::vector<Json> matching, objects_by_prefix(o, client));
    if (!matching.empty()) {
      bool failed = print_descriptions(describe_all(o, client, matching), "\n");
      fmt::print("\n");
      return failed ? ExitCode::failure : ExitCode::ok;
    }
  }
  std::vector<Json> objects;
  for (auto& found : lookup.objects) {
    objects.push_back(std::move(found.object));
  }
  bool failed = print_descriptions(describe_all(o, client, objects), "\n\n");
  std::fflush(stdout);
  for (const auto& line : lookup.errors) {
    fmt::print(stderr, "{}\n", line);
  }
  if (objects.empty() && lookup.errors.empty()) {
    if (o.selection.all_namespaces) {
      fmt::print(stderr, "No resources found\n");
    } else {
      std::string ns = o.selection.namespace_name.empty() ? client.default_namespace()
                                                          : o.selection.namespace_name;
      fmt::print(stderr, "No resources found in {} namespace.\n", terminal::escape_line(ns));
    }
  }
  return failed || !lookup.errors.empty() ? ExitCode::failure : ExitCode::ok;
}

} // namespace

void
setup_describe(CLI::App& app, Invocation& invocation) {
  auto o = std::make_shared<DescribeOptions>();
  set_kubectl_help(
      app,
      "Show details of a specific resource or group of resources in Karmada control plane or a "
      "member cluster.\n\n"
      "Print a detailed description of the selected resources, including related resources such "
      "as events. You may select a single object by name, all objects of that type, provide a "
      "name prefix, or label selector. For example:\n\n"
      "  $ karmadactl describe TYPE NAME_PREFIX\n\n"
      "will first check for an exact match on TYPE and NAME_PREFIX. If no such resource exists, "
      "it will output details for every resource that has a name prefixed with NAME_PREFIX.\n\n"
      "A Secret is described by the sizes of its values, never the values (kubectl prints a "
      "service-account token).",
      with_program("  # Describe a cluster\n"
                   "  {program} describe cluster member1\n\n"
                   "  # Describe a propagation policy in Karmada control plane\n"
                   "  {program} describe propagationpolicy nginx-propagation\n\n"
                   "  # Describe a deployment in cluster(member1)\n"
                   "  {program} describe deployment/nginx --operation-scope=members "
                   "--cluster=member1\n\n"
                   "  # Describe the objects of a file, as they are in cluster(member1)\n"
                   "  {program} describe -f nginx.yaml -s members -C member1\n\n"
                   "  # Describe pods by label name=myLabel in cluster(member1)\n"
                   "  {program} describe po -l name=myLabel --operation-scope=members "
                   "--cluster=member1",
                   invocation.program));
  app.add_option("args", o->words, "TYPE [NAME_PREFIX], TYPE/NAME, or TYPE with -l");
  app.add_option("-f,--filename",
                 o->files.paths,
                 "Filename, directory, or URL to files containing the resource to describe")
      ->delimiter(',');
  app.add_flag("-R,--recursive",
               o->files.recursive,
               "Process the directory used in -f, --filename recursively.");
  bind_selection(app, o->selection, {.all = false, .namespaces = true, .labels_alias = false});
  app.add_flag("--show-events",
               o->show_events,
               "If true (the default), display events related to the described object; "
               "--show-events=false leaves them out")
      ->default_str("true");
  app.add_option("--chunk-size",
                 o->chunk_size,
                 "Return large lists in chunks rather than all at once. Pass 0 to disable.")
      ->capture_default_str();
  bind_member_scope(app, o->scope, ClusterShortFlag::yes);
  bind_connection_flags(app, o->karmada, ClusterRole::karmada);
  defer_value_errors(app, invocation.value_problems);
  app.callback([&invocation, o] {
    invocation.validate = [o] { return check_describe(*o); };
    invocation.action = [o] { return run_describe(*o); };
  });
}

} // namespace kctl::cli
