// label and annotate share everything but the field they change and their words.
#include "commands/label.hpp"

#include "commands/checks.hpp"
#include "commands/connection.hpp"
#include "commands/flag_sets.hpp"
#include "commands/flags.hpp"
#include "commands/kubectl_help.hpp"
#include "commands/targets.hpp"
#include "kube/labels.hpp"
#include "kube/resource_names.hpp"
#include "output/printer.hpp"
#include "util/terminal.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace kctl::cli {

namespace {

struct MetaOptions {
  kube::MetaField field = kube::MetaField::labels;
  ConnectionFlags karmada;
  std::vector<std::string> words;
  bool overwrite = false;
  Selection selection;
  DryRunFlag dry_run;
  std::string resource_version;
  PrintFlags print;
};

// Patches in flight at once over the client's connection pool (label -l over thousands of
// objects): each patch waits mostly on the server (admission webhooks, etcd), so a few in
// parallel hide that latency; more would only queue on a small control plane.
constexpr std::size_t k_max_patches_in_flight = 16;

// What patching one object printed and whether it failed; `fatal` stops the command (an -o
// template that cannot render).
struct PatchOutcome {
  bool ok = false;
  std::string out;
  std::string err;
  std::optional<Error> fatal;
};

// Runs `work` on every object with at most k_max_patches_in_flight at once, and hands each outcome
// to `report` in the objects' order (as kubectl prints, one after the other) as soon as it and
// those before it are done. A fatal outcome stops the workers and is returned.
template <typename Work, typename Report>
Status
for_each_in_order(const std::vector<FoundObject>& objects, const Work& work, const Report& report) {
  std::vector<std::optional<PatchOutcome>> outcomes(objects.size());
  std::mutex mutex;
  std::condition_variable done;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  auto worker = [&] {
    while (!stop) {
      std::size_t i = next++;
      if (i >= objects.size()) {
        return;
      }
      PatchOutcome outcome = work(objects[i]);
      {
        std::lock_guard lock(mutex);
        outcomes[i] = std::move(outcome);
      }
      done.notify_all();
    }
  };
  std::vector<std::thread> workers;
  // Stops and joins the workers on every way out, also when `report` throws (a closed stdout).
  struct Joiner {
    std::vector<std::thread>& threads;
    std::atomic<bool>& stop;
    ~Joiner() {
      stop = true;
      for (auto& thread : threads) {
        thread.join();
      }
    }
  };
  std::size_t count = std::min(k_max_patches_in_flight, objects.size());
  if (count == 1) {
    worker();
  }
  Joiner joiner{workers, stop};
  for (std::size_t t = 0; count > 1 && t < count; ++t) {
    workers.emplace_back(worker);
  }
  Status status;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    std::unique_lock lock(mutex);
    done.wait(lock, [&] { return outcomes[i].has_value(); });
    PatchOutcome outcome = std::move(*outcomes[i]);
    lock.unlock();
    if (outcome.fatal) {
      status = std::unexpected(*outcome.fatal);
      break;
    }
    report(outcome);
  }
  return status;
}

// Every problem in label's (annotate's) flags and arguments, before anything is contacted.
Problems
check_meta(const MetaOptions& o) {
  Problems problems;
  check_connection_flags(o.karmada, problems);
  problems.take(o.print.parse());
  auto split = problems.take(kube::split_resources_and_changes(o.words, o.field));
  if (!split) {
    return problems;
  }
  auto& [resources, change_words] = *split;
  if (resources.empty()) {
    problems.add(
        "one or more resources must be specified as <resource> <name> or <resource>/<name>");
  } else {
    check_resource_words(resources, o.selection, true, problems);
  }
  if (change_words.empty()) {
    problems.add("at least one {} update is required",
                 o.field == kube::MetaField::labels ? "label" : "annotation");
  } else {
    problems.take(kube::parse_meta_changes(change_words, o.field));
  }
  return problems;
}

Result<ExitCode>
run_meta(const MetaOptions& o) {
  KCTL_TRY_ASSIGN(output::Format format, o.print.load());
  KCTL_TRY_ASSIGN(auto split, kube::split_resources_and_changes(o.words, o.field));
  auto& [resources, change_words] = split;
  KCTL_TRY_ASSIGN(kube::MetaChanges changes, kube::parse_meta_changes(change_words, o.field));
  KCTL_TRY_ASSIGN(Connection karmada, connect(o.karmada, ClusterRole::karmada, o.dry_run.mode()));
  // Without -o only names, labels and annotations are read, not whole objects.
  ObjectPart part = o.print.requested() ? ObjectPart::whole : ObjectPart::metadata;
  KCTL_TRY_ASSIGN(Lookup lookup, find_objects(karmada.client, resources, o.selection, true, part));
  if (!o.resource_version.empty() && lookup.objects.size() + lookup.errors.size() > 1) {
    return fail_usage("--resource-version may only be used with a single resource");
  }
  bool failed = !lookup.errors.empty();
  for (const auto& line : lookup.errors) {
    fmt::print(stderr, "{}\n", line);
  }
  if (lookup.objects.empty() && lookup.errors.empty()) {
    fmt::print(stderr, "No resources found\n");
  }
  // One object: its patch and what to print. Runs on the patch workers.
  auto label_one = [&](const FoundObject& found) {
    PatchOutcome outcome;
    std::string name = found.object.value("/metadata/name"_json_pointer, std::string{});
    std::string shown = terminal::escape_line(kube::kind_with_group(found.resource) + "/" + name);
    auto update =
        kube::meta_update(found.object, o.field, changes, o.overwrite, o.resource_version);
    if (!update) {
      outcome.err = fmt::format("error: {}\n", terminal::escape(update.error().message));
      return outcome;
    }
    Json result = found.object;
    if (!update->patch.empty()) {
      std::string ns = found.object.value("/metadata/namespace"_json_pointer, std::string{});
      auto patched =
          karmada.client.patch(found.resource.ref(ns, name), kube::PatchType::merge, update->patch);
      if (!patched) {
        outcome.err = fmt::format("error: {}: {}\n", shown, server_error_line(patched.error()));
        return outcome;
      }
      result = std::move(*patched);
    }
    outcome.ok = true;
    if (o.print.requested()) {
      output::Row row{std::move(result), {}, {}, kube::kind_with_group(found.resource)};
      auto text = output::render(format, {}, {row}, {}, output::Shape::single);
      if (!text) {
        outcome.fatal = text.error();
        return outcome;
      }
      outcome.out = std::move(*text);
      return outcome;
    }
    std::string word;
    if (o.field == kube::MetaField::annotations) {
      word = "annotated";
    } else if (!update->changed) {
      word = "not labeled";
    } else {
      word = update->only_removed && !o.overwrite ? "unlabeled" : "labeled";
    }
    outcome.out = fmt::format("{} {}{}\n", shown, word, o.dry_run.suffix());
    return outcome;
  };
  KCTL_TRY(for_each_in_order(lookup.objects, label_one, [&](const PatchOutcome& outcome) {
    fmt::print(stderr, "{}", outcome.err);
    fmt::print("{}", outcome.out);
    failed = failed || !outcome.ok;
  }));
  return failed ? ExitCode::failure : ExitCode::ok;
}

void
setup_meta(CLI::App& app, Invocation& invocation, kube::MetaField field) {
  auto options = std::make_shared<MetaOptions>();
  options->field = field;
  bool labels = field == kube::MetaField::labels;
  const std::string verb = labels ? "label" : "annotate";
  CLI::App* command = &app;
  if (labels) {
    set_kubectl_help(
        *command,
        "Update the labels on a resource.\n\n"
        "  *  A label key and value must begin with a letter or number, and may contain letters, "
        "numbers, hyphens, dots, and underscores, up to 63 characters each.\n"
        "  *  Optionally, the key can begin with a DNS subdomain prefix and a single '/', like "
        "example.com/my-app.\n"
        "  *  If --overwrite is true, then existing labels can be overwritten, otherwise "
        "attempting to overwrite a label will result in an error.\n"
        "  *  If --resource-version is specified, then updates will use this resource version, "
        "otherwise the existing resource-version will be used.",
        with_program("  # Update cluster 'member1' with the label 'environment' and the value "
                     "'dev'\n"
                     "  {program} label clusters member1 environment=dev\n\n"
                     "  # Update cluster 'member1' with the label 'status' and the value "
                     "'unhealthy', overwriting any existing value\n"
                     "  {program} label --overwrite clusters member1 status=unhealthy\n\n"
                     "  # Update all clusters with the label 'status' and the value 'unhealthy'\n"
                     "  {program} label clusters --all status=unhealthy\n\n"
                     "  # Update cluster 'member1' only if the resource is unchanged from version "
                     "1\n"
                     "  {program} label clusters member1 status=unhealthy --resource-version=1\n\n"
                     "  # Update cluster 'member1' by removing a label named 'bar' if it exists\n"
                     "  # Does not require the --overwrite flag\n"
                     "  {program} label clusters member1 bar-",
                     invocation.program));
  } else {
    set_kubectl_help(
        *command,
        "Update the annotations on one or more resources.\n\n"
        "All Kubernetes objects support the ability to store additional data with the object as "
        "annotations. Annotations are key/value pairs that can be larger than labels and include "
        "arbitrary string values such as structured JSON. Tools and system extensions may use "
        "annotations to store their own data.\n\n"
        "Attempting to set an annotation that already exists will fail unless --overwrite is "
        "set. If --resource-version is specified and does not match the current resource version "
        "on the server the command will fail.",
        with_program("  # Update cluster 'member1' with the annotation 'description' and the "
                     "value 'my frontend'\n"
                     "  {program} annotate clusters member1 description='my frontend'\n\n"
                     "  # Update deployment 'foo' with the annotation 'description', overwriting "
                     "any existing value\n"
                     "  {program} annotate --overwrite deployment foo description='my frontend "
                     "running nginx'\n\n"
                     "  # Update all clusters\n"
                     "  {program} annotate clusters --all description='my frontend running "
                     "nginx'\n\n"
                     "  # Update cluster 'member1' by removing an annotation named 'description' "
                     "if it exists\n"
                     "  {program} annotate clusters member1 description-",
                     invocation.program));
  }
  command->add_option("args", options->words, "TYPE NAME KEY=VALUE ... or TYPE/NAME KEY-");
  command->add_flag("--overwrite",
                    options->overwrite,
                    labels ? "If true, allow labels to be overwritten, otherwise reject label "
                             "updates that overwrite existing labels."
                           : "If true, allow annotations to be overwritten, otherwise reject "
                             "annotation updates that overwrite existing annotations.");
  bind_selection(*command, options->selection);
  bind_dry_run(*command, options->dry_run, DryRunStyle::strategy);
  command->add_option("--resource-version",
                      options->resource_version,
                      "If non-empty, the update will only succeed if this is the current "
                      "resource-version for the object. Only valid when specifying a single "
                      "resource.");
  bind_print_flag(*command, options->print);
  bind_connection_flags(*command, options->karmada, ClusterRole::karmada);
  defer_value_errors(*command, invocation.value_problems);
  command->callback([&invocation, options] {
    invocation.validate = [options] { return check_meta(*options); };
    invocation.action = [options] { return run_meta(*options); };
  });
}

} // namespace

void
setup_label(CLI::App& app, Invocation& invocation) {
  setup_meta(app, invocation, kube::MetaField::labels);
}

void
setup_annotate(CLI::App& app, Invocation& invocation) {
  setup_meta(app, invocation, kube::MetaField::annotations);
}

} // namespace kctl::cli
