#include "commands/api_resources.hpp"
#include "commands/apply.hpp"
#include "commands/command.hpp"
#include "commands/completion.hpp"
#include "commands/config_images.hpp"
#include "commands/cordon.hpp"
#include "commands/deinit.hpp"
#include "commands/delete.hpp"
#include "commands/describe.hpp"
#include "commands/explain.hpp"
#include "commands/get.hpp"
#include "commands/init.hpp"
#include "commands/join.hpp"
#include "commands/label.hpp"
#include "commands/options_cmd.hpp"
#include "commands/register.hpp"
#include "commands/taint.hpp"
#include "commands/token.hpp"
#include "commands/unjoin.hpp"
#include "commands/unregister.hpp"
#include "commands/version.hpp"

#include <array>

namespace kctl::cli {

std::span<const CommandSpec>
registry() {
  static const std::array specs = {
      CommandSpec{"explain", k_group_basic, "Get documentation for a resource", setup_explain},
      CommandSpec{"get",
                  k_group_basic,
                  "Display one or many resources in the Karmada control plane and member clusters",
                  setup_get},
      CommandSpec{"delete",
                  k_group_basic,
                  "Delete resources by resources and names, or by resources and label selector",
                  setup_delete},
      CommandSpec{"init",
                  k_group_registration,
                  "Install the Karmada control plane in a Kubernetes cluster",
                  setup_init},
      CommandSpec{"deinit",
                  k_group_registration,
                  "Remove the Karmada control plane from a Kubernetes cluster",
                  setup_deinit},
      CommandSpec{"config", k_group_registration, "Show the configuration init uses", setup_config},
      CommandSpec{"join",
                  k_group_registration,
                  "Register a cluster to Karmada control plane with Push mode",
                  setup_join},
      CommandSpec{"unjoin",
                  k_group_registration,
                  "Remove a cluster from Karmada control plane (Push mode)",
                  setup_unjoin},
      CommandSpec{"cordon", k_group_management, "Mark cluster as unschedulable", setup_cordon},
      CommandSpec{"uncordon", k_group_management, "Mark cluster as schedulable", setup_uncordon},
      CommandSpec{
          "taint", k_group_management, "Update the taints on one or more clusters", setup_taint},
      CommandSpec{"token",
                  k_group_registration,
                  "Manage bootstrap tokens, with which member clusters register in Pull mode",
                  setup_token},
      CommandSpec{"register",
                  k_group_registration,
                  "Register a cluster to the Karmada control plane with Pull mode",
                  setup_register},
      CommandSpec{"unregister",
                  k_group_registration,
                  "Remove a Pull-mode cluster from the Karmada control plane",
                  setup_unregister},
      CommandSpec{"describe",
                  k_group_troubleshooting,
                  "Show details of a specific resource or group of resources in Karmada control "
                  "plane or a member cluster",
                  setup_describe},
      CommandSpec{"apply",
                  k_group_advanced,
                  "Apply a configuration to a resource by file name or stdin and propagate them "
                  "into member clusters",
                  setup_apply},
      CommandSpec{"label", k_group_settings, "Update the labels on a resource", setup_label},
      CommandSpec{
          "annotate", k_group_settings, "Update the annotations on a resource", setup_annotate},
      CommandSpec{
          "completion",
          k_group_settings,
          "Output shell completion code for the specified shell (bash, zsh, fish or powershell)",
          setup_completion},
      CommandSpec{"api-resources",
                  k_group_other,
                  "Print the supported API resources on the server",
                  setup_api_resources},
      CommandSpec{"api-versions",
                  k_group_other,
                  "Print the supported API versions on the server, in the form of "
                  "\"group/version\"",
                  setup_api_versions},
      CommandSpec{"version", k_group_other, "Print the version information", setup_version},
      CommandSpec{"options",
                  k_group_other,
                  "Print the list of flags inherited by all commands",
                  setup_options},
  };
  return specs;
}

std::string
with_program(std::string_view text, std::string_view program) {
  std::string out;
  constexpr std::string_view placeholder = "{program}";
  size_t start = 0;
  while (true) {
    size_t found = text.find(placeholder, start);
    out.append(text.substr(start, found - start));
    if (found == std::string_view::npos) {
      break;
    }
    out.append(program);
    start = found + placeholder.size();
  }
  return out;
}

} // namespace kctl::cli
