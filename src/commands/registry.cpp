#include "commands/apply.hpp"
#include "commands/command.hpp"
#include "commands/completion.hpp"
#include "commands/config_images.hpp"
#include "commands/cordon.hpp"
#include "commands/deinit.hpp"
#include "commands/delete.hpp"
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
      CommandSpec{"get", k_group_basic, setup_get},
      CommandSpec{"delete", k_group_basic, setup_delete},
      CommandSpec{"init", k_group_registration, setup_init},
      CommandSpec{"deinit", k_group_registration, setup_deinit},
      CommandSpec{"config", k_group_registration, setup_config},
      CommandSpec{"join", k_group_registration, setup_join},
      CommandSpec{"unjoin", k_group_registration, setup_unjoin},
      CommandSpec{"cordon", k_group_management, setup_cordon},
      CommandSpec{"uncordon", k_group_management, setup_uncordon},
      CommandSpec{"taint", k_group_management, setup_taint},
      CommandSpec{"token", k_group_registration, setup_token},
      CommandSpec{"register", k_group_registration, setup_register},
      CommandSpec{"unregister", k_group_registration, setup_unregister},
      CommandSpec{"apply", k_group_advanced, setup_apply},
      CommandSpec{"label", k_group_settings, setup_label},
      CommandSpec{"annotate", k_group_settings, setup_annotate},
      CommandSpec{"completion", k_group_settings, setup_completion},
      CommandSpec{"version", k_group_other, setup_version},
      CommandSpec{"options", k_group_other, setup_options},
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
