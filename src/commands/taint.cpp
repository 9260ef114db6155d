#include "commands/taint.hpp"

#include "commands/checks.hpp"
#include "commands/connection.hpp"
#include "commands/flag_sets.hpp"
#include "commands/flags.hpp"
#include "commands/kubectl_help.hpp"
#include "commands/targets.hpp"
#include "karmada/clusters.hpp"
#include "kube/labels.hpp"
#include "kube/taints.hpp"
#include "util/terminal.hpp"
#include "util/time.hpp"

#include <fmt/format.h>

#include <ctime>
#include <memory>

namespace kctl::cli {

namespace {

struct TaintOptions {
  ConnectionFlags karmada;
  std::vector<std::string> words;
  bool overwrite = false;
  DryRunFlag dry_run;
  Selection selection; // clusters are cluster-scoped: no -n or -A
};

bool
is_taint_word(const std::string& word) {
  return word.find('=') != std::string::npos || word.find(':') != std::string::npos ||
         word.ends_with('-');
}

// The cluster names and taint changes of taint's words.
struct TaintArgs {
  std::vector<std::string> names;
  std::vector<std::string> taint_words;
};

// Splits taint's words and adds every problem in them and in its flags to `problems`.
TaintArgs
split_taint_args(const TaintOptions& o, Problems& problems) {
  std::vector<std::string> resources;
  TaintArgs args;
  for (const auto& word : o.words) {
    if (is_taint_word(word)) {
      args.taint_words.push_back(word);
    } else if (!args.taint_words.empty()) {
      problems.add("all resources must be specified before taint changes: {}", word);
    } else {
      resources.push_back(word);
    }
  }
  if (resources.empty()) {
    problems.add("a resource type and cluster names are required: taint clusters NAME... "
                 "KEY[=VALUE]:EFFECT");
    return args;
  }
  bool clusters = resources.front() == "clusters" || resources.front() == "cluster";
  if (!clusters) {
    problems.add("invalid resource type {}, only \"clusters\" is supported (taint clusters NAME "
                 "KEY[=VALUE]:EFFECT)",
                 resources.front());
  }
  args.names.assign(resources.begin() + 1, resources.end());
  if (clusters) {
    check_cluster_names("", args.names, problems);
  }
  const Selection& s = o.selection;
  if (args.names.empty() && !s.all && s.label_selector.empty()) {
    problems.add("at least one resource name must be specified since 'all' parameter is "
                 "not set");
  }
  if (!args.names.empty() && (s.all || !s.label_selector.empty())) {
    problems.add("names cannot be provided when a selector is specified or --all is given");
  }
  if (s.all && !s.label_selector.empty()) {
    problems.add("cannot set --all and --selector at the same time");
  }
  if (args.taint_words.empty()) {
    problems.add("at least one taint update is required (KEY[=VALUE]:EFFECT to add, KEY[:EFFECT]- "
                 "to remove)");
  } else {
    problems.take(kube::parse_taint_changes(args.taint_words));
  }
  check_connection_flags(o.karmada, problems);
  return args;
}

Problems
check_taint(const TaintOptions& o) {
  Problems problems;
  split_taint_args(o, problems);
  return problems;
}

Result<ExitCode>
run_taint(const TaintOptions& o) {
  Problems checked; // reported before the action runs (check_taint)
  TaintArgs args = split_taint_args(o, checked);
  const std::vector<std::string>& names = args.names;
  const std::vector<std::string>& taint_words = args.taint_words;
  KCTL_TRY_ASSIGN(kube::TaintChanges changes, kube::parse_taint_changes(taint_words));
  KCTL_TRY_ASSIGN(Connection karmada, connect(o.karmada, ClusterRole::karmada, o.dry_run.mode()));
  std::vector<Json> clusters;
  bool failed = false;
  if (names.empty()) {
    kube::ListOptions options;
    options.label_selector = o.selection.label_selector;
    KCTL_TRY_ASSIGN(Json list, karmada.client.list(karmada::cluster_ref(), options));
    clusters = list["items"].get<std::vector<Json>>();
  } else {
    for (const auto& name : names) {
      KCTL_TRY_ASSIGN(std::optional<Json> cluster, karmada.client.get(karmada::cluster_ref(name)));
      if (!cluster) {
        fmt::print(stderr,
                   "Error from server (NotFound): clusters.cluster.karmada.io \"{}\" not found\n",
                   name);
        failed = true;
        continue;
      }
      clusters.push_back(std::move(*cluster));
    }
  }
  for (const auto& cluster : clusters) {
    std::string name = cluster.value("/metadata/name"_json_pointer, std::string{});
    std::string shown = terminal::escape_line(name); // a server's word (issue 20)
    Json previous = cluster.value("/spec/taints"_json_pointer, Json::array());
    auto update = kube::apply_taints(
        kube::taints_from_json(previous), changes, o.overwrite, "cluster " + name);
    if (!update) {
      fmt::print(stderr, "error: {}\n", terminal::escape(update.error().message));
      failed = true;
      continue;
    }
    if (update->changed) {
      Json taints = kube::taints_to_json(update->taints, previous);
      // kubectl stamps NoExecute taints with the time they were added.
      for (auto& taint : taints) {
        if (taint.value("effect", "") == "NoExecute" && !taint.contains("timeAdded")) {
          taint["timeAdded"] = now_rfc3339();
        }
      }
      Json patch = {{"metadata",
                     {{"resourceVersion",
                       cluster.value("/metadata/resourceVersion"_json_pointer, std::string{})}}},
                    {"spec", {{"taints", taints}}}};
      auto patched =
          karmada.client.patch(karmada::cluster_ref(name), kube::PatchType::merge, patch);
      if (!patched) {
        fmt::print(stderr, "error: cluster/{}: {}\n", shown, server_error_line(patched.error()));
        failed = true;
        continue;
      }
    }
    fmt::print("cluster/{} {}{}\n", shown, kube::to_string(update->outcome), o.dry_run.suffix());
  }
  return failed ? ExitCode::failure : ExitCode::ok;
}

} // namespace

void
setup_taint(CLI::App& app, Invocation& invocation) {
  auto options = std::make_shared<TaintOptions>();
  CLI::App* command = &app;
  set_kubectl_help(
      *command,
      "Update the taints on one or more clusters.\n\n"
      "  *  A taint consists of a key, value, and effect. As an argument here, it is expressed "
      "as key=value:effect.\n"
      "  *  The key must begin with a letter or number, and may contain letters, numbers, "
      "hyphens, dots, and underscores, up to 253 characters.\n"
      "  *  Optionally, the key can begin with a DNS subdomain prefix and a single '/', like "
      "example.com/my-app.\n"
      "  *  The value is optional. If given, it must begin with a letter or number, and may "
      "contain letters, numbers, hyphens, dots, and underscores, up to 63 characters.\n"
      "  *  The effect must be NoSchedule, PreferNoSchedule or NoExecute.\n"
      "  *  Currently taint can only apply to cluster.",
      with_program(
          "  # Update cluster 'foo' with a taint with key 'dedicated' and value 'special-user' "
          "and effect 'NoSchedule'\n"
          "  # If a taint with that key and effect already exists, its value is replaced "
          "as specified\n"
          "  {program} taint clusters foo dedicated=special-user:NoSchedule --overwrite\n\n"
          "  # Remove from cluster 'foo' the taint with key 'dedicated' and effect "
          "'NoSchedule' if one exists\n"
          "  {program} taint clusters foo dedicated:NoSchedule-\n\n"
          "  # Remove from cluster 'foo' all the taints with key 'dedicated'\n"
          "  {program} taint clusters foo dedicated-\n\n"
          "  # Add a taint with key 'dedicated' on clusters with the label "
          "environment=dev\n"
          "  {program} taint clusters -l environment=dev dedicated=dev:NoSchedule\n\n"
          "  # Add to cluster 'foo' a taint with key 'bar' and no value\n"
          "  {program} taint clusters foo bar:NoSchedule",
          invocation.program));
  command->add_option("args", options->words, "clusters NAME... KEY[=VALUE]:EFFECT[-]...");
  command->add_flag("--overwrite",
                    options->overwrite,
                    "If true, allow taints to be overwritten, otherwise reject taint updates that "
                    "overwrite existing taints.");
  bind_dry_run(*command, options->dry_run, DryRunStyle::boolean);
  bind_selection(*command, options->selection, {.all = true, .namespaces = false});
  bind_connection_flags(*command, options->karmada, ClusterRole::karmada);
  defer_value_errors(*command, invocation.value_problems);
  command->callback([&invocation, options] {
    invocation.validate = [options] { return check_taint(*options); };
    invocation.action = [options] { return run_taint(*options); };
  });
}

} // namespace kctl::cli
