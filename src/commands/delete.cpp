#include "commands/delete.hpp"

#include "commands/checks.hpp"
#include "commands/connection.hpp"
#include "commands/flag_sets.hpp"
#include "commands/flags.hpp"
#include "commands/kubectl_help.hpp"
#include "commands/targets.hpp"
#include "flow/steps.hpp"
#include "kube/resource_names.hpp"
#include "kube/wait_for.hpp"
#include "util/duration.hpp"
#include "util/terminal.hpp"

#include <fmt/format.h>

#include <memory>

namespace kctl::cli {

namespace {

struct DeleteOptions {
  ConnectionFlags karmada;
  std::vector<std::string> words;
  Selection selection;
  bool ignore_not_found = false;
  bool wait = true;
  std::chrono::nanoseconds timeout{0};
  std::string cascade = "background";
  int grace_period = -1;
  DryRunFlag dry_run;
};

// Every problem in delete's flags and arguments, before anything is contacted.
Problems
check_delete(const DeleteOptions& o) {
  Problems problems;
  check_one_of(
      "--cascade", o.cascade, {"background", "foreground", "orphan", "true", "false"}, problems);
  if (o.grace_period < -1) {
    problems.add("invalid argument \"{}\" for \"--grace-period\" flag: must be -1 (the "
                 "resource's default) or a number of seconds, 0 or more",
                 o.grace_period);
  }
  if (o.timeout.count() < 0) {
    problems.add("invalid argument \"{}\" for \"--timeout\" flag: must not be negative (0 waits "
                 "without limit)",
                 format_duration(o.timeout));
  }
  check_connection_flags(o.karmada, problems);
  check_resource_words(o.words, o.selection, true, problems);
  return problems;
}

Result<ExitCode>
run_delete(const DeleteOptions& o) {
  KCTL_TRY_ASSIGN(Connection karmada, connect(o.karmada, ClusterRole::karmada, o.dry_run.mode()));
  KCTL_TRY_ASSIGN(Lookup lookup, find_objects(karmada.client, o.words, o.selection, true));
  bool failed = false;
  for (const auto& line : lookup.errors) {
    if (o.ignore_not_found && line.starts_with("Error from server (NotFound)")) {
      continue;
    }
    fmt::print(stderr, "{}\n", line);
    failed = true;
  }
  if (lookup.objects.empty() && lookup.errors.empty()) {
    fmt::print(stderr, "No resources found\n");
  }
  kube::DeleteOptions options;
  options.propagation_policy = o.cascade == "foreground"                       ? "Foreground"
                               : o.cascade == "orphan" || o.cascade == "false" ? "Orphan"
                                                                               : "Background";
  if (o.grace_period >= 0) {
    options.grace_period_seconds = o.grace_period;
  }
  std::vector<std::pair<kube::ResourceRef, std::string>> deleted;
  for (const auto& found : lookup.objects) {
    std::string name = found.object.value("/metadata/name"_json_pointer, std::string{});
    std::string ns = found.object.value("/metadata/namespace"_json_pointer, std::string{});
    std::string shown = terminal::escape_line(
        fmt::format("{} \"{}\"", kube::kind_with_group(found.resource), name));
    kube::ResourceRef ref = found.resource.ref(ns, name);
    auto outcome = karmada.client.remove(ref, options);
    if (!outcome) {
      fmt::print(stderr, "{}\n", server_error_line(outcome.error()));
      failed = true;
      continue;
    }
    if (*outcome == kube::DeleteOutcome::not_found) {
      if (!o.ignore_not_found) {
        fmt::print(stderr,
                   "Error from server (NotFound): {} \"{}\" not found\n",
                   kube::resource_with_group(found.resource),
                   terminal::escape_line(name));
        failed = true;
      }
      continue;
    }
    fmt::print("{} deleted{}\n", shown, o.dry_run.suffix());
    std::fflush(stdout);
    deleted.emplace_back(ref, shown);
  }
  if (o.wait && !o.dry_run.requested()) {
    auto timeout = o.timeout.count() > 0
                       ? std::chrono::duration_cast<std::chrono::milliseconds>(o.timeout)
                       : std::chrono::milliseconds(std::chrono::hours(24 * 7));
    // Finalizers may take long: the wait shows what it waits for (flow::Progress' heartbeat).
    flow::Progress progress(stderr, flow::live_output_for(stderr));
    flow::Step waiting{"wait", "Wait for the deleted objects to be gone", {}};
    progress.started(waiting);
    std::vector<std::string> errors; // printed once the status line is gone
    for (const auto& [ref, shown] : deleted) {
      progress.status(waiting, fmt::format("waiting for {} to be deleted (finalizers)", shown));
      auto gone = kube::wait_deleted(karmada.client, ref, timeout);
      if (!gone) {
        errors.push_back(fmt::format("error: waiting for {} to be deleted: {}",
                                     shown,
                                     terminal::escape(gone.error().message)));
      } else if (!*gone) {
        errors.push_back(fmt::format("error: timed out waiting for {} to be deleted (its "
                                     "finalizers are still running)",
                                     shown));
      }
    }
    progress.ended(waiting);
    for (const auto& line : errors) {
      fmt::print(stderr, "{}\n", line);
    }
    failed = failed || !errors.empty();
  }
  return failed ? ExitCode::failure : ExitCode::ok;
}

} // namespace

void
setup_delete(CLI::App& app, Invocation& invocation) {
  auto options = std::make_shared<DeleteOptions>();
  CLI::App* command = &app;
  set_kubectl_help(
      *command,
      "Delete resources by resources and names, or by resources and label selector, in the "
      "Karmada control plane.\n\n"
      "Deleting a Cluster unregisters the member: karmada-controller-manager removes what Karmada "
      "placed in it and the Cluster's finalizer, and the command waits for that unless "
      "--wait=false. To also clean the member cluster of what join created, use unjoin.",
      with_program("  # Delete the cluster member2\n"
                   "  {program} delete cluster member2\n\n"
                   "  # Delete the clusters labelled environment=staging\n"
                   "  {program} delete clusters -l environment=staging\n\n"
                   "  # Delete a deployment and its PropagationPolicy\n"
                   "  {program} delete deployment/nginx propagationpolicy/nginx\n\n"
                   "  # Show what would be deleted\n"
                   "  {program} delete cluster member2 --dry-run",
                   invocation.program));
  command->add_option("args", options->words, "TYPE NAME... or TYPE/NAME...");
  bind_selection(*command, options->selection);
  command->add_flag("--ignore-not-found",
                    options->ignore_not_found,
                    "Treat \"resource not found\" as a successful delete");
  command
      ->add_flag("--wait",
                 options->wait,
                 "If true (the default), wait for resources to be gone before returning "
                 "(finalizers); --wait=false returns at once")
      ->default_str("true");
  add_duration_flag(*command,
                    "--timeout",
                    options->timeout,
                    "The length of time to wait before giving up on a delete, zero means wait "
                    "without limit");
  command
      ->add_option("--cascade",
                   options->cascade,
                   "Must be \"background\", \"orphan\", or \"foreground\": how dependents are "
                   "deleted")
      ->capture_default_str();
  command
      ->add_option("--grace-period",
                   options->grace_period,
                   "Period of time in seconds given to the resource to terminate gracefully "
                   "(-1: the resource's default)")
      ->capture_default_str();
  bind_dry_run(*command, options->dry_run, DryRunStyle::strategy);
  bind_connection_flags(*command, options->karmada, ClusterRole::karmada);
  defer_value_errors(*command, invocation.value_problems);
  command->callback([&invocation, options] {
    invocation.validate = [options] { return check_delete(*options); };
    invocation.action = [options] { return run_delete(*options); };
  });
}

} // namespace kctl::cli
