#include "commands/flags.hpp"

#include "util/duration.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>

namespace kctl::cli {

namespace {

// The name of the validators defer_value_errors adds, so that a second call adds none.
constexpr const char* k_deferred_validator = "kctl-deferred";

// Why `text` is not a number of CLI11's type `type` ("INT", "UINT", "FLOAT"), or "" when it is.
std::string
number_problem(const std::string& type, const std::string& text) {
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (begin != end && *begin == '+') {
    ++begin;
  }
  if (type == "FLOAT") {
    double value = 0;
    auto [ptr, ec] = std::from_chars(begin, end, value);
    return begin != end && ec == std::errc() && ptr == end ? "" : "a number is expected";
  }
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (begin == end || ptr != end || ec == std::errc::invalid_argument) {
    return type == "UINT" ? "a whole number (0, 1, 2, ...) is expected"
                          : "a whole number is expected";
  }
  if (ec == std::errc::result_out_of_range) {
    return "the number is too large";
  }
  if (type == "UINT" && value < 0) {
    return "a whole number (0, 1, 2, ...) is expected";
  }
  return "";
}

// Runs `check` on a value; a failure becomes a problem naming the flag and the value, and the value
// becomes `fallback` so that parsing goes on.
std::function<std::string(std::string&)>
deferred(std::function<std::string(std::string&)> check_value,
         std::string flag_text,
         std::string fallback_value,
         Problems& problems) {
  return [check = std::move(check_value),
          flag = std::move(flag_text),
          fallback = std::move(fallback_value),
          &problems](std::string& value) {
    std::string original = value;
    std::string why = check(value);
    if (!why.empty()) {
      problems.add("invalid argument \"{}\" for \"{}\" flag: {}", original, flag, why);
      value = fallback;
    }
    return std::string();
  };
}

void
defer_option_errors(CLI::Option& option, Problems& problems) {
  try {
    option.get_validator(k_deferred_validator);
    return; // already done
  } catch (const CLI::OptionNotFound&) {
  }
  std::string flag = flag_name(option);
  std::string fallback = option.get_default_str();
  for (int index = 0;; ++index) {
    CLI::Validator* validator = nullptr;
    try {
      validator = option.get_validator(index);
    } catch (const CLI::OptionNotFound&) {
      break;
    }
    CLI::Validator original = *validator;
    validator->operation(deferred(
        [original](std::string& value) { return original(value); }, flag, fallback, problems));
    // The replacement of a rejected value must reach the option.
    validator->non_modifying(false);
  }
  std::string type = option.get_type_name();
  bool takes_value = option.get_type_size() != 0;
  if (takes_value && (type == "INT" || type == "UINT" || type == "FLOAT")) {
    auto check = [type](std::string& value) { return number_problem(type, value); };
    option.transform(
        CLI::Validator(deferred(check, flag, fallback.empty() ? "0" : fallback, problems),
                       "",
                       k_deferred_validator));
  } else {
    option.transform(
        CLI::Validator([](std::string&) { return std::string(); }, "", k_deferred_validator));
  }
}

} // namespace

std::string
flag_name(const CLI::Option& option) {
  if (!option.get_lnames().empty() && !option.get_snames().empty()) {
    return "-" + option.get_snames().front() + ", --" + option.get_lnames().front();
  }
  if (!option.get_lnames().empty()) {
    return "--" + option.get_lnames().front();
  }
  if (!option.get_snames().empty()) {
    return "-" + option.get_snames().front();
  }
  return option.get_name(true);
}

void
defer_value_errors(CLI::App& app, Problems& problems) {
  for (CLI::Option* option : app.get_options()) {
    defer_option_errors(*option, problems);
  }
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    defer_value_errors(*sub, problems);
  }
}

CLI::Option*
add_duration_flag(CLI::App& app,
                  const std::string& names,
                  std::chrono::nanoseconds& target,
                  const std::string& description,
                  BareNumber bare) {
  auto parse = [bare](const std::string& text) {
    bool all_digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
    return parse_duration(bare == BareNumber::seconds && all_digits ? text + "s" : text);
  };
  auto* option = app.add_option_function<std::string>(
      names,
      [&target, parse](const std::string& text) {
        if (auto parsed = parse(text)) {
          target = *parsed;
        }
      },
      description);
  option->check(CLI::Validator(
      [parse, bare](std::string& text) -> std::string {
        if (parse(text)) {
          return "";
        }
        return bare == BareNumber::seconds
                   ? "a duration is expected, such as 30s, 5m or 1h30m (a bare number is seconds)"
                   : "a duration is expected, such as 30s, 5m or 1h30m";
      },
      "",
      "duration"));
  option->type_name("duration");
  option->default_str(format_duration(target));
  return option;
}

CLI::Validator
one_of(const std::vector<std::string>& allowed) {
  std::string listed;
  for (const auto& value : allowed) {
    listed += (listed.empty() ? "" : ", ") + value;
  }
  return CLI::Validator(
      [allowed, listed](std::string& value) -> std::string {
        if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) {
          return "";
        }
        return "must be one of " + listed;
      },
      // As CLI11's IsMember shows it: the type name reads "TEXT:{a,b}", which completion offers.
      fmt::format("{{{}}}", fmt::join(allowed, ",")),
      "one-of");
}

CLI::Option*
add_output_flag(CLI::App& app, std::string& target, const std::vector<std::string>& formats) {
  std::string listed;
  for (const auto& format : formats) {
    listed += (listed.empty() ? "" : "|") + format;
  }
  auto* option =
      app.add_option("-o,--output", target, fmt::format("Output format: one of {}", listed));
  option->check(one_of(formats));
  option->type_name("string");
  return option;
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
