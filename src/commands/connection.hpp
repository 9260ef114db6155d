// One way for every command to say which cluster it talks to and to connect to it: the flags are
// bound here (same names and help everywhere) and the client is made here, with dry-run chosen
// once, so no command builds its own ConnectionOptions.
#pragma once

#include "kube/client.hpp"
#include "kube/rest_config.hpp"
#include "util/result.hpp"

#include <CLI/CLI.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace kctl::cli {

// Which cluster a set of connection flags names.
enum class ClusterRole {
  karmada, // the Karmada API server: --kubeconfig, --karmada-context (upstream's control-plane
           // commands)
  host,    // the cluster Karmada is installed in: --kubeconfig, --context (init, deinit)
  member,  // a member cluster, given with its own kubeconfig flags
};

struct ConnectionFlags {
  std::string kubeconfig;
  std::string context;
  std::string request_timeout; // --request-timeout, when the command binds it
  std::string namespace_name;  // -n/--namespace, when the command binds it ("": the kubeconfig's)
};

// Binds "-n,--namespace" to `flags.namespace_name`.
void bind_namespace_flag(CLI::App& app, ConnectionFlags& flags);

// Binds "--kubeconfig" and "--karmada-context" (karmada) or "--context" (host, member) to `flags`.
void bind_connection_flags(CLI::App& app, ConnectionFlags& flags, ClusterRole role);

// Binds a member cluster's flags under other names, e.g. "--cluster-kubeconfig" and
// "--cluster-context" (join, unjoin, unregister).
void bind_member_flags(CLI::App& app,
                       ConnectionFlags& flags,
                       const std::string& kubeconfig_flag,
                       const std::string& context_flag);

// Human name of a role for messages: "Karmada API server", "host cluster", "member cluster".
std::string_view role_name(ClusterRole role);

// A connected client and the configuration it came from (server URL, CA, origin for messages).
struct Connection {
  kube::RestConfig rest;
  kube::Client client;
};

// Resolves `flags` with kubectl's loading rules and connects. With `dry_run` yes the client
// records writes instead of sending them. Errors name the role.
Result<Connection> connect(const ConnectionFlags& flags,
                           ClusterRole role,
                           kube::DryRun dry_run = kube::DryRun::no,
                           kube::DryRunTransport::WriteObserver on_write = {});

// Moves connection flags written before the command name ("karmadactl --kubeconfig X join m1",
// as Karmada's guides write it) to the end of the arguments, where the command's own flags are
// parsed; the rest keeps its order. Flags after a bare "--" are never moved.
std::vector<std::string> hoist_connection_flags(std::vector<std::string> args);

} // namespace kctl::cli
