#include "commands/apply.hpp"

#include "commands/checks.hpp"
#include "commands/connection.hpp"
#include "commands/flag_sets.hpp"
#include "commands/flags.hpp"
#include "commands/kubectl_help.hpp"
#include "flow/apply.hpp"
#include "karmada/clusters.hpp"
#include "karmada/propagation.hpp"
#include "kube/manifest_reader.hpp"
#include "output/stream.hpp"
#include "util/fs.hpp"
#include "util/terminal.hpp"
#include "util/yaml.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <memory>

namespace kctl::cli {

namespace {

struct ApplyCommandOptions {
  ConnectionFlags karmada;
  kube::ManifestSources sources;
  DryRunFlag dry_run;
  bool all_clusters = false;
  std::vector<std::string> clusters;
  bool force_conflicts = false;
  std::string field_manager = "karmadactl";
  std::string output;
};

// Every problem in apply's flags, before any file is read or the cluster contacted.
Problems
check_apply(const ApplyCommandOptions& o) {
  Problems problems;
  if (o.sources.paths.empty()) {
    problems.add("must specify -f/--filename (a file, a directory, a URL or -)");
  }
  for (const auto& path : o.sources.paths) {
    bool url = path.starts_with("http://") || path.starts_with("https://");
    std::error_code error;
    if (!url && path != "-" && !std::filesystem::exists(fs::expand_home(path), error)) {
      problems.add("-f/--filename {}: no such file or directory", path);
    }
  }
  if (o.all_clusters && !o.clusters.empty()) {
    problems.add("--all-clusters and -C/--cluster {} cannot be used together: give one of them",
                 fmt::join(o.clusters, ","));
  }
  if (o.field_manager.empty()) {
    problems.add("--field-manager must not be empty (default: karmadactl)");
  }
  check_connection_flags(o.karmada, problems);
  return problems;
}

Status
check_clusters_exist(const kube::Client& karmada, const std::vector<std::string>& wanted) {
  KCTL_TRY_ASSIGN(std::vector<karmada::ClusterSummary> clusters, karmada::list_clusters(karmada));
  std::string missing;
  for (const auto& name : wanted) {
    bool found = std::any_of(
        clusters.begin(), clusters.end(), [&](const auto& c) { return c.name == name; });
    if (!found) {
      missing += (missing.empty() ? "" : ", ") + name;
    }
  }
  if (!missing.empty()) {
    return failf("cluster {} does not exist (see `get clusters`); nothing was applied", missing);
  }
  return {};
}

// Applies one object; the action says what the server-side apply changed, in kubectl's words.
Result<flow::ApplyAction>
apply_object(const kube::Client& client,
             const kube::ResourceRef& ref,
             const Json& object,
             const kube::ApplyOptions& options) {
  KCTL_TRY_ASSIGN(std::optional<Json> existing, client.get(ref));
  if (existing && flow::is_subset(object, *existing)) {
    return flow::ApplyAction::unchanged;
  }
  KCTL_TRY(client.apply(ref, object, options));
  return existing ? flow::ApplyAction::configured : flow::ApplyAction::created;
}

// Fills in the namespace of a namespaced object from -n or the kubeconfig; refuses an object whose
// namespace contradicts an explicit -n, as kubectl does.
Result<kube::ResourceRef>
target_of(const kube::Client& client, Json& object, const ApplyCommandOptions& o) {
  KCTL_TRY_ASSIGN(kube::ResourceRef ref, client.ref_for(object));
  if (ref.namespace_name.empty()) {
    if (object.contains("metadata")) {
      object["metadata"].erase("namespace");
    }
    return ref;
  }
  std::string given = object.value("/metadata/namespace"_json_pointer, "");
  if (!given.empty() && !o.karmada.namespace_name.empty() && given != o.karmada.namespace_name) {
    return fail_usage(fmt::format(
        "the namespace from the provided object \"{}\" does not match the namespace \"{}\". You "
        "must pass '--namespace={}' to perform this operation.",
        given,
        o.karmada.namespace_name,
        given));
  }
  object["metadata"]["namespace"] = ref.namespace_name;
  return ref;
}

Result<ExitCode>
run_apply(ApplyCommandOptions o) {
  // Every input is read and parsed before the cluster is touched.
  KCTL_TRY_ASSIGN(kube::Manifests manifests, kube::read_manifests(o.sources));
  for (const auto& warning : manifests.warnings) {
    fmt::print(stderr, "warning: {}\n", warning);
  }
  std::vector<kube::SourcedObject>& objects = manifests.objects;
  KCTL_TRY_ASSIGN(Connection karmada, connect(o.karmada, ClusterRole::karmada, o.dry_run.mode()));
  const kube::Client& client = karmada.client;
  if (!o.clusters.empty()) {
    KCTL_TRY(check_clusters_exist(client, o.clusters));
  }
  bool propagate = o.all_clusters || !o.clusters.empty();
  kube::ApplyOptions apply_options;
  apply_options.field_manager = o.field_manager;
  apply_options.force = o.force_conflicts ? kube::Force::yes : kube::Force::no;
  std::string_view suffix = o.dry_run.suffix();

  size_t failed = 0;
  output::ObjectStream stream(o.output);
  auto report =
      [&](const std::string& source, const Json& object, const Result<flow::ApplyAction>& r) {
        if (!r) {
          ++failed;
          fmt::print(stderr,
                     "error: {}: {}: {}\n",
                     terminal::escape_line(source),
                     terminal::escape_line(output::qualified_name(object)),
                     terminal::escape(r.error().message));
          return;
        }
        if (!o.output.empty()) {
          fmt::print("{}", stream.add(object));
        } else {
          fmt::print("{} {}{}\n",
                     terminal::escape_line(output::qualified_name(object)),
                     flow::to_string(*r),
                     suffix);
        }
      };
  for (auto& [source, object] : objects) {
    Result<kube::ResourceRef> ref = target_of(client, object, o);
    if (!ref) {
      report(source, object, std::unexpected(ref.error()));
      continue;
    }
    auto applied = apply_object(client, *ref, object, apply_options);
    report(source, object, applied);
    if (!propagate || !applied) {
      continue;
    }
    karmada::PolicyTarget target{
        object.value("apiVersion", ""), object.value("kind", ""), ref->namespace_name, ref->name};
    Json policy = karmada::propagation_policy_for(target, o.clusters);
    Result<flow::ApplyAction> policy_applied = [&]() -> Result<flow::ApplyAction> {
      KCTL_TRY_ASSIGN(kube::ResourceRef policy_ref, client.ref_for(policy));
      return apply_object(client, policy_ref, policy, apply_options);
    }();
    report(source, policy, policy_applied);
  }
  fmt::print("{}", stream.finish());
  if (failed > 0) {
    return failf("{} of {} objects failed to apply (see above); the others were applied, and "
                 "running the same command again applies what is missing",
                 failed,
                 objects.size() * (propagate ? 2 : 1));
  }
  return ExitCode::ok;
}

} // namespace

void
setup_apply(CLI::App& app, Invocation& invocation) {
  auto o = std::make_shared<ApplyCommandOptions>();
  CLI::App* command = &app;
  command->description(
      "Apply a configuration to a resource by file name or stdin and propagate them into member "
      "clusters.\n\nThe objects are applied to the Karmada API server with server-side apply "
      "(field manager karmadactl). With --all-clusters or --cluster, a PropagationPolicy (or "
      "ClusterPropagationPolicy, for cluster-scoped objects) is created or updated for each object "
      "so that it lands in those member clusters. JSON and YAML formats are accepted; a "
      "directory's .yaml, .yml and .json files are read in name order.");
  set_kubectl_help(
      *command,
      "",
      with_program(
          "  # Apply the configuration without propagation into member clusters\n"
          "  {program} apply -f manifest.yaml\n\n"
          "  # Apply resources from a directory and propagate them into all member clusters\n"
          "  {program} apply -f dir/ --all-clusters\n\n"
          "  # Apply and propagate into member1 and member2 only\n"
          "  {program} apply -f manifest.yaml -C member1,member2\n\n"
          "  # See what would change, checked by the server, without changing anything\n"
          "  {program} apply -f manifest.yaml --dry-run=server",
          invocation.program));
  bind_connection_flags(*command, o->karmada, ClusterRole::karmada);
  bind_namespace_flag(*command, o->karmada);
  command
      ->add_option("-f,--filename",
                   o->sources.paths,
                   "The files, directories or URLs that contain the configuration to apply (- for "
                   "standard input)")
      ->delimiter(',');
  command->add_flag(
      "-R,--recursive", o->sources.recursive, "Process the directory used in -f recursively");
  bind_dry_run(*command, o->dry_run, DryRunStyle::strategy);
  command->add_flag("--all-clusters",
                    o->all_clusters,
                    "If present, propagates a group of resources to all member clusters");
  command
      ->add_option("-C,--cluster",
                   o->clusters,
                   "If present, propagates a group of resources to specified clusters")
      ->delimiter(',');
  command->add_flag("--force-conflicts",
                    o->force_conflicts,
                    "Take over fields other managers own instead of failing on conflicts");
  command
      ->add_option(
          "--field-manager", o->field_manager, "Name of the manager tracking field ownership")
      ->capture_default_str();
  add_output_flag(*command, o->output, {"name", "json", "yaml"});
  defer_value_errors(*command, invocation.value_problems);
  command->callback([&invocation, o] {
    invocation.validate = [o] { return check_apply(*o); };
    invocation.action = [o] { return run_apply(*o); };
  });
}

} // namespace kctl::cli
