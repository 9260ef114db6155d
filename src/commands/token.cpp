#include "commands/token.hpp"

#include "commands/checks.hpp"
#include "commands/connection.hpp"
#include "commands/flags.hpp"
#include "commands/kubectl_help.hpp"
#include "karmada/bootstrap_token.hpp"
#include "output/stream.hpp"
#include "pki/certificate.hpp"
#include "pki/pin.hpp"
#include "util/duration.hpp"
#include "util/terminal.hpp"

#include <fmt/format.h>

#include <memory>

namespace kctl::cli {

namespace {

struct TokenCreateOptions {
  ConnectionFlags karmada;
  bool print_register_command = false;
  std::chrono::nanoseconds ttl = karmada::k_default_token_ttl;
  std::string description;
  std::vector<std::string> usages = {"signing", "authentication"};
  std::vector<std::string> groups = {std::string(karmada::k_default_token_group)};
};

struct TokenListOptions {
  ConnectionFlags karmada;
  std::string output;
};

struct TokenDeleteOptions {
  ConnectionFlags karmada;
  std::vector<std::string> tokens;
};

// The pins of the CA the kubeconfig trusts for the Karmada API server.
Result<std::vector<std::string>>
ca_pins_of(const kube::RestConfig& rest) {
  if (rest.tls.ca_pem.empty()) {
    return failf("no CA certificates found in the kubeconfig ({}); the register command needs the "
                 "CA's hash: use a kubeconfig with certificate-authority(-data), such as the "
                 "karmada-apiserver.config init wrote",
                 rest.origin);
  }
  KCTL_TRY_ASSIGN(std::vector<pki::Certificate> certs,
                  pki::parse_certificates_pem(rest.tls.ca_pem, rest.origin));
  return pki::ca_pins(certs);
}

// Every problem in token create's flags (run before anything is read or contacted).
Problems
check_token_create(const TokenCreateOptions& o) {
  Problems problems;
  problems.add_if_failed(karmada::validate_usages(o.usages));
  problems.add_if_failed(karmada::validate_groups(o.groups));
  if (o.ttl.count() < 0) {
    problems.add("invalid argument \"{}\" for \"--ttl\" flag: must not be negative (0 means the "
                 "token never expires)",
                 format_duration(o.ttl));
  }
  check_connection_flags(o.karmada, problems);
  return problems;
}

Problems
check_token_delete(const TokenDeleteOptions& o) {
  Problems problems;
  if (o.tokens.empty()) {
    problems.add("missing argument: the token id or token to delete (see \"token list\")");
  }
  for (const auto& token : o.tokens) {
    problems.take(karmada::token_id_of(token));
  }
  check_connection_flags(o.karmada, problems);
  return problems;
}

Result<ExitCode>
run_token_create(const TokenCreateOptions& o, const std::string& program) {
  KCTL_TRY_ASSIGN(Connection connection, connect(o.karmada, ClusterRole::karmada));
  std::vector<std::string> pins;
  if (o.print_register_command) {
    // Checked before the token exists, so a kubeconfig without CA leaves no token behind.
    KCTL_TRY_ASSIGN(pins, ca_pins_of(connection.rest));
  }
  karmada::TokenSpec spec;
  spec.ttl = o.ttl;
  spec.description = o.description;
  spec.usages = o.usages;
  spec.groups = o.groups;
  // A new id on the (unlikely) clash with an existing token; upstream fails instead.
  for (int attempt = 0;; ++attempt) {
    KCTL_TRY_ASSIGN(spec.token, karmada::generate_token());
    auto created = connection.client.create(
        karmada::token_secret_ref(), karmada::token_secret(spec, std::chrono::system_clock::now()));
    if (created) {
      break;
    }
    if (created.error().reason != "AlreadyExists" || attempt >= 3) {
      return std::unexpected(created.error().with_context(
          fmt::format("cannot create the bootstrap token Secret in kube-system of the Karmada "
                      "API server ({})",
                      connection.rest.server)));
    }
  }
  if (o.print_register_command) {
    fmt::print("{}\n",
               karmada::register_command(program, connection.rest.server, spec.token, pins));
  } else {
    fmt::print("{}\n", spec.token.full());
  }
  return ExitCode::ok;
}

Result<ExitCode>
run_token_list(const TokenListOptions& o) {
  KCTL_TRY_ASSIGN(Connection connection, connect(o.karmada, ClusterRole::karmada));
  kube::ListOptions selector;
  selector.field_selector = "type=" + std::string(karmada::k_bootstrap_token_type);
  KCTL_TRY_ASSIGN(Json list,
                  with_context(connection.client.list(karmada::token_secret_ref(), selector),
                               "cannot list the bootstrap tokens"));
  auto now = std::chrono::system_clock::now();
  std::vector<std::vector<std::string>> rows = {karmada::token_table_header()};
  Json items = Json::array();
  for (const auto& secret : list.value("items", Json::array())) {
    auto info = karmada::parse_token_secret(secret);
    if (!info) {
      fmt::print(stderr, "warning: skipped: {}\n", terminal::escape(info.error().message));
      continue;
    }
    rows.push_back(karmada::token_table_row(*info, now));
    items.push_back(karmada::token_output_object(*info, now));
  }
  if (!o.output.empty()) {
    Json out = {{"apiVersion", "v1"}, {"kind", "List"}, {"items", items}};
    // The List itself is the one object: a List even with one token, as `kubectl get` prints.
    fmt::print("{}", output::render_one(o.output, std::move(out)));
    return ExitCode::ok;
  }
  if (rows.size() == 1) {
    fmt::print(stderr, "No bootstrap tokens found.\n");
    return ExitCode::ok;
  }
  fmt::print("{}", karmada::render_table(rows));
  return ExitCode::ok;
}

Result<ExitCode>
run_token_delete(const TokenDeleteOptions& o) {
  std::vector<std::string> ids;
  for (const auto& token : o.tokens) {
    KCTL_TRY_ASSIGN(std::string id, karmada::token_id_of(token));
    ids.push_back(id);
  }
  KCTL_TRY_ASSIGN(Connection connection, connect(o.karmada, ClusterRole::karmada));
  bool missing = false;
  for (const auto& id : ids) {
    KCTL_TRY_ASSIGN(kube::DeleteOutcome outcome,
                    with_context(connection.client.remove(karmada::token_secret_ref(id)),
                                 fmt::format("cannot delete bootstrap token {:?}", id)));
    if (outcome == kube::DeleteOutcome::not_found) {
      fmt::print(stderr, "error: bootstrap token {:?} not found\n", id);
      missing = true;
      continue;
    }
    fmt::print("bootstrap token {:?} deleted\n", id);
  }
  if (missing) {
    return fail("some bootstrap tokens did not exist (see \"token list\")");
  }
  return ExitCode::ok;
}

} // namespace

void
setup_token(CLI::App& app, Invocation& invocation) {
  CLI::App* token = &app;
  token->require_subcommand(1);
  set_kubectl_help(
      *token,
      "",
      with_program(
          "  # Create a token and print the register command to run on the member cluster\n"
          "  {program} token create --print-register-command "
          "--kubeconfig=/etc/karmada/karmada-apiserver.config\n\n"
          "  # List the tokens\n  {program} token list --kubeconfig=...\n\n"
          "  # Delete a token\n  {program} token delete abcdef --kubeconfig=...",
          invocation.program));

  auto create_options = std::make_shared<TokenCreateOptions>();
  CLI::App* create = token->add_subcommand(
      "create", "Create a bootstrap token in the Karmada API server and print it");
  set_kubectl_help(*create,
                   "",
                   with_program("  # Create a token and print the register command to run on the "
                                "member cluster\n"
                                "  {program} token create --print-register-command "
                                "--kubeconfig=/etc/karmada/karmada-apiserver.config\n\n"
                                "  # A token valid for two hours\n"
                                "  {program} token create --ttl 2h --kubeconfig=...",
                                invocation.program));
  bind_connection_flags(*create, create_options->karmada, ClusterRole::karmada);
  create->add_flag("--print-register-command",
                   create_options->print_register_command,
                   "Print the whole register command that uses the token, instead of the token");
  add_duration_flag(*create,
                    "--ttl",
                    create_options->ttl,
                    "How long the token is valid; 0 means it never expires");
  create->add_option(
      "--description", create_options->description, "A human-friendly description of the token");
  create
      ->add_option("--usages",
                   create_options->usages,
                   "How the token may be used: signing (cluster-info), authentication")
      ->delimiter(',')
      ->capture_default_str();
  create
      ->add_option("--groups",
                   create_options->groups,
                   "Extra groups the token authenticates as (system:bootstrappers:...)")
      ->delimiter(',')
      ->capture_default_str();
  create->callback([&invocation, create_options] {
    invocation.validate = [create_options] { return check_token_create(*create_options); };
    invocation.action = [create_options, program = invocation.program] {
      return run_token_create(*create_options, program);
    };
  });

  auto list_options = std::make_shared<TokenListOptions>();
  CLI::App* list = token->add_subcommand("list", "List the bootstrap tokens");
  set_kubectl_help(*list,
                   "",
                   with_program("  # List the tokens\n  {program} token list --kubeconfig=...\n\n"
                                "  # As JSON, for scripts\n"
                                "  {program} token list -o json --kubeconfig=...",
                                invocation.program));
  bind_connection_flags(*list, list_options->karmada, ClusterRole::karmada);
  add_output_flag(*list, list_options->output, {"json", "yaml"});
  list->callback([&invocation, list_options] {
    invocation.validate = [list_options] {
      Problems problems;
      check_connection_flags(list_options->karmada, problems);
      return problems;
    };
    invocation.action = [list_options] { return run_token_list(*list_options); };
  });

  auto delete_options = std::make_shared<TokenDeleteOptions>();
  CLI::App* remove =
      token->add_subcommand("delete", "Delete bootstrap tokens, by token id or whole token");
  set_kubectl_help(*remove,
                   "",
                   with_program("  # Delete a token by its id\n"
                                "  {program} token delete abcdef --kubeconfig=...",
                                invocation.program));
  bind_connection_flags(*remove, delete_options->karmada, ClusterRole::karmada);
  remove->add_option("token", delete_options->tokens, "Token ids or tokens")->type_name("TOKEN");
  remove->callback([&invocation, delete_options] {
    invocation.validate = [delete_options] { return check_token_delete(*delete_options); };
    invocation.action = [delete_options] { return run_token_delete(*delete_options); };
  });
  defer_value_errors(*token, invocation.value_problems);
}

} // namespace kctl::cli
