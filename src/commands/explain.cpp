#include "commands/explain.hpp"

#include "commands/checks.hpp"
#include "commands/connection.hpp"
#include "commands/flags.hpp"
#include "commands/kubectl_help.hpp"
#include "commands/scope.hpp"
#include "explain/explain.hpp"
#include "explain/openapi_v2.hpp"
#include "kube/api_error.hpp"
#include "kube/resource_names.hpp"
#include "util/json_parse.hpp"
#include "util/terminal.hpp"

#include <fmt/format.h>

#include <memory>

namespace kctl::cli {

namespace {

struct ExplainOptions {
  ConnectionFlags karmada;
  MemberScope scope;
  std::vector<std::string> words;
  bool recursive = false;
  std::string api_version;
  std::string output = "plaintext";
};

Problems
check_explain(const ExplainOptions& o) {
  Problems problems;
  check_connection_flags(o.karmada, problems);
  check_member_scope(o.scope, problems);
  if (o.words.empty()) {
    problems.add("You must specify the type of resource to explain. Use \"karmadactl "
                 "api-resources\" for a complete list of supported resources.");
  } else if (o.words.size() > 1) {
    problems.add("We accept only this format: explain RESOURCE");
  }
  return problems;
}

// --api-version as Go's schema.ParseGroupVersion reads it: "v1" is the core group's.
Result<std::pair<std::string, std::string>>
parse_group_version(std::string_view text) {
  std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    return std::pair{std::string{}, std::string(text)};
  }
  if (text.find('/', slash + 1) != std::string_view::npos) {
    return failf("unexpected GroupVersion string: {}", text);
  }
  return std::pair{std::string(text.substr(0, slash)), std::string(text.substr(slash + 1))};
}

// What the argument names: the resource at the version to explain, its kind, the field path.
struct Request {
  explain::Gvr gvr;
  std::string kind;
  std::vector<std::string> fields;
};

// The GVR and field path the argument names, as kubectl's explain resolves them: with
// --api-version the type's first word only, the group version replaced; without it a
// "<resource>.<group>" prefix is the type (deployments.apps.spec).
Result<Request>
resolve_argument(const ExplainOptions& o, const kube::Client& client) {
  const std::string& argument = o.words.front();
  KCTL_TRY_ASSIGN(std::vector<std::string> words, explain::split_type_path(argument));
  KCTL_TRY_ASSIGN(kube::ApiResource resource, kube::resolve_resource(client, words.front()));
  Request request{{resource.group, resource.version, resource.resource}, resource.kind, {}};
  if (o.api_version.empty()) {
    KCTL_TRY_ASSIGN(request.fields,
                    explain::field_path_after(argument, resource.resource, resource.group));
    return request;
  }
  KCTL_TRY_ASSIGN(auto group_version, parse_group_version(o.api_version));
  request.gvr.group = group_version.first;
  request.gvr.version = group_version.second;
  words.erase(words.begin());
  request.fields = std::move(words);
  return request;
}

// A JSON document of the server's, bounded in depth, with its objects' keys sorted.
Result<explain::Document>
parse_document(const std::string& body, std::string_view what) {
  // Parsed once with the depth bound (outside input), then again into sorted objects.
  if (auto checked = json::parse(body); !checked) {
    return std::unexpected(
        checked.error().with_context(fmt::format("failed to parse openapi schema for {}", what)));
  }
  return explain::Document::parse(body);
}

// Prints what rendering produced; its error (after the text kubectl prints before it) fails.
Result<ExitCode>
print_rendered(const explain::Rendered& rendered) {
  fmt::print("{}", terminal::escape(rendered.text));
  if (!rendered.error.empty()) {
    std::fflush(stdout);
    return fail(rendered.error);
  }
  return ExitCode::ok;
}

// -o plaintext-openapiv2, and plaintext when the server has no OpenAPI v3: kubectl's v2 printer.
Result<ExitCode>
explain_openapi_v2(const ExplainOptions& o, const kube::Client& client, const Request& request) {
  KCTL_TRY_ASSIGN(std::string body, client.get_raw("/openapi/v2"));
  KCTL_TRY_ASSIGN(explain::Document document, parse_document(body, "/openapi/v2"));
  explain::Gvk gvk{request.gvr.group, request.gvr.version, request.kind};
  return print_rendered(explain::render_openapi_v2(document, gvk, request.fields, o.recursive));
}

Result<ExitCode>
run_explain(const ExplainOptions& o) {
  KCTL_TRY_ASSIGN(Connection karmada, connect(o.karmada, ClusterRole::karmada));
  KCTL_TRY_ASSIGN(kube::Client client, connect_member_scope(karmada, o.scope));
  auto request = resolve_argument(o, client);
  if (!request && request.error().reason == kube::reason::not_found &&
      request.error().message.starts_with("the server doesn't have a resource type")) {
    // kubectl's CheckErr prints an unknown type without "error: ".
    fmt::print(stderr, "{}\n", terminal::escape(request.error().message));
    return ExitCode::failure;
  }
  if (!request) {
    return std::unexpected(request.error());
  }
  if (o.output == "plaintext-openapiv2") {
    return explain_openapi_v2(o, client, *request);
  }
  auto list_body = client.get_raw("/openapi/v3");
  if (!list_body && o.output == "plaintext") {
    return explain_openapi_v2(o, client, *request); // as kubectl falls back
  }
  if (!list_body) {
    return std::unexpected(list_body.error().with_context("failed to fetch list of groupVersions"));
  }
  const explain::Gvr& gvr = request->gvr;
  KCTL_TRY_ASSIGN(explain::Document paths, parse_document(*list_body, "/openapi/v3"));
  KCTL_TRY_ASSIGN(std::string url, explain::schema_url(paths, gvr));
  std::string key = explain::openapi_path_key(gvr);
  KCTL_TRY_ASSIGN(
      std::string body,
      with_context(client.get_raw(url), fmt::format("failed to fetch openapi schema for {}", key)));
  KCTL_TRY_ASSIGN(explain::Document document, parse_document(body, key));
  if (o.output != "plaintext") {
    return failf("unrecognized format: {}", o.output);
  }
  return print_rendered(explain::render_plaintext(document, gvr, request->fields, o.recursive));
}

} // namespace

void
setup_explain(CLI::App& app, Invocation& invocation) {
  auto o = std::make_shared<ExplainOptions>();
  set_kubectl_help(
      app,
      "Describe fields and structure of various resources in Karmada control plane or a member "
      "cluster.\n\n"
      "This command describes the fields associated with each supported API resource. Fields "
      "are identified via a simple JSONPath identifier:\n\n"
      "    `<type>.<fieldName>[.<fieldName>]`\n\n"
      "Information about each field is retrieved from the server in OpenAPI format.",
      with_program("  # Get the documentation of the resource and its fields in Karmada control "
                   "plane\n"
                   "  {program} explain propagationpolicies\n\n"
                   "  # Get all the fields in the resource in member cluster member1\n"
                   "  {program} explain pods --recursive --operation-scope=members "
                   "--cluster=member1\n\n"
                   "  # Get the explanation for resourcebindings in supported api versions in "
                   "Karmada control plane\n"
                   "  {program} explain resourcebindings --api-version=work.karmada.io/v1alpha1\n\n"
                   "  # Get the documentation of a specific field of a resource in member cluster "
                   "member1\n"
                   "  {program} explain pods.spec.containers --operation-scope=members "
                   "--cluster=member1\n\n"
                   "  # Get the documentation of resources in different format in Karmada control "
                   "plane\n"
                   "  {program} explain clusterpropagationpolicies --output=plaintext-openapiv2",
                   invocation.program));
  app.add_option("type", o->words, "TYPE[.FIELD.PATH]");
  app.add_flag(
      "--recursive", o->recursive, "Print the fields of fields (Currently only 1 level deep)");
  app.add_option("--api-version",
                 o->api_version,
                 "Get different explanations for particular API version (API group/version)");
  app.add_option("-o,--output",
                 o->output,
                 "Format in which to render the schema (plaintext, plaintext-openapiv2)")
      ->capture_default_str();
  bind_namespace_flag(app, o->karmada);
  bind_member_scope(app, o->scope, ClusterShortFlag::no);
  bind_connection_flags(app, o->karmada, ClusterRole::karmada);
  defer_value_errors(app, invocation.value_problems);
  app.callback([&invocation, o] {
    invocation.validate = [o] { return check_explain(*o); };
    invocation.action = [o] { return run_explain(*o); };
  });
}

} // namespace kctl::cli
