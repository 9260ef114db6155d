#include "commands/kubectl_help.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <vector>

namespace kctl::cli {

namespace {

// Where kubectl wraps a flag's help text (after the tab).
constexpr size_t k_wrap_width = 80;
// cobra's narrowest command-name column.
constexpr size_t k_min_name_padding = 11;

struct HelpTexts {
  std::string long_description;
  std::string examples;
};

std::string
first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

// Positionals are named in upper case in usage lines, as kubectl does (NAME, SHELL).
std::string
upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
    return static_cast<char>(std::toupper(c));
  });
  return text;
}

// Commands shown in help: those with a help group (hidden ones, such as __gen-docs, have none).
std::vector<const CLI::App*>
visible_commands(const CLI::App* app) {
  return app->get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); });
}

const CLI::App*
root_of(const CLI::App* app) {
  while (app->get_parent() != nullptr) {
    app = app->get_parent();
  }
  return app;
}

// `text` as kubectl prints a flag's help: each line after a tab, wrapped at word boundaries.
std::string
tab_wrapped(const std::string& text) {
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = std::min(text.find('\n', start), text.size());
    std::string line;
    size_t word_start = start;
    while (word_start < end) {
      size_t word_end = std::min(text.find(' ', word_start), end);
      std::string word = text.substr(word_start, word_end - word_start);
      if (!line.empty() && line.size() + 1 + word.size() > k_wrap_width) {
        out += "\t" + line + "\n";
        line.clear();
      }
      line += (line.empty() ? "" : " ") + word;
      word_start = word_end + 1;
    }
    out += "\t" + line + "\n";
    start = end + 1;
  }
  return out;
}

// The default as kubectl shows it after the flag's name: =false, =3, =30s, =[], ='text'.
std::string
shown_default(const CLI::Option* option) {
  std::string value = option->get_default_str();
  std::string type = option->get_type_name();
  // A flag is true when given, unless it stands for a string (apply's --dry-run means "client").
  if (option->get_expected_max() == 0 && type != "string") {
    return "=" + (value.empty() ? std::string("false") : value);
  }
  if (option->get_items_expected_max() > 1) {
    return "=" + (value.empty() ? "[]" : value.starts_with("[") ? value : "[" + value + "]");
  }
  bool bare =
      type == "INT" || type == "UINT" || type == "FLOAT" || type == "Level" || type == "duration";
  if (bare) {
    return value.empty() ? std::string() : "=" + value;
  }
  return "='" + value + "'";
}

class KubectlFormatter : public CLI::Formatter {
public:
  void set_texts(const CLI::App* app, HelpTexts texts) { m_texts[app] = std::move(texts); }

  // The long description and examples: also what man pages read (man.cpp, help_text).
  std::string make_description(const CLI::App* app) const override {
    auto found = m_texts.find(app);
    bool has_long = found != m_texts.end() && !found->second.long_description.empty();
    std::string out = (has_long ? found->second.long_description : app->get_description()) + "\n\n";
    if (found != m_texts.end() && !found->second.examples.empty()) {
      out += "Examples:\n" + found->second.examples + "\n\n";
    }
    return out;
  }

  std::string
  make_help(const CLI::App* app, std::string name, CLI::AppFormatMode /*mode*/) const override {
    return make_description(app) + commands_section(app) + options_section(app) +
           usage_section(app, name) + pointers(app, name);
  }

private:
  // The root lists its commands in help groups, in the order the groups first appear; a command
  // with subcommands lists them as "Available Commands".
  static std::string commands_section(const CLI::App* app) {
    std::vector<const CLI::App*> commands = visible_commands(app);
    if (commands.empty()) {
      return {};
    }
    size_t padding = k_min_name_padding;
    for (const CLI::App* command : commands) {
      padding = std::max(padding, command->get_name().size());
    }
    std::vector<std::string> groups;
    for (const CLI::App* command : commands) {
      if (std::find(groups.begin(), groups.end(), command->get_group()) == groups.end()) {
        groups.push_back(command->get_group());
      }
    }
    bool grouped = app->get_parent() == nullptr;
    std::string out;
    for (const auto& group : grouped ? groups : std::vector<std::string>{"Available Commands"}) {
      out += group + ":\n";
      for (const CLI::App* command : commands) {
        if (!grouped || command->get_group() == group) {
          out += fmt::format("  {:<{}} {}\n",
                             command->get_name(),
                             padding,
                             first_line(command->get_description()));
        }
      }
      out += "\n";
    }
    return out;
  }

  // The command's own flags; the root's (-v) are listed by the options command, as kubectl does.
  static std::string options_section(const CLI::App* app) {
    if (app->get_parent() == nullptr) {
      return {};
    }
    std::string out;
    for (const CLI::Option* option : app->get_options()) {
      bool shown = !option->get_group().empty() && !option->get_positional() &&
                   option != app->get_help_ptr();
      if (shown) {
        out += kubectl_flag_entry(*option);
      }
    }
    return out.empty() ? out : "Options:\n" + out;
  }

  static std::string usage_section(const CLI::App* app, const std::string& name) {
    std::string line = name;
    if (!visible_commands(app).empty()) {
      line += " [command]";
    }
    for (const CLI::Option* option : app->get_options()) {
      if (option->get_positional()) {
        std::string word =
            upper(option->get_name()) + (option->get_items_expected_max() > 1 ? "..." : "");
        line += " " + (option->get_required() ? word : "[" + word + "]");
      }
    }
    return "Usage:\n  " + line + " [options]\n\n";
  }

  static std::string pointers(const CLI::App* app, const std::string& name) {
    std::string out;
    if (!visible_commands(app).empty()) {
      out += fmt::format(
          "Use \"{} <command> --help\" for more information about a given command.\n", name);
    }
    out +=
        fmt::format("Use \"{} options\" for a list of global command-line options (applies to all "
                    "commands).\n",
                    root_of(app)->get_name());
    return out;
  }

  std::map<const CLI::App*, HelpTexts> m_texts;
};

} // namespace

std::string
kubectl_flag_entry(const CLI::Option& option) {
  std::string names;
  for (const auto& name : option.get_snames()) {
    names += "-" + name + ", ";
  }
  names += option.get_lnames().empty() ? "" : "--" + option.get_lnames().front();
  return fmt::format(
      "    {}{}:\n{}\n", names, shown_default(&option), tab_wrapped(option.get_description()));
}

void
install_kubectl_help(CLI::App& root) {
  root.formatter(std::make_shared<KubectlFormatter>());
}

void
set_kubectl_help(CLI::App& command, std::string long_description, std::string examples) {
  auto formatter = std::dynamic_pointer_cast<KubectlFormatter>(command.get_formatter());
  if (!formatter) {
    // A tree built without install_kubectl_help (a test's): this command gets its own.
    formatter = std::make_shared<KubectlFormatter>();
    command.formatter(formatter);
  }
  formatter->set_texts(&command, {std::move(long_description), std::move(examples)});
}

} // namespace kctl::cli
