#include "commands/get.hpp"

#include "commands/checks.hpp"
#include "commands/connection.hpp"
#include "commands/flag_sets.hpp"
#include "commands/flags.hpp"
#include "commands/kubectl_help.hpp"
#include "commands/targets.hpp"
#include "karmada/clusters.hpp"
#include "karmada/member_proxy.hpp"
#include "kube/api_error.hpp"
#include "kube/labels.hpp"
#include "kube/resource_names.hpp"
#include "output/cluster_table.hpp"
#include "output/jsonpath.hpp"
#include "output/printer.hpp"
#include "output/sort.hpp"
#include "util/json_parse.hpp"
#include "util/parallel.hpp"
#include "util/terminal.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace kctl::cli {

namespace {

constexpr std::string_view k_table_accept =
    "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
// Rows per list request, as kubectl's --chunk-size default.
constexpr std::int64_t k_list_page_size = 500;

struct GetOptions {
  ConnectionFlags karmada;
  std::vector<std::string> words;
  PrintFlags print;
  Selection selection; // no --all: get lists everything anyway
  std::string field_selector;
  std::string operation_scope = "karmada";
  std::vector<std::string> clusters;
  bool show_labels = false;
  bool no_headers = false;
  bool watch = false;
  bool watch_only = false;
  bool ignore_not_found = false;
  std::vector<std::string> label_columns;
  std::string sort_by;              // a JSONPath: rows in the order of its value
  bool show_kind = false;           // NAME as kind.group/name
  bool output_watch_events = false; // with -w: rows as watch events (EVENT, or {type, object})
  bool show_managed_fields = false;
};

// Where objects are read: the Karmada API server (cluster "") or a member through the proxy.
struct Target {
  std::string cluster;
  kube::Client client;
};

bool
is_cluster_resource(const kube::ApiResource& resource) {
  return resource.group == karmada::k_cluster_group && resource.resource == "clusters";
}

// Upstream shows a pod's ADOPTION (managed by Karmada or not) in the wide table only.
bool
shows_adoption(const std::string& resource, const output::Format& format) {
  return resource != "pods" || format.kind == output::Format::Kind::wide;
}

// What one listing produced.
struct Listed {
  std::vector<output::Column> columns;
  std::vector<output::Row> rows;
  std::string resource_version; // of the list, for -w
};

// What each Table row carries besides its cells (the server's includeObject): the object's
// metadata (labels, namespace), the whole object (for --sort-by, as kubectl asks), or nothing
// when the table shows neither.
enum class RowObject { metadata, whole, none };

// The request for one page of `ref` (one object or a collection) as a server-side Table.
kube::Request
table_page_request(const kube::ResourceRef& ref,
                   const kube::ListOptions& options,
                   const std::string& continue_token,
                   RowObject row_object) {
  kube::Query query;
  if (ref.name.empty()) {
    if (!options.label_selector.empty()) {
      query.emplace_back("labelSelector", options.label_selector);
    }
    if (!options.field_selector.empty()) {
      query.emplace_back("fieldSelector", options.field_selector);
    }
    query.emplace_back("limit", std::to_string(k_list_page_size));
    if (!continue_token.empty()) {
      query.emplace_back("continue", continue_token);
    }
  }
  if (row_object == RowObject::none) {
    query.emplace_back("includeObject", "None");
  } else if (row_object == RowObject::whole) {
    query.emplace_back("includeObject", "Object");
  }
  kube::Request request;
  request.verb = ref.name.empty() ? kube::Verb::list : kube::Verb::get;
  request.ref = ref;
  request.path = kube::with_query(ref.path(), query);
  request.accept = std::string(k_table_accept);
  return request;
}

// Adds rows built locally (NAME/AGE, or a Cluster's columns) for an answer that is not a Table:
// some aggregated API servers print none. `body` is one object or a list of them.
Status
add_object_rows(Json body, const kube::ResourceRef& ref, output::ServerTable& all) {
  bool clusters = ref.group == karmada::k_cluster_group && ref.resource == "clusters";
  all.columns = clusters ? output::cluster_columns() : output::default_columns();
  std::vector<Json> objects;
  if (body.contains("items")) {
    if (!body["items"].is_array()) {
      return failf("{}: the server's answer has no list of items", ref.describe());
    }
    for (auto& item : body["items"]) {
      if (!item.is_object()) {
        return failf("{}: the server's answer lists an item that is not an object", ref.describe());
      }
      objects.push_back(std::move(item));
    }
  } else {
    objects.push_back(std::move(body));
  }
  auto now = std::chrono::system_clock::now();
  for (auto& object : objects) {
    output::Row row;
    row.cells = clusters ? output::cluster_cells(object, now) : output::default_cells(object, now);
    row.object = std::move(object);
    all.rows.push_back(std::move(row));
  }
  return {};
}

// GETs `ref` (one object or a collection) as a server-side Table, a page of k_list_page_size rows
// at a time as kubectl does; when the server answers with plain objects, builds the rows from
// them (add_object_rows). A missing named object is nullopt.
Result<std::optional<output::ServerTable>>
fetch_table(const kube::Client& client,
            const kube::ResourceRef& ref,
            const kube::ListOptions& options,
            std::string* resource_version,
            RowObject row_object = RowObject::metadata) {
  output::ServerTable all;
  std::string token;
  do {
    KCTL_TRY_ASSIGN(kube::Response response,
                    client.transport()->send(table_page_request(ref, options, token, row_object)));
    if (response.status == 404 && !ref.name.empty()) {
      auto body = json::parse(response.body);
      if (body && body->is_object() && body->value("reason", "") == "NotFound") {
        return std::optional<output::ServerTable>{};
      }
    }
    if (response.status < 200 || response.status >= 300) {
      return std::unexpected(kube::error_from_response(response));
    }
    // managedFields are left out while parsing: the printer never shows them (as kubectl without
    // --show-managed-fields), and they are most of an object's bytes (1.2 of a Cluster's 1.9 KB).
    auto parsed = json::parse(response.body, json::k_max_json_depth, "managedFields");
    response.body = std::string();
    if (!parsed) {
      return failf("{}: the server's answer: {}", ref.describe(), parsed.error().message);
    }
    Json body = std::move(*parsed);
    if (!body.is_object()) {
      return failf("{}: the server's answer is not an object", ref.describe());
    }
    if (resource_version != nullptr) {
      *resource_version = body.value("/metadata/resourceVersion"_json_pointer, std::string{});
    }
    token = ref.name.empty() ? body.value("/metadata/continue"_json_pointer, std::string{}) : "";
    if (body.value("kind", "") != "Table") {
      KCTL_TRY(add_object_rows(std::move(body), ref, all));
      continue;
    }
    output::ServerTable page = output::from_server_table(std::move(body));
    all.columns = page.columns;
    for (auto& row : page.rows) {
      all.rows.push_back(std::move(row));
    }
  } while (!token.empty());
  return std::optional(std::move(all));
}

// The failures of reading one target ("" for Karmada), in the order met.
struct TargetErrors {
  std::string cluster;
  std::vector<std::string> messages;
};

struct GetRun {
  const GetOptions& options;
  output::Format format;
  std::vector<TargetErrors> errors;
  bool failed = false;
  bool namespaced_listing = false;
  std::string listed_namespace;
};

// Records one failure of reading `cluster` ("" for Karmada): its message, without kubectl's
// "Error from server (Reason):", as upstream prints it.
void
add_error_message(GetRun& run, const std::string& cluster, const std::string& message) {
  auto found = std::find_if(run.errors.begin(), run.errors.end(), [&](const TargetErrors& e) {
    return e.cluster == cluster;
  });
  if (found == run.errors.end()) {
    run.errors.push_back({cluster, {}});
    found = run.errors.end() - 1;
  }
  // A server that cannot be reached fails every resource type the same way: said once.
  if (std::find(found->messages.begin(), found->messages.end(), message) == found->messages.end()) {
    found->messages.push_back(message);
  }
  run.failed = true;
}

void
record_error(GetRun& run, const std::string& cluster, const Error& error) {
  add_error_message(run, cluster, error.message);
}

// The lines upstream prints for the failures: a target's as "cluster(NAME): message" (its several
// messages as "[first, second]", Karmada named "Karmada"), and "error: " before the line when
// it is the only one. Escaped: a server's words (issue 20).
std::vector<std::string>
error_lines(const std::vector<TargetErrors>& errors) {
  std::vector<std::string> lines;
  for (const auto& target : errors) {
    std::string text = target.messages.size() == 1
                           ? target.messages.front()
                           : fmt::format("[{}]", fmt::join(target.messages, ", "));
    lines.push_back(terminal::escape(
        fmt::format("cluster({}): {}", target.cluster.empty() ? "Karmada" : target.cluster, text)));
  }
  if (lines.size() == 1) {
    lines.front() = "error: " + lines.front();
  }
  return lines;
}

// One resource type to read from one target: where, with which list options, and how a name that
// is not there is reported.
struct TargetQuery {
  const Target& target;
  const kube::ApiResource& resource;
  std::string ns;
  kube::ListOptions list_options;
  std::function<void(const std::string&)> not_found;
};

// The objects themselves, as rows with the local columns (every format but the table).
Result<Listed>
list_objects(const TargetQuery& q, const std::vector<std::string>& names) {
  Listed listed;
  bool clusters = is_cluster_resource(q.resource);
  listed.columns = clusters ? output::cluster_columns() : output::default_columns();
  std::vector<Json> objects;
  if (names.empty()) {
    KCTL_TRY_ASSIGN(Json list, q.target.client.list(q.resource.ref(q.ns), q.list_options));
    listed.resource_version = list.value("/metadata/resourceVersion"_json_pointer, std::string{});
    for (auto& item : list["items"]) {
      objects.push_back(std::move(item));
    }
  }
  for (const auto& name : names) {
    KCTL_TRY_ASSIGN(std::optional<Json> object, q.target.client.get(q.resource.ref(q.ns, name)));
    if (!object) {
      q.not_found(name);
      continue;
    }
    objects.push_back(std::move(*object));
  }
  auto now = std::chrono::system_clock::now();
  for (auto& object : objects) {
    if (!object.contains("kind")) { // list items carry no kind
      object["kind"] = q.resource.kind;
      object["apiVersion"] = q.resource.group_version();
    }
    output::Row row;
    row.cells = clusters ? output::cluster_cells(object, now) : output::default_cells(object, now);
    row.object = std::move(object);
    listed.rows.push_back(std::move(row));
  }
  return listed;
}

// The server's table (as upstream's, so the cells are the server printer's, Clusters included),
// with just enough of each object for the columns added locally.
Result<Listed>
list_server_table(const GetOptions& o,
                  const TargetQuery& q,
                  const std::vector<std::string>& names) {
  Listed listed;
  // The rows' objects feed only the NAMESPACE, label, LABELS and (for members) ADOPTION columns.
  bool need_objects = o.show_labels || !o.label_columns.empty() ||
                      (o.selection.all_namespaces && q.resource.namespaced) ||
                      !q.target.cluster.empty();
  RowObject row_object = !o.sort_by.empty() ? RowObject::whole
                         : need_objects     ? RowObject::metadata
                                            : RowObject::none;
  if (names.empty()) {
    KCTL_TRY_ASSIGN(auto table,
                    fetch_table(q.target.client,
                                q.resource.ref(q.ns),
                                q.list_options,
                                &listed.resource_version,
                                row_object));
    listed.columns = table->columns;
    listed.rows = std::move(table->rows);
  }
  for (const auto& name : names) {
    KCTL_TRY_ASSIGN(
        auto table,
        fetch_table(
            q.target.client, q.resource.ref(q.ns, name), q.list_options, nullptr, row_object));
    if (!table) {
      q.not_found(name);
      continue;
    }
    listed.columns = table->columns;
    for (auto& row : table->rows) {
      listed.rows.push_back(std::move(row));
    }
  }
  return listed;
}

// Lists (or gets by name) one resource type from one target.
Result<Listed>
list_target(GetRun& run,
            const Target& target,
            const kube::ApiResource& resource,
            const std::vector<std::string>& names) {
  const GetOptions& o = run.options;
  TargetQuery query{target, resource, namespace_for(target.client, resource, o.selection), {}, {}};
  if (resource.namespaced && !o.selection.all_namespaces) {
    run.namespaced_listing = true;
    run.listed_namespace = query.ns;
  }
  query.list_options.label_selector = o.selection.label_selector;
  query.list_options.field_selector = o.field_selector;
  // Most of an object's bytes, and printed only when asked for.
  query.list_options.drop_managed_fields = !o.show_managed_fields;
  query.not_found = [&](const std::string& name) {
    if (!o.ignore_not_found) {
      record_error(
          run,
          target.cluster,
          Error{fmt::format("{} \"{}\" not found", kube::resource_with_group(resource), name),
                "NotFound",
                404});
    }
  };
  KCTL_TRY_ASSIGN(Listed listed,
                  run.format.is_table() ? list_server_table(o, query, names)
                                        : list_objects(query, names));
  std::string kind = kube::kind_with_group(resource);
  for (auto& row : listed.rows) {
    row.cluster = target.cluster;
    row.kind = kind;
  }
  return listed;
}

// Targets read at once by `get` (each a member API server behind the Karmada proxy, or Karmada).
constexpr std::size_t k_max_targets_in_flight = 16;

// What reading one target gave: its resource and rows, or nothing (then `run` holds the errors).
struct TargetListing {
  GetRun run;
  std::optional<kube::ApiResource> resource;
  std::optional<Listed> listed;
};

void
list_target_entry(TargetListing& listing, const Target& target, const TypedNames& entry) {
  auto resource = kube::resolve_resource(target.client, entry.type);
  if (!resource) {
    record_error(listing.run, target.cluster, resource.error());
    return;
  }
  auto listed = list_target(listing.run, target, *resource, entry.names);
  if (!listed) {
    record_error(listing.run, target.cluster, listed.error());
    return;
  }
  listing.resource = std::move(*resource);
  listing.listed = std::move(*listed);
}

// Reads one target on a parallel_for worker, which must not throw: a field of an unexpected type
// in a server's answer (nlohmann's type_error) is that target's error, not the end of the process.
void
list_one_target(TargetListing& listing, const Target& target, const TypedNames& entry) {
  try {
    list_target_entry(listing, target, entry);
  } catch (const std::exception& e) {
    listing.resource.reset();
    listing.listed.reset();
    record_error(
        listing.run,
        target.cluster,
        Error{fmt::format("the server's answer for {} cannot be read: {}", entry.type, e.what()),
              "",
              0});
  }
}

// Takes what one target's reading recorded into the command's run.
void
merge_run(GetRun& run, const GetRun& target_run) {
  for (const auto& target : target_run.errors) {
    for (const auto& message : target.messages) {
      add_error_message(run, target.cluster, message);
    }
  }
  run.failed = run.failed || target_run.failed;
  if (target_run.namespaced_listing) {
    run.namespaced_listing = true;
    run.listed_namespace = target_run.listed_namespace;
  }
}

Result<std::vector<Target>>
targets_for(const GetOptions& o, const Connection& karmada) {
  std::vector<Target> targets;
  if (o.operation_scope == "karmada" || o.operation_scope == "all") {
    targets.push_back({"", karmada.client});
  }
  if (o.operation_scope == "karmada") {
    if (!o.clusters.empty()) {
      // Upstream ignores -C silently under this scope; a script that meant members should hear.
      fmt::print(stderr,
                 "warning: -C/--clusters {} is ignored: the operation scope is karmada (add "
                 "--operation-scope members or all to read them)\n",
                 terminal::escape_line(fmt::format("{}", fmt::join(o.clusters, ","))));
    }
    return targets;
  }
  std::vector<std::string> names = o.clusters;
  if (names.empty()) {
    KCTL_TRY_ASSIGN(std::vector<karmada::ClusterSummary> clusters,
                    karmada::list_clusters(karmada.client));
    for (const auto& cluster : clusters) {
      names.push_back(cluster.name);
    }
  } else {
    // Only the named ones are read: Karmada may hold thousands of Clusters. Upstream's message
    // names every one missing.
    std::vector<std::string> missing;
    for (const auto& name : names) {
      KCTL_TRY_ASSIGN(std::optional<karmada::ClusterSummary> cluster,
                      karmada::find_cluster(karmada.client, name));
      if (!cluster) {
        missing.push_back(name);
      }
    }
    if (!missing.empty()) {
      return failf("clusters don't exist: {}", fmt::join(missing, ","));
    }
  }
  for (const auto& name : names) {
    KCTL_TRY_ASSIGN(kube::Client client, karmada::connect_member_proxy(karmada.rest, name));
    targets.push_back({name, std::move(client)});
  }
  return targets;
}

// Prints the rows of watch events from several threads, a whole line at a time, with the header
// before the first when the listing printed none.
class WatchPrinter {
public:
  WatchPrinter(const GetRun& run, const std::vector<output::Column>& columns, bool headers_printed)
      : m_run(run), m_columns(columns),
        m_need_headers(!headers_printed && !run.options.no_headers && run.format.is_table()) {}

  void print(const output::Row& row, const kube::ApiResource& resource) {
    const GetOptions& o = m_run.options;
    output::TableOptions table;
    table.no_headers = true;
    table.show_labels = o.show_labels;
    table.namespace_column = o.selection.all_namespaces && resource.namespaced;
    table.cluster_column = true;
    table.adoption_column = shows_adoption(resource.resource, m_run.format);
    table.label_columns = o.label_columns;
    table.show_kind = o.show_kind;
    table.event_column = o.output_watch_events;
    std::lock_guard lock(m_mutex);
    if (m_need_headers) {
      table.no_headers = false;
      if (auto header = output::render(m_run.format, m_columns, {}, table, output::Shape::list)) {
        fmt::print("{}", *header);
      }
      table.no_headers = true;
      m_need_headers = false;
    }
    if (auto text = output::render(m_run.format, m_columns, {row}, table, output::Shape::single)) {
      fmt::print("{}", *text);
      std::fflush(stdout);
    }
  }

private:
  const GetRun& m_run;
  const std::vector<output::Column>& m_columns;
  bool m_need_headers;
  std::mutex m_mutex;
};

// The row of one watch event. A table row is the server's for the object as it is now (a GET of
// it as a Table); a deleted object keeps the cells it was last shown with.
output::Row
event_row(const GetRun& run,
          const Target& target,
          const kube::ApiResource& resource,
          const std::string& ns,
          const kube::WatchEvent& event,
          std::map<std::string, std::vector<std::string>>& last_cells) {
  output::Row row;
  row.object = event.object;
  row.cluster = target.cluster;
  row.kind = kube::kind_with_group(resource);
  if (run.options.output_watch_events) {
    row.event = event.type;
  }
  std::string name = json::string_at(event.object, "/metadata/name"_json_pointer);
  std::string key = json::string_at(event.object, "/metadata/namespace"_json_pointer) + "/" + name;
  auto now = std::chrono::system_clock::now();
  if (is_cluster_resource(resource)) {
    row.cells = output::cluster_cells(event.object, now);
  } else if (run.format.is_table() && event.type != "DELETED") {
    auto table = fetch_table(target.client, resource.ref(ns, name), {}, nullptr);
    if (table && *table && !(*table)->rows.empty()) {
      row.cells = (*table)->rows.front().cells;
    }
  }
  if (row.cells.empty()) {
    row.cells =
        last_cells.contains(key) ? last_cells[key] : output::default_cells(event.object, now);
  }
  last_cells[key] = row.cells;
  return row;
}

// Watches one target's collection from `resource_version` and prints a row per event; the
// error line of a watch that failed.
std::optional<std::string>
watch_target(const GetRun& run,
             WatchPrinter& printer,
             const Target& target,
             const kube::ApiResource& resource,
             const std::string& resource_version) {
  const GetOptions& o = run.options;
  std::string ns = namespace_for(target.client, resource, o.selection);
  kube::WatchOptions options;
  options.label_selector = o.selection.label_selector;
  options.field_selector = o.field_selector;
  options.resource_version = resource_version;
  options.on_gone = kube::OnGone::relist;
  std::map<std::string, std::vector<std::string>> last_cells;
  auto watched = target.client.watch(resource.ref(ns), options, [&](const kube::WatchEvent& event) {
    printer.print(event_row(run, target, resource, ns, event, last_cells), resource);
    return kube::StreamControl::proceed;
  });
  if (!watched) {
    return server_error_line(watched.error());
  }
  return std::nullopt;
}

// -w: watches every target's collection at once and prints a row per event.
Status
watch_targets(GetRun& run,
              const std::vector<Target>& targets,
              const std::vector<kube::ApiResource>& resources,
              const std::vector<std::string>& resource_versions,
              const std::vector<output::Column>& columns,
              bool headers_printed) {
  WatchPrinter printer(run, columns, headers_printed);
  std::vector<std::thread> threads;
  std::vector<std::optional<std::string>> failures(targets.size());
  for (size_t i = 0; i < targets.size(); ++i) {
    threads.emplace_back([&, i] {
      // A thread must not throw (std::terminate): an event of an unexpected shape ends this
      // target's watch with an error instead.
      try {
        failures[i] = watch_target(run, printer, targets[i], resources[i], resource_versions[i]);
      } catch (const std::exception& e) {
        failures[i] = fmt::format("an event cannot be read: {}", e.what());
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  for (size_t i = 0; i < failures.size(); ++i) {
    if (failures[i]) {
      return failf("watch of {}: {}",
                   targets[i].cluster.empty() ? std::string("Karmada") : targets[i].cluster,
                   *failures[i]);
    }
  }
  return {};
}

// The rows of one resource type, from every target: a table prints each type as a table of its
// own, with its own columns and widths.
struct TypeRows {
  std::string order_key; // "group/version, Resource=plural": upstream orders the tables by it
  std::string resource;  // the plural name
  std::vector<output::Column> columns;
  std::vector<output::Row> rows;
};

// Adds what one target listed to its type's rows (the widest columns of the type's listings).
void
add_listing(std::vector<TypeRows>& types, const kube::ApiResource& resource, Listed& listed) {
  std::string key =
      fmt::format("{}/{}, Resource={}", resource.group, resource.version, resource.resource);
  auto found = std::find_if(
      types.begin(), types.end(), [&](const TypeRows& type) { return type.order_key == key; });
  if (found == types.end()) {
    types.push_back({key, resource.resource, {}, {}});
    found = types.end() - 1;
  }
  if (found->columns.size() < listed.columns.size()) {
    found->columns = listed.columns;
  }
  for (auto& row : listed.rows) {
    found->rows.push_back(std::move(row));
  }
}

std::size_t
row_count(const std::vector<TypeRows>& types) {
  std::size_t count = 0;
  for (const auto& type : types) {
    count += type.rows.size();
  }
  return count;
}

// Whether the rows hold objects of more than one kind: kubectl then names the kind in NAME.
bool
several_kinds(const std::vector<TypeRows>& types) {
  std::string first;
  for (const auto& type : types) {
    for (const auto& row : type.rows) {
      if (first.empty()) {
        first = row.kind;
      } else if (row.kind != first) {
        return true;
      }
    }
  }
  return false;
}

// kubectl's warnings for a --sort-by that a watch cannot honour.
void
warn_sort_by_ignored(const GetOptions& o) {
  if (o.sort_by.empty()) {
    return;
  }
  if (o.watch_only) {
    fmt::print(stderr, "warning: --watch-only requested, --sort-by will be ignored\n");
  } else if (o.watch) {
    fmt::print(stderr,
               "warning: --watch requested, --sort-by will be ignored for watch events "
               "received\n");
  }
}

// The tables of a listing, as upstream prints them: one a resource type, in the order of their
// group, version and resource, each sorted by --sort-by, a blank line between two (unless
// --no-headers). A type without rows prints nothing.
Result<std::string>
render_tables(const GetOptions& o,
              const output::Format& format,
              std::vector<TypeRows> types,
              const output::TableOptions& table) {
  std::stable_sort(types.begin(), types.end(), [](const TypeRows& a, const TypeRows& b) {
    return a.order_key < b.order_key;
  });
  std::string text;
  for (auto& type : types) {
    if (type.rows.empty()) {
      continue;
    }
    if (!o.sort_by.empty() && !o.watch_only) {
      KCTL_TRY(output::sort_rows(type.rows, o.sort_by));
    }
    output::TableOptions type_table = table;
    type_table.adoption_column = shows_adoption(type.resource, format);
    KCTL_TRY_ASSIGN(
        std::string one,
        output::render(format, type.columns, type.rows, type_table, output::Shape::list));
    if (!text.empty() && !o.no_headers) {
      text += "\n";
    }
    text += one;
  }
  return text;
}

// The listing's text. Tables are printed a resource type each; every other format prints the
// rows of all types together (sorted by --sort-by), listed rows as watch events one event after
// another, as the watch prints the rest, never as a List.
Result<std::string>
render_listing(const GetOptions& o,
               const output::Format& format,
               const std::vector<TypeRows>& types,
               const output::TableOptions& table,
               bool single) {
  if (format.is_table()) {
    return render_tables(o, format, types, table);
  }
  std::vector<output::Column> columns;
  std::vector<output::Row> rows;
  for (const auto& type : types) {
    rows.insert(rows.end(), type.rows.begin(), type.rows.end());
    if (columns.size() < type.columns.size()) {
      columns = type.columns;
    }
  }
  if (!o.sort_by.empty() && !o.watch_only) {
    KCTL_TRY(output::sort_rows(rows, o.sort_by));
  }
  if (!o.output_watch_events) {
    return output::render(
        format, columns, rows, table, single ? output::Shape::single : output::Shape::list);
  }
  std::string text;
  for (const auto& row : rows) {
    KCTL_TRY_ASSIGN(std::string one,
                    output::render(format, columns, {row}, table, output::Shape::single));
    text += one;
  }
  return text;
}

// Every problem in get's flags and arguments, before anything is contacted.
Problems
check_get(const GetOptions& o) {
  Problems problems;
  check_one_of("-s/--operation-scope", o.operation_scope, {"karmada", "members", "all"}, problems);
  check_connection_flags(o.karmada, problems);
  if (o.words.empty()) {
    problems.add(
        "You must specify the type of resource to get. Use \"karmadactl api-resources\" for a "
        "complete list of supported resources.");
    return problems;
  }
  problems.take(o.print.parse());
  if (o.output_watch_events && !(o.watch || o.watch_only)) {
    problems.add("--output-watch-events option can only be used with --watch or --watch-only");
  }
  if (!o.sort_by.empty()) {
    problems.take(output::JsonPath::parse_relaxed(o.sort_by));
  }
  auto typed = problems.take(parse_resource_words(o.words));
  if (typed && (o.watch || o.watch_only) && typed->size() != 1) {
    problems.add("watch is only supported on individual resources and resource collections");
  }
  // Names no object can have, where the rule is certain: Karmada's Clusters (when only Karmada is
  // read: on a member "clusters" may be another group's), Namespaces, -n and -C.
  for (const auto& entry : typed.value_or(std::vector<TypedNames>{})) {
    if (o.operation_scope == "karmada" && names_karmada_clusters(entry.type)) {
      check_cluster_names("", entry.names, problems);
    } else if (names_namespaces(entry.type)) {
      for (const auto& name : entry.names) {
        check_namespace_name(name, problems);
      }
    }
  }
  check_cluster_names("-C/--clusters", o.clusters, problems);
  return problems;
}

Result<ExitCode>
run_get(const GetOptions& o) {
  KCTL_TRY_ASSIGN(output::Format format, o.print.load());
  format.show_managed_fields = o.show_managed_fields;
  warn_sort_by_ignored(o);
  KCTL_TRY_ASSIGN(std::vector<TypedNames> typed, parse_resource_words(o.words));
  KCTL_TRY_ASSIGN(Connection karmada, connect(o.karmada, ClusterRole::karmada));
  KCTL_TRY_ASSIGN(std::vector<Target> targets, targets_for(o, karmada));
  GetRun run{o, format, {}, false, false, {}};

  std::vector<TypeRows> types;
  bool any_namespaced = false;
  std::vector<Target> watched;
  std::vector<kube::ApiResource> watched_resources;
  std::vector<std::string> watched_versions;
  for (const auto& entry : typed) {
    // The targets are read at the same time (each is its own API server behind the proxy) and
    // their rows and errors taken in target order, as if read one after the other.
    std::vector<TargetListing> listings;
    listings.reserve(targets.size());
    for (std::size_t i = 0; i < targets.size(); ++i) {
      listings.push_back({GetRun{o, format, {}, false, false, {}}, {}, {}});
    }
    parallel_for(targets.size(), k_max_targets_in_flight, [&](std::size_t i) {
      list_one_target(listings[i], targets[i], entry);
    });
    for (std::size_t i = 0; i < targets.size(); ++i) {
      TargetListing& listing = listings[i];
      const Target& target = targets[i];
      merge_run(run, listing.run);
      if (!listing.resource || !listing.listed) {
        continue;
      }
      std::optional<kube::ApiResource>& resource = listing.resource;
      std::optional<Listed>& listed = listing.listed;
      any_namespaced = any_namespaced || resource->namespaced;
      add_listing(types, *resource, *listed);
      watched.push_back(target);
      watched_resources.push_back(*resource);
      watched_versions.push_back(listed->resource_version);
    }
  }
  for (const auto& line : error_lines(run.errors)) {
    fmt::print(stderr, "{}\n", line);
  }
  output::TableOptions table;
  table.no_headers = o.no_headers;
  table.show_labels = o.show_labels;
  table.namespace_column = o.selection.all_namespaces && any_namespaced;
  table.cluster_column = true;
  table.adoption_column = true;
  table.label_columns = o.label_columns;
  table.show_kind = o.show_kind || several_kinds(types);
  table.event_column = o.output_watch_events;
  if (o.output_watch_events) {
    // kubectl prints what was listed as the watch's first events.
    for (auto& type : types) {
      for (auto& row : type.rows) {
        row.event = "ADDED";
      }
    }
  }
  bool single = typed.size() == 1 && typed.front().names.size() == 1 && targets.size() == 1;
  bool named = std::any_of(
      typed.begin(), typed.end(), [](const TypedNames& entry) { return !entry.names.empty(); });
  bool printed_headers = false;
  if (!o.watch_only) {
    // Nothing read (a failure, or named objects not found): nothing on stdout, not an empty List.
    // An empty listing is something read: -o json prints its empty List, as kubectl does.
    if (row_count(types) == 0 &&
        (run.failed || named || format.is_table() || format.kind == output::Format::Kind::name)) {
      if (!run.failed && !o.ignore_not_found) {
        if (run.namespaced_listing) {
          fmt::print(stderr,
                     "No resources found in {} namespace.\n",
                     terminal::escape_line(run.listed_namespace));
        } else {
          fmt::print(stderr, "No resources found\n");
        }
      }
    } else {
      KCTL_TRY_ASSIGN(std::string text, render_listing(o, format, types, table, single));
      fmt::print("{}", text);
      printed_headers = true;
    }
  }
  std::fflush(stdout);
  if (o.watch || o.watch_only) {
    // A watch is of one resource type (check_get): its columns are that type's.
    std::vector<output::Column> columns =
        types.empty() ? std::vector<output::Column>{} : types.front().columns;
    KCTL_TRY(
        watch_targets(run, watched, watched_resources, watched_versions, columns, printed_headers));
  }
  return run.failed ? ExitCode::failure : ExitCode::ok;
}

} // namespace

void
setup_get(CLI::App& app, Invocation& invocation) {
  auto options = std::make_shared<GetOptions>();
  CLI::App* command = &app;
  set_kubectl_help(
      *command,
      "Display one or many resources in the Karmada control plane and member clusters.\n\n"
      "Prints a table of the most important information about the specified resources. You can "
      "filter the list using a label selector and the --selector flag. If the desired resource "
      "type is namespaced you will only see results in your current namespace unless you pass "
      "--all-namespaces.\n\n"
      "With --operation-scope members (or all) the member clusters are read too, through the "
      "Karmada API server's clusters/proxy subresource; the CLUSTER column says where each object "
      "is, and ADOPTION whether Karmada manages a member's object.\n\n"
      "By specifying the output as 'template' and providing a JSONPath expression you can print "
      "fields of the fetched resources.",
      with_program("  # List all clusters in ps output format\n"
                   "  {program} get clusters\n\n"
                   "  # List clusters with more information, and their labels\n"
                   "  {program} get clusters -o wide --show-labels\n\n"
                   "  # List clusters with the label environment=dev\n"
                   "  {program} get clusters -l environment=dev\n\n"
                   "  # List all pods of every member cluster\n"
                   "  {program} get pods -A --operation-scope members\n\n"
                   "  # List deployments in Karmada and in member1\n"
                   "  {program} get deployments --operation-scope all --clusters member1\n\n"
                   "  # Print only the cluster names\n"
                   "  {program} get clusters -o jsonpath='{.items[*].metadata.name}'\n\n"
                   "  # Print each cluster's name and sync mode with a Go template\n"
                   "  {program} get clusters -o go-template='{{range .items}}{{.metadata.name}} "
                   "{{.spec.syncMode}}{{\"\\n\"}}{{end}}'\n\n"
                   "  # List clusters sorted by their creation time\n"
                   "  {program} get clusters --sort-by=.metadata.creationTimestamp\n\n"
                   "  # Watch the clusters\n"
                   "  {program} get clusters -w",
                   invocation.program));
  command->add_option("args", options->words, "TYPE[.GROUP] [NAME...] or TYPE/NAME...");
  bind_print_flag(*command, options->print);
  command->add_option("--sort-by",
                      options->sort_by,
                      "If non-empty, sort list types using this field specification. The field "
                      "specification is expressed as a JSONPath expression (e.g. "
                      "'{.metadata.name}'). The field in the API resource specified by this "
                      "JSONPath expression must be an integer or a string.");
  command->add_flag("--show-kind",
                    options->show_kind,
                    "If present, list the resource type for the requested object(s).");
  command->add_flag("--output-watch-events",
                    options->output_watch_events,
                    "Output watch event objects when --watch or --watch-only is used. Existing "
                    "objects are output as initial ADDED events.");
  command->add_flag("--show-managed-fields",
                    options->show_managed_fields,
                    "If true, keep the managedFields when printing objects in JSON or YAML "
                    "format.");
  bind_selection(
      *command, options->selection, {.all = false, .namespaces = true, .labels_alias = true});
  command->add_option("--field-selector",
                      options->field_selector,
                      "Selector (field query) to filter on (e.g. --field-selector "
                      "metadata.name=member1)");
  command
      ->add_option("-s,--operation-scope",
                   options->operation_scope,
                   "Used to control the operation scope of the command: karmada (the Karmada "
                   "control plane), members (member clusters) or all")
      ->capture_default_str();
  command
      ->add_option("-C,--clusters",
                   options->clusters,
                   "Member clusters to read with --operation-scope members or all (default: "
                   "every registered cluster)")
      ->delimiter(',');
  command->add_flag(
      "--show-labels", options->show_labels, "When printing, show all labels as the last column");
  command->add_flag("--no-headers", options->no_headers, "When printing, don't print headers");
  command
      ->add_option("-L,--label-columns",
                   options->label_columns,
                   "Labels to show as columns (e.g. -L environment,region)")
      ->delimiter(',');
  command->add_flag("-w,--watch",
                    options->watch,
                    "After listing/getting the requested object, watch for changes");
  command->add_flag("--watch-only",
                    options->watch_only,
                    "Watch for changes to the requested object(s), without listing/getting first");
  command->add_flag("--ignore-not-found",
                    options->ignore_not_found,
                    "If the requested object does not exist the command will return exit code 0");
  bind_connection_flags(*command, options->karmada, ClusterRole::karmada);
  defer_value_errors(*command, invocation.value_problems);
  command->callback([&invocation, options] {
    invocation.validate = [options] { return check_get(*options); };
    invocation.action = [options] { return run_get(*options); };
  });
}

} // namespace kctl::cli
