#include "commands/flag_sets.hpp"

#include "commands/checks.hpp"
#include "commands/flags.hpp"
#include "kube/labels.hpp"
#include "output/printer.hpp"
#include "util/duration.hpp"
#include "util/fs.hpp"

namespace kctl::cli {

namespace {

// Why `selector` is not a label selector, or "" when it is.
CLI::Validator
label_selector_syntax() {
  return CLI::Validator(
      [](std::string& selector) -> std::string {
        auto parsed = kube::parse_selector(selector);
        return parsed ? std::string{} : parsed.error().message;
      },
      "",
      "label-selector");
}

// A namespace name must be a DNS-1123 label: no object can live in any other.
CLI::Validator
namespace_name_syntax() {
  return CLI::Validator(
      [](std::string& name) { return namespace_name_problem(name); }, "", "namespace-name");
}

} // namespace

void
bind_selection(CLI::App& app, Selection& selection, SelectionFlags which) {
  app.add_option(which.labels_alias ? "-l,--selector,--labels" : "-l,--selector",
                 selection.label_selector,
                 "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin' "
                 "(e.g. -l key1=value1,key2=value2); matching objects satisfy every requirement")
      ->check(label_selector_syntax());
  if (which.all) {
    app.add_flag("--all",
                 selection.all,
                 "Select all resources of the given types (in the namespace, or in every "
                 "namespace with -A)");
  }
  if (which.namespaces) {
    app.add_flag("-A,--all-namespaces",
                 selection.all_namespaces,
                 "If present, act on the requested objects across all namespaces; the "
                 "namespace of the current context and -n are ignored");
    app.add_option("-n,--namespace",
                   selection.namespace_name,
                   "If present, the namespace scope for this request (default: the kubeconfig "
                   "context's namespace, else \"default\")")
        ->check(namespace_name_syntax());
  }
}

kube::DryRun
DryRunFlag::mode() const {
  if (value == "client" || value == "true") {
    return kube::DryRun::client;
  }
  if (value == "server") {
    return kube::DryRun::server;
  }
  return kube::DryRun::no;
}

std::string_view
DryRunFlag::suffix() const {
  switch (mode()) {
  case kube::DryRun::client:
    return " (dry run)";
  case kube::DryRun::server:
    return " (server dry run)";
  case kube::DryRun::no:
    break;
  }
  return "";
}

void
bind_dry_run(CLI::App& app, DryRunFlag& flag, DryRunStyle style) {
  if (style == DryRunStyle::boolean) {
    flag.value = "false";
    app.add_flag("--dry-run{true}",
                 flag.value,
                 "If true, only print what would be done (objects, files, changes) and change "
                 "nothing")
        ->check(one_of({"true", "false"}))
        ->type_name("")
        ->default_str("false");
    return;
  }
  flag.value = "none";
  app.add_flag("--dry-run{client}",
               flag.value,
               "Must be \"none\", \"server\", or \"client\" (a bare --dry-run is client). client: "
               "only print what would be sent; server: send it with dryRun=All, so the server "
               "checks and admits it and stores nothing")
      ->check(one_of({"none", "client", "server"}))
      ->type_name("string")
      ->default_str("none");
}

void
bind_wait_flag(CLI::App& app, std::chrono::nanoseconds& wait, const std::string& help) {
  add_duration_flag(app, "--wait", wait, help, BareNumber::seconds)
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            bool bare = text.find_first_not_of("0123456789") == std::string::npos;
            auto parsed = parse_duration(bare ? text + "s" : text);
            return !parsed || parsed->count() > 0 ? std::string{}
                                                  : "must be positive (e.g. 60s, 2m)";
          },
          "",
          "positive-duration"));
}

Result<output::Format>
PrintFlags::parse() const {
  return output::parse_format(output, template_argument, allow_missing_keys);
}

Result<output::Format>
PrintFlags::load() const {
  KCTL_TRY_ASSIGN(output::Format format, parse());
  if (!format.from_file()) {
    return format;
  }
  auto content = fs::read_file(format.argument, k_max_template_file_bytes, "template files");
  if (!content) {
    // kubectl's words: custom-columns-file names no flag.
    bool columns = format.kind == output::Format::Kind::custom_columns_file;
    return fail_usage(fmt::format("error reading {} {}, {}",
                                  columns ? "template" : "--template",
                                  format.argument,
                                  content.error().message));
  }
  return output::with_template_file(std::move(format), std::move(*content));
}

void
bind_print_flag(CLI::App& app, PrintFlags& flags) {
  app.add_option("-o,--output",
                 flags.output,
                 "Output format. One of: (json, yaml, name, go-template, go-template-file, "
                 "template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file, "
                 "custom-columns, custom-columns-file, wide)");
  app.add_option("--template",
                 flags.template_argument,
                 "Template string or path to template file to use when -o=go-template, "
                 "-o=go-template-file. The template format is golang templates "
                 "[http://golang.org/pkg/text/template/#pkg-overview].");
  app.add_flag("--allow-missing-template-keys",
               flags.allow_missing_keys,
               "If true, ignore any errors in templates when a field or map key is missing in the "
               "template. Only applies to golang and jsonpath output formats.")
      ->default_str("true");
}

} // namespace kctl::cli
