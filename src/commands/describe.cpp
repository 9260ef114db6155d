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

#include <functional>
#include <memory>

namespace kctl::cli {

namespace {

// Objects described at once (each needs its events, and some kinds more, read first).
constexpr std::size_t k_max_describes_in_flight = 8;
// Reads of one object's related lists at once (an Ingress has two per backend Service).
constexpr std::size_t k_max_reads_in_flight = 4;

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
const kube::ApiResource k_pods{"", "v1", "pods", "Pod", true};
const kube::ApiResource k_services{"", "v1", "services", "Service", true};
const kube::ApiResource k_leases{"coordination.k8s.io", "v1", "leases", "Lease", true};
const kube::ApiResource k_endpoint_slices{
    "discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", true};

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

// The items of every page of `resource` in `ns` that the selectors pick, managed fields left out.
Result<std::vector<Json>>
list_pages(const kube::Client& client,
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
  return list_items(client, resource, ns, options);
}

// The events whose involvedObject is `object` (kind, name, namespace and uid, as kubectl asks;
// a Pod's without the kind, a mirror pod's by its mirror uid); a cluster-scoped object's are looked
// for in every namespace.
Result<std::vector<Json>>
events_of(const kube::Client& client,
          const Json& object,
          const describe::Needs& needs,
          std::int64_t chunk_size) {
  std::string ns = describe::text_field(object, "/metadata/namespace");
  std::string uid = describe::text_field(object, "/metadata/uid");
  std::string selector;
  if (needs.events_of_pod) {
    const Json& mirror =
        describe::field_at(object, "/metadata/annotations/kubernetes.io~1config.mirror");
    if (mirror.is_string()) {
      uid = mirror.get<std::string>();
    }
  } else {
    selector =
        "involvedObject.kind=" + escape_field_value(describe::text_field(object, "/kind")) + ",";
  }
  selector += fmt::format("involvedObject.name={},involvedObject.namespace={}",
                          escape_field_value(describe::text_field(object, "/metadata/name")),
                          escape_field_value(ns));
  if (!uid.empty()) {
    selector += ",involvedObject.uid=" + escape_field_value(uid);
  }
  return list_pages(client, k_events, ns, selector, chunk_size);
}

// A list a server may not serve (nullopt then), as kubectl treats a Namespace's quotas.
Result<std::optional<std::vector<Json>>>
optional_list(const kube::Client& client,
              const kube::ApiResource& resource,
              const std::string& ns,
              std::int64_t chunk_size) {
  auto items = list_pages(client, resource, ns, "", chunk_size);
  if (!items) {
    if (items.error().http_status == 404) {
      return std::optional<std::vector<Json>>{};
    }
    return std::unexpected(items.error());
  }
  return std::optional(std::move(*items));
}

// One read of what an object's kind shows besides it; it writes its own fields of Related only.
using RelatedRead = std::function<Result<void>(describe::Related&)>;

// The reads `needs` asks for, each independent of the others. kubectl ignores an error reading
// the events (an empty list is shown), a Service's EndpointSlices and, for a ReplicaSet, its pods
// (the error is shown in the text); other errors fail the description.
std::vector<RelatedRead>
related_reads(const DescribeOptions& o,
              const kube::Client& client,
              const Json& object,
              const describe::Needs& needs) {
  std::vector<RelatedRead> reads;
  std::string ns = describe::text_field(object, "/metadata/namespace");
  std::string name = describe::text_field(object, "/metadata/name");
  if (needs.events && o.show_events) {
    reads.push_back([&o, &client, &object, needs](describe::Related& related) -> Result<void> {
      auto events = events_of(client, object, needs, o.chunk_size);
      related.events = events ? std::move(*events) : std::vector<Json>{};
      if (needs.node) {
        // The kubelet's events about a node name it as the uid.
        Json by_name = object;
        by_name["metadata"]["uid"] = describe::text_field(object, "/metadata/name");
        auto more = events_of(client, by_name, needs, o.chunk_size);
        if (more) {
          related.events->insert(related.events->end(), more->begin(), more->end());
        }
      }
      return {};
    });
  }
  if (needs.node) {
    reads.push_back([&client, name](describe::Related& related) -> Result<void> {
      auto lease = client.get(k_leases.ref("kube-node-lease", name));
      if (!lease) {
        related.lease_error = lease.error().message;
      } else if (!*lease) {
        related.lease_error = fmt::format("leases.coordination.k8s.io \"{}\" not found", name);
      } else {
        related.lease = std::move(**lease);
      }
      return {};
    });
    reads.push_back([&o, &client, name](describe::Related& related) -> Result<void> {
      auto pods = list_pages(client,
                             k_pods,
                             "",
                             "spec.nodeName=" + escape_field_value(name) +
                                 ",status.phase!=Succeeded,status.phase!=Failed",
                             o.chunk_size);
      if (!pods && pods.error().http_status == 403) {
        return {}; // kubectl: "Pods: not authorized"
      }
      KCTL_TRY_ASSIGN(auto items, with_context(std::move(pods), "reading the pods of the node"));
      related.pods = std::move(items);
      return {};
    });
  }
  if (needs.quotas_and_limits) {
    reads.push_back([&o, &client, name](describe::Related& related) -> Result<void> {
      KCTL_TRY_ASSIGN(related.resource_quotas,
                      optional_list(client, k_resource_quotas, name, o.chunk_size));
      return {};
    });
    reads.push_back([&o, &client, name](describe::Related& related) -> Result<void> {
      KCTL_TRY_ASSIGN(related.limit_ranges,
                      optional_list(client, k_limit_ranges, name, o.chunk_size));
      return {};
    });
  }
  std::string selector =
      describe::label_selector_text(describe::field_at(object, "/spec/selector"));
  if (needs.replica_sets) {
    reads.push_back([&o, &client, ns, selector](describe::Related& related) -> Result<void> {
      KCTL_TRY_ASSIGN(
          auto sets,
          with_context(list_pages(client, k_replica_sets, ns, "", o.chunk_size, selector),
                       "reading the ReplicaSets of the object"));
      related.replica_sets = std::move(sets);
      return {};
    });
  }
  if (needs.pods) {
    reads.push_back([&o, &client, ns, selector, needs](describe::Related& related) -> Result<void> {
      auto pods = list_pages(client, k_pods, ns, "", o.chunk_size, selector);
      if (!pods && needs.pods_error_shown) {
        related.pods = std::vector<Json>{};
        related.pods_error = pods.error().message;
        return {};
      }
      KCTL_TRY_ASSIGN(auto items, with_context(std::move(pods), "reading the pods of the object"));
      related.pods = std::move(items);
      return {};
    });
  }
  if (needs.namespace_pods) {
    reads.push_back([&o, &client, ns](describe::Related& related) -> Result<void> {
      KCTL_TRY_ASSIGN(auto items,
                      with_context(list_pages(client, k_pods, ns, "", o.chunk_size),
                                   "reading the pods of the namespace"));
      related.pods = std::move(items);
      return {};
    });
  }
  if (needs.backend_services) {
    for (const auto& service : describe::ingress_service_names(object)) {
      reads.push_back([&o, &client, ns, service](describe::Related& related) -> Result<void> {
        describe::BackendService& read = related.backends[service];
        auto slices = list_pages(client,
                                 k_endpoint_slices,
                                 ns,
                                 "",
                                 o.chunk_size,
                                 "kubernetes.io/service-name=" + service);
        if (slices) {
          read.endpoint_slices = std::move(*slices);
        } else {
          read.slices_error = slices.error().message;
        }
        auto found = client.get(k_services.ref(ns, service));
        if (!found) {
          read.service_error = found.error().message;
        } else if (!*found) {
          read.service_error = fmt::format("services \"{}\" not found", service);
        } else {
          read.service = std::move(**found);
        }
        return {};
      });
    }
  }
  if (needs.endpoint_slices) {
    reads.push_back([&o, &client, ns, name](describe::Related& related) -> Result<void> {
      auto slices = list_pages(
          client, k_endpoint_slices, ns, "", o.chunk_size, "kubernetes.io/service-name=" + name);
      related.endpoint_slices = slices ? std::move(*slices) : std::vector<Json>{};
      return {};
    });
  }
  return reads;
}

// One object's description, with what its kind shows besides the object read first (at once).
Result<std::string>
describe_one(const DescribeOptions& o, const kube::Client& client, const Json& object) {
  auto [group, version] = kube::split_api_version(describe::text_field(object, "/apiVersion"));
  describe::Needs needs = describe::needs_of(group, describe::text_field(object, "/kind"));
  std::vector<RelatedRead> reads = related_reads(o, client, object, needs);
  std::vector<describe::Related> parts(reads.size());
  std::vector<Result<void>> outcomes(reads.size());
  parallel_for(reads.size(), k_max_reads_in_flight, [&](std::size_t i) {
    try {
      outcomes[i] = reads[i](parts[i]);
    } catch (const std::exception& e) {
      outcomes[i] = failf("the server's answer cannot be read: {}", e.what());
    }
  });
  describe::Related related;
  for (std::size_t i = 0; i < reads.size(); ++i) {
    KCTL_TRY(outcomes[i]);
    describe::Related& part = parts[i];
    using ListField = std::optional<std::vector<Json>> describe::Related::*;
    for (ListField field : {&describe::Related::events,
                            &describe::Related::resource_quotas,
                            &describe::Related::limit_ranges,
                            &describe::Related::replica_sets,
                            &describe::Related::pods,
                            &describe::Related::endpoint_slices}) {
      if (part.*field) {
        related.*field = std::move(part.*field);
      }
    }
    if (!part.pods_error.empty()) {
      related.pods_error = std::move(part.pods_error);
    }
    related.backends.merge(part.backends);
    if (part.lease || !part.lease_error.empty()) {
      related.lease = std::move(part.lease);
      related.lease_error = std::move(part.lease_error);
    }
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
    add_named_object(
        client, resource, ns, describe::text_field(manifest, "/metadata/name"), lookup);
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
      list_pages(client, resource, namespace_for(client, resource, selection), "", o.chunk_size));
  std::vector<Json> matching;
  for (auto& item : items) {
    if (describe::text_field(item, "/metadata/name").starts_with(o.words[1])) {
      set_type_of_item(item, resource);
      matching.push_back(std::move(item));
    }
  }
  return matching;
}

Problems
check_describe(const DescribeOptions& o) {
  Problems problems;
  check_connection_flags(o.karmada, problems);
  check_member_scope(o.scope, problems, ClusterCount::several);
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

// What describe printed so far, across the places it reads.
struct Printed {
  bool any = false; // a description: the next one is separated from it
  bool failed = false;
};

// Where one pass of describe reads, and how its output names it: a member's cluster when
// describe reads several (each description's "Cluster:" line, each error line's "cluster(NAME): ").
struct Place {
  const ScopeTarget& target;
  bool named = false;
};

void
print_error_line(const Place& place, std::string_view line) {
  if (!place.named) {
    fmt::print(stderr, "{}\n", line);
    return;
  }
  constexpr std::string_view error = "error: ";
  bool is_error = line.starts_with(error);
  fmt::print(stderr,
             "{}cluster({}): {}\n",
             is_error ? error : "",
             place.target.cluster,
             is_error ? line.substr(error.size()) : line);
}

// Prints the descriptions in order, kubectl's blank lines between them; errors to stderr.
void
print_descriptions(const Place& place,
                   const std::vector<Result<std::string>>& described,
                   std::string_view separator,
                   Printed& printed) {
  for (const auto& text : described) {
    if (!text) {
      print_error_line(place, "error: " + server_error_line(text.error()));
      printed.failed = true;
      continue;
    }
    fmt::print("{}{}",
               printed.any ? separator : "",
               place.named ? describe::with_cluster_line(*text, place.target.cluster) : *text);
    printed.any = true;
  }
}

// Describes what the arguments name in one place.
Status
describe_in(const DescribeOptions& o, const Place& place, Printed& printed) {
  const kube::Client& client = place.target.client;
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
      // kubectl's layout here: one newline between descriptions, one after the last.
      Printed block;
      print_descriptions(place, describe_all(o, client, matching), "\n", block);
      fmt::print("\n");
      printed.any = true;
      printed.failed = printed.failed || block.failed;
      return {};
    }
  }
  std::vector<Json> objects;
  for (auto& found : lookup.objects) {
    objects.push_back(std::move(found.object));
  }
  print_descriptions(place, describe_all(o, client, objects), "\n\n", printed);
  std::fflush(stdout);
  for (const auto& line : lookup.errors) {
    print_error_line(place, line);
  }
  printed.failed = printed.failed || !lookup.errors.empty();
  if (objects.empty() && lookup.errors.empty()) {
    if (o.selection.all_namespaces) {
      print_error_line(place, "No resources found");
    } else {
      std::string ns = o.selection.namespace_name.empty() ? client.default_namespace()
                                                          : o.selection.namespace_name;
      print_error_line(
          place, fmt::format("No resources found in {} namespace.", terminal::escape_line(ns)));
    }
  }
  return {};
}

Result<ExitCode>
run_describe(const DescribeOptions& o) {
  KCTL_TRY_ASSIGN(Connection karmada, connect(o.karmada, ClusterRole::karmada));
  KCTL_TRY_ASSIGN(std::vector<ScopeTarget> targets, connect_member_scopes(karmada, o.scope));
  if (targets.size() == 1) {
    Printed printed;
    KCTL_TRY(describe_in(o, Place{targets.front(), false}, printed));
    return printed.failed ? ExitCode::failure : ExitCode::ok;
  }
  // Several members: one that cannot be read is said, and the others are still described.
  Printed printed;
  for (const auto& target : targets) {
    Place place{target, true};
    if (auto done = describe_in(o, place, printed); !done) {
      print_error_line(place, "error: " + server_error_line(done.error()));
      printed.failed = true;
    }
  }
  return printed.failed ? ExitCode::failure : ExitCode::ok;
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
  app.get_option("--cluster")
      ->description("Used to specify the target member cluster, or several separated by commas "
                    "(each description then names its cluster), and only takes effect when the "
                    "command's operation scope is members, for example: --operation-scope=members "
                    "--cluster=member1");
  bind_connection_flags(app, o->karmada, ClusterRole::karmada);
  defer_value_errors(app, invocation.value_problems);
  app.callback([&invocation, o] {
    invocation.validate = [o] { return check_describe(*o); };
    invocation.action = [o] { return run_describe(*o); };
  });
}

} // namespace kctl::cli
