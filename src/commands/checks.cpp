#include "commands/checks.hpp"

#include "karmada/clusters.hpp"
#include "kube/labels.hpp"
#include "kube/resource_names.hpp"
#include "kube/rest_config.hpp"
#include "util/fs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace kctl::cli {

void
check_file_flag(std::string_view flag, const std::string& path, Problems& problems) {
  if (path.empty()) {
    return;
  }
  std::filesystem::path expanded = fs::expand_home(path);
  std::error_code error;
  auto status = std::filesystem::status(expanded, error);
  if (status.type() == std::filesystem::file_type::not_found) {
    problems.add("{} {}: no such file; give the path of an existing file", flag, path);
  } else if (error) {
    problems.add("{} {}: cannot be read ({}); give the path of a readable file",
                 flag,
                 path,
                 error.message());
  } else if (std::filesystem::is_directory(status)) {
    problems.add("{} {}: is a directory; give the path of a file", flag, path);
  }
}

void
check_connection_flags(const ConnectionFlags& flags,
                       Problems& problems,
                       std::string_view kubeconfig_flag) {
  check_file_flag(kubeconfig_flag, flags.kubeconfig, problems);
  if (!flags.request_timeout.empty()) {
    auto timeout = kube::parse_request_timeout(flags.request_timeout);
    if (!timeout) {
      problems.add(
          "invalid argument \"{}\" for \"--request-timeout\" flag: a duration is expected, "
          "such as 30s, 2m or 1h (a bare number is seconds; 0 for no limit)",
          flags.request_timeout);
    }
  }
}

void
check_one_of(std::string_view flag,
             const std::string& value,
             const std::vector<std::string>& accepted,
             Problems& problems) {
  if (std::find(accepted.begin(), accepted.end(), value) == accepted.end()) {
    std::string listed;
    for (const auto& item : accepted) {
      listed += (listed.empty() ? "" : ", ") + item;
    }
    problems.add("invalid argument \"{}\" for \"{}\" flag: must be one of {}", value, flag, listed);
  }
}

bool
names_karmada_clusters(std::string_view type) {
  kube::TypedName typed = kube::split_typed_name(type);
  return (typed.name == "clusters" || typed.name == "cluster") &&
         (typed.group.empty() || typed.group == karmada::k_cluster_group) &&
         (typed.version.empty() || typed.version == karmada::k_cluster_version);
}

bool
names_namespaces(std::string_view type) {
  kube::TypedName typed = kube::split_typed_name(type);
  return (typed.name == "namespaces" || typed.name == "namespace" || typed.name == "ns") &&
         typed.group.empty() && (typed.version.empty() || typed.version == "v1");
}

void
check_cluster_names(std::string_view flag,
                    const std::vector<std::string>& clusters,
                    Problems& problems) {
  for (const auto& name : clusters) {
    if (Status valid = karmada::validate_cluster_name(name, ""); !valid) {
      problems.add_line(flag.empty() ? valid.error().message
                                     : fmt::format("{}: {}", flag, valid.error().message));
    }
  }
}

std::string
namespace_name_problem(const std::string& namespace_name) {
  if (namespace_name.empty() || kube::is_dns1123_label(namespace_name)) {
    return {};
  }
  return "a namespace must be a DNS-1123 label (lower case letters, digits and '-', starting and "
         "ending with a letter or digit) of at most 63 characters, so no namespace has this name";
}

void
check_namespace_name(const std::string& namespace_name, Problems& problems) {
  if (std::string rule = namespace_name_problem(namespace_name); !rule.empty()) {
    problems.add("invalid namespace name {:?}: {}", namespace_name, rule);
  }
}

} // namespace kctl::cli
