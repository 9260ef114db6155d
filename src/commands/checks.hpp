// Checks of flag values shared by commands. Each adds what is wrong to a Problems list (naming
// the flag, the value and what is accepted) and touches no cluster; a file flag's file is only
// looked at (stat), never read.
#pragma once

#include "commands/connection.hpp"
#include "util/problems.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace kctl::cli {

// A flag that names an input file: it must exist and be a regular file (not a directory).
// Empty (not given) passes.
void check_file_flag(std::string_view flag, const std::string& path, Problems& problems);

// --kubeconfig (or `kubeconfig_flag` for a member's flags) and --request-timeout.
void check_connection_flags(const ConnectionFlags& flags,
                            Problems& problems,
                            std::string_view kubeconfig_flag = "--kubeconfig");

// Whether a resource type as typed ("clusters", "Cluster", "clusters.cluster.karmada.io") means
// Karmada's Cluster on the Karmada API server. The core group has no "clusters" and Karmada's
// aggregated cluster.karmada.io (group priority 2000) comes before any custom resource's group, so
// a bare "clusters" resolves to it there; on a member it may be some other group's.
bool names_karmada_clusters(std::string_view type);

// Whether a resource type as typed ("ns", "namespaces", "Namespace") means the core Namespace
// (discovery resolves the core group first).
bool names_namespaces(std::string_view type);

// Names no object can have, refused before anything is contacted (issue 20): each name of
// `clusters` (a Karmada Cluster's: karmada::validate_cluster_name, the check join and register
// make; `flag` names where they came from, "" for arguments) and a Namespace named as an argument.
// -n/--namespace is checked while the flags are parsed (bind_selection), with the same rule.
void check_cluster_names(std::string_view flag,
                         const std::vector<std::string>& clusters,
                         Problems& problems);
void check_namespace_name(const std::string& namespace_name, Problems& problems);

// Why no Namespace can be called `namespace_name` (a DNS-1123 label, as the API server requires),
// or "" when one can ("" itself: the default namespace).
std::string namespace_name_problem(const std::string& namespace_name);

// `value` of `flag` must be one of `accepted`.
void check_one_of(std::string_view flag,
                  const std::string& value,
                  const std::vector<std::string>& accepted,
                  Problems& problems);

} // namespace kctl::cli
