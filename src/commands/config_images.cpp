#include "commands/config_images.hpp"

#include "commands/flags.hpp"
#include "commands/init_flags.hpp"
#include "commands/kubectl_help.hpp"
#include "output/stream.hpp"

#include <fmt/format.h>

#include <memory>

namespace kctl::cli {

namespace {

struct ImagesOptions {
  init::InitOptions init;
  std::string output;
};

Result<ExitCode>
run_images_list(const ImagesOptions& options) {
  KCTL_TRY_ASSIGN(init::ResolvedInit resolved, init::resolve(options.init));
  std::vector<std::string> images = init_images(resolved.spec);
  if (options.output.empty()) {
    for (const auto& image : images) {
      fmt::print("{}\n", image);
    }
  } else {
    fmt::print("{}", output::render_one(options.output, Json{{"images", images}}));
  }
  return ExitCode::ok;
}

} // namespace

std::vector<std::string>
init_images(const manifests::InitSpec& spec) {
  std::vector<std::string> images;
  for (const auto& row : manifests::k_components) {
    if (row.id == manifests::Component::etcd && spec.external_etcd_mode()) {
      continue;
    }
    images.push_back(spec.component(row.id).image);
  }
  return images;
}

void
setup_config(CLI::App& app, Invocation& invocation) {
  CLI::App* config = &app;
  config->require_subcommand(1);
  CLI::App* images = config->add_subcommand("images", "Images init uses");
  images->require_subcommand(1);
  auto options = std::make_shared<ImagesOptions>();
  CLI::App* list =
      images->add_subcommand("list", "Print the images init would use with these flags");
  set_kubectl_help(
      *list,
      "",
      with_program(
          "  # The default images of this release\n  {program} config images list\n\n"
          "  # The same images as they will be named in a private registry\n"
          "  {program} config images list --private-image-registry=registry.example.com/karmada\n\n"
          "  # Pull and push them with any tool, e.g.\n"
          "  for i in $({program} config images list); do crane copy $i "
          "registry.example.com/${i#*/}; "
          "done",
          invocation.program));
  bind_image_flags(*list, options->init);
  add_output_flag(*list, options->output, {"json", "yaml"});
  defer_value_errors(*config, invocation.value_problems);
  list->callback([&invocation, options] {
    invocation.validate = [options] { return init::check(options->init); };
    invocation.action = [options] { return run_images_list(*options); };
  });
}

} // namespace kctl::cli
