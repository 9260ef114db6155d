#include "commands/connection.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace kctl::cli {

namespace {

// Flags that name a cluster and may stand before the command name. Each takes a value.
constexpr std::array<std::string_view, 6> k_hoisted_flags = {
    "--kubeconfig", "--karmada-context", "--context", "--namespace", "-n", "--request-timeout"};

bool
is_hoisted_flag(std::string_view arg) {
  return std::any_of(k_hoisted_flags.begin(), k_hoisted_flags.end(), [&](std::string_view flag) {
    return arg == flag ||
           (arg.starts_with(flag) && arg.size() > flag.size() && arg[flag.size()] == '=');
  });
}

} // namespace

std::string_view
role_name(ClusterRole role) {
  switch (role) {
  case ClusterRole::karmada:
    return "Karmada API server";
  case ClusterRole::host:
    return "host cluster";
  case ClusterRole::member:
    return "member cluster";
  }
  return "cluster";
}

void
bind_connection_flags(CLI::App& app, ConnectionFlags& flags, ClusterRole role) {
  switch (role) {
  case ClusterRole::karmada:
    app.add_option("--kubeconfig",
                   flags.kubeconfig,
                   "Path to the kubeconfig file of the Karmada API server (default: $KUBECONFIG, "
                   "then ~/.kube/config)");
    app.add_option("--karmada-context",
                   flags.context,
                   "The name of the kubeconfig context to use (default: the current context)");
    break;
  case ClusterRole::host:
    app.add_option("--kubeconfig", flags.kubeconfig, "Path to the host cluster's kubeconfig file");
    app.add_option(
        "--context", flags.context, "The name of the kubeconfig context of the host cluster");
    break;
  case ClusterRole::member:
    app.add_option(
        "--kubeconfig", flags.kubeconfig, "Path to the member cluster's kubeconfig file");
    app.add_option(
        "--context", flags.context, "The name of the kubeconfig context of the member cluster");
    break;
  }
  app.add_option("--request-timeout",
                 flags.request_timeout,
                 "The length of time to wait before giving up on a single server request "
                 "(1s, 2m, 3h; a bare number is seconds; 0 waits as long as the server sends "
                 "something)")
      ->default_str("0");
}

void
bind_namespace_flag(CLI::App& app, ConnectionFlags& flags) {
  app.add_option("-n,--namespace",
                 flags.namespace_name,
                 "If present, the namespace scope for this CLI request");
}

void
bind_member_flags(CLI::App& app,
                  ConnectionFlags& flags,
                  const std::string& kubeconfig_flag,
                  const std::string& context_flag) {
  app.add_option(kubeconfig_flag, flags.kubeconfig, "Path to the member cluster's kubeconfig");
  app.add_option(context_flag,
                 flags.context,
                 "Context of the member cluster in its kubeconfig (default: the current context)");
}

Result<Connection>
connect(const ConnectionFlags& flags,
        ClusterRole role,
        kube::DryRun dry_run,
        kube::DryRunTransport::WriteObserver on_write) {
  kube::ConnectionOptions options;
  options.kubeconfig = flags.kubeconfig;
  options.context = flags.context;
  options.request_timeout = flags.request_timeout;
  options.namespace_name = flags.namespace_name;
  KCTL_TRY_ASSIGN(kube::RestConfig rest,
                  with_context(kube::resolve_rest_config(options), role_name(role)));
  KCTL_TRY_ASSIGN(
      kube::Client client,
      with_context(kube::Client::connect(rest, dry_run, std::move(on_write)), role_name(role)));
  return Connection{std::move(rest), std::move(client)};
}

std::vector<std::string>
hoist_connection_flags(std::vector<std::string> args) {
  std::vector<std::string> leading_flags;
  std::vector<std::string> rest;
  size_t i = 0;
  // Only the words before the command name are looked at; "-v N" stays where it is (a root flag).
  for (; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--" || !arg.starts_with("-")) {
      break;
    }
    if (is_hoisted_flag(arg)) {
      leading_flags.push_back(arg);
      if (arg.find('=') == std::string::npos && i + 1 < args.size()) {
        leading_flags.push_back(args[++i]);
      }
      continue;
    }
    rest.push_back(arg);
    if ((arg == "-v" || arg == "--v") && i + 1 < args.size()) {
      rest.push_back(args[++i]);
    }
  }
  if (leading_flags.empty()) {
    return args;
  }
  auto separator = std::find(args.begin() + static_cast<std::ptrdiff_t>(i), args.end(), "--");
  rest.insert(rest.end(), args.begin() + static_cast<std::ptrdiff_t>(i), separator);
  rest.insert(rest.end(), leading_flags.begin(), leading_flags.end());
  rest.insert(rest.end(), separator, args.end());
  return rest;
}

} // namespace kctl::cli
