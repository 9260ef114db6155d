#include "commands/flags.hpp"

#include "util/duration.hpp"
#include "util/yaml.hpp"

#include <fmt/format.h>

#include <cctype>

namespace kctl::cli {

CLI::Option*
add_duration_flag(CLI::App& app,
                  const std::string& names,
                  std::chrono::nanoseconds& target,
                  const std::string& description,
                  BareNumber bare) {
  auto* option = app.add_option_function<std::string>(
      names,
      [&target, bare](const std::string& text) {
        bool all_digits =
            !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
        auto parsed = parse_duration(bare == BareNumber::seconds && all_digits ? text + "s" : text);
        if (!parsed) {
          throw CLI::ValidationError(parsed.error().message);
        }
        target = *parsed;
      },
      description);
  option->type_name("duration");
  option->default_str(format_duration(target));
  return option;
}

CLI::Option*
add_output_flag(CLI::App& app, std::string& target, const std::vector<std::string>& formats) {
  std::vector<std::string> allowed = formats;
  std::string listed;
  for (const auto& format : formats) {
    listed += (listed.empty() ? "" : "|") + format;
  }
  auto* option =
      app.add_option("-o,--output", target, fmt::format("Output format: one of {}", listed));
  option->check(CLI::IsMember(allowed));
  option->type_name("string");
  return option;
}

void
print_structured(const Json& value, const std::string& format) {
  if (format == "json") {
    fmt::print("{}\n", value.dump(4));
  } else {
    fmt::print("{}", yaml::dump(value));
  }
}

std::vector<std::string>
normalize_flag_names(std::vector<std::string> args) {
  std::vector<std::string> out;
  out.reserve(args.size());
  bool flags_done = false;
  for (auto& arg : args) {
    if (flags_done || arg == "--") {
      flags_done = true;
      out.push_back(std::move(arg));
      continue;
    }
    // "-v=10" is pflag's shorthand with a value; CLI11 would take "=10" as the value.
    bool short_with_equals = arg.size() >= 3 && arg[0] == '-' &&
                             std::isalpha(static_cast<unsigned char>(arg[1])) != 0 && arg[2] == '=';
    if (short_with_equals) {
      out.push_back(arg.substr(0, 2));
      out.push_back(arg.substr(3));
      continue;
    }
    if (arg.starts_with("--")) {
      size_t end = arg.find('=');
      for (size_t i = 2; i < arg.size() && i < end; ++i) {
        if (arg[i] == '_') {
          arg[i] = '-';
        }
      }
    }
    out.push_back(std::move(arg));
  }
  return out;
}

} // namespace kctl::cli
