#include "commands/man.hpp"

#include "util/strings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <sstream>

namespace kctl::cli {

namespace {

constexpr std::string_view k_man_program = "karmadactl";

// The root page's description, after the one-line summary.
constexpr std::string_view k_man_root_description =
    "karmadactl installs the Karmada control plane into a host Kubernetes cluster and brings "
    "member "
    "clusters under it. Command names, flags, created objects and files follow upstream karmadactl "
    "(Karmada v1.18), so existing guides and scripts work unchanged. Every command that changes "
    "something accepts --dry-run, and re-running a command converges instead of failing.\n\n"
    "Installed as kubectl-karmada (a link to karmadactl) it is the kubectl plugin: kubectl karmada "
    "init. Each command has its own page: man karmadactl-<command>, e.g. man karmadactl-init or "
    "man karmadactl-token-create.\n\n"
    "Exit codes: 0 success, 1 failure, 2 usage error, 130 interrupted. Results go to stdout; "
    "progress, warnings and errors (error: ...) to stderr.";

bool
man_visible(const CLI::App* app) {
  return !app->get_group().empty();
}

void
man_walk(const CLI::App* app,
         std::vector<const CLI::App*> path,
         std::vector<std::vector<const CLI::App*>>& out) {
  out.push_back(path);
  for (const CLI::App* sub : app->get_subcommands([](const CLI::App*) { return true; })) {
    if (man_visible(sub)) {
      auto next = path;
      next.push_back(sub);
      man_walk(sub, std::move(next), out);
    }
  }
}

// Appends UTF-8 code point starting at text[i] as \[uXXXX]; returns the bytes consumed.
size_t
man_escape_utf8(std::string_view text, size_t i, std::string& out) {
  auto byte = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(text[k])); };
  uint32_t lead = byte(i);
  size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  if (i + length > text.size() || length == 1) {
    out += "?";
    return 1;
  }
  uint32_t code = lead & (0xFFu >> (length + 1));
  for (size_t k = 1; k < length; ++k) {
    code = (code << 6) | (byte(i + k) & 0x3Fu);
  }
  out += fmt::format("\\[u{:04X}]", code);
  return length;
}

// Text for roff: backslashes, minus signs, non-ASCII characters, and control characters at the
// start of a line are escaped.
std::string
man_escape(std::string_view text) {
  std::string out;
  bool line_start = true;
  for (size_t i = 0; i < text.size();) {
    char c = text[i];
    if (line_start && (c == '.' || c == '\'')) {
      out += "\\&";
    }
    line_start = c == '\n';
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      i += man_escape_utf8(text, i, out);
      continue;
    } else {
      out += c;
    }
    ++i;
  }
  return out;
}

std::vector<std::string>
man_lines(const std::string& text, char separator) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line, separator);) {
    lines.push_back(line);
  }
  return lines;
}

std::string
man_trim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t\n");
  if (begin == std::string_view::npos) {
    return {};
  }
  size_t end = text.find_last_not_of(" \t\n");
  return std::string(text.substr(begin, end - begin + 1));
}

// Removes the common leading indentation of `text`'s lines.
std::string
man_dedent(const std::string& text) {
  std::vector<std::string> lines = man_lines(text, '\n');
  size_t indent = std::string::npos;
  for (const auto& line : lines) {
    size_t first = line.find_first_not_of(' ');
    if (first != std::string::npos) {
      indent = std::min(indent, first);
    }
  }
  std::string out;
  for (const auto& line : lines) {
    out += (line.size() > indent ? line.substr(indent) : man_trim(line)) + "\n";
  }
  return out;
}

std::string
man_name(const std::vector<const CLI::App*>& path) {
  std::string name(k_man_program);
  for (const CLI::App* app : path) {
    name += "-" + app->get_name();
  }
  return name;
}

std::string
man_command(const std::vector<const CLI::App*>& path) {
  std::string name(k_man_program);
  for (const CLI::App* app : path) {
    name += " " + app->get_name();
  }
  return name;
}

std::string
man_first_line(const std::string& text) {
  return man_trim(text.substr(0, text.find('\n')));
}

std::string
man_option_entry(const CLI::Option* option) {
  std::vector<std::string> names;
  for (const auto& name : option->get_snames()) {
    names.push_back("\\fB\\-" + man_escape(name) + "\\fR");
  }
  for (const auto& name : option->get_lnames()) {
    names.push_back("\\fB\\-\\-" + man_escape(name) + "\\fR");
  }
  std::string head = strings::join(names, ", ");
  if (option->get_expected_min() > 0 || option->get_type_size_min() > 0) {
    std::string type = option->get_type_name();
    type = type.substr(0, type.find(':')); // without an IsMember check's "{a,b}"
    for (char& c : type) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (!type.empty() && type != "flag") {
      head += "=\\fI" + man_escape(type) + "\\fR";
    }
  }
  std::string text = man_trim(option->get_description());
  std::string fallback = option->get_default_str();
  if (!fallback.empty() && option->get_expected_min() > 0) {
    text += fmt::format(" (default: {})", fallback);
  }
  return fmt::format(".TP\n{}\n{}\n", head, man_escape(text));
}

std::string
man_options(const CLI::App& app, bool with_help) {
  // Options in their help groups (init's "Local etcd", ...), in the order the groups first appear;
  // options without a group are hidden from help and so from the page.
  std::vector<std::string> groups;
  for (const CLI::Option* option : app.get_options()) {
    if (!option->get_group().empty() &&
        std::find(groups.begin(), groups.end(), option->get_group()) == groups.end()) {
      groups.push_back(option->get_group());
    }
  }
  std::string out;
  for (const auto& group : groups) {
    std::string entries;
    for (const CLI::Option* option : app.get_options()) {
      if (option->get_group() != group || option->get_positional() ||
          (!with_help && option == app.get_help_ptr())) {
        continue;
      }
      entries += man_option_entry(option);
    }
    if (!entries.empty() && groups.size() > 1) {
      out += ".SS \"" + man_escape(group) + "\"\n";
    }
    out += entries;
  }
  return out;
}

// The visible subcommands of `app`.
std::vector<const CLI::App*>
man_children(const CLI::App& app) {
  std::vector<const CLI::App*> children;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (man_visible(sub)) {
      children.push_back(sub);
    }
  }
  return children;
}

// .TH and NAME.
std::string
man_title(const CLI::App& app, const std::string& name, const std::string& version) {
  std::string upper = name;
  for (char& c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  std::string out = fmt::format(".\\\" Generated by `karmadactl __gen-docs --man-dir man` from the "
                                "command tree; do not edit.\n"
                                ".TH \"{}\" \"1\" \"\" \"karmadactl {}\" \"User Commands\"\n",
                                man_escape(upper),
                                version);
  out += fmt::format(
      ".SH NAME\n{} \\- {}\n", man_escape(name), man_escape(man_first_line(app.get_description())));
  return out;
}

// SYNOPSIS: the command, [command] when it has subcommands, [flags] and its arguments.
std::string
man_synopsis(const CLI::App& app, const std::vector<const CLI::App*>& path, bool has_children) {
  std::string synopsis = fmt::format(".B {}\n", man_escape(man_command(path)));
  if (has_children) {
    synopsis += "\\fIcommand\\fR ";
  }
  synopsis += "[\\fIflags\\fR]";
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_positional()) {
      bool many = option->get_items_expected_max() > 1;
      synopsis += fmt::format(" {}\\fI{}\\fR{}{}",
                              option->get_required() ? "" : "[",
                              man_escape(option->get_name()),
                              many ? "..." : "",
                              option->get_required() ? "" : "]");
    }
  }
  std::string out = ".SH SYNOPSIS\n" + synopsis + "\n";
  if (path.empty()) {
    out += ".br\n.B kubectl karmada\n\\fIcommand\\fR [\\fIflags\\fR]\n";
  }
  return out;
}

// DESCRIPTION, a paragraph per blank-line-separated block.
std::string
man_description(const CLI::App& app, const HelpText& help, bool root) {
  std::string out = ".SH DESCRIPTION\n";
  std::string description = help.description.empty() ? app.get_description() : help.description;
  if (root) {
    description += "\n\n" + std::string(k_man_root_description);
  }
  for (const auto& paragraph : man_lines(man_trim(description), '\n')) {
    out += paragraph.empty() ? ".PP\n" : man_escape(paragraph) + "\n";
  }
  return out;
}

// COMMANDS and ARGUMENTS, each when there are any.
std::string
man_commands_and_arguments(const CLI::App& app, const std::vector<const CLI::App*>& children) {
  std::string out;
  if (!children.empty()) {
    out += ".SH COMMANDS\n";
    for (const CLI::App* sub : children) {
      out += fmt::format(".TP\n.B {}\n{}\n",
                         man_escape(sub->get_name()),
                         man_escape(man_first_line(sub->get_description())));
    }
  }
  bool any_positional = false;
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_positional()) {
      if (!any_positional) {
        out += ".SH ARGUMENTS\n";
        any_positional = true;
      }
      out += fmt::format(".TP\n\\fI{}\\fR\n{}\n",
                         man_escape(option->get_name()),
                         man_escape(man_trim(option->get_description())));
    }
  }
  return out;
}

// EXAMPLES, as preformatted text.
std::string
man_examples(const HelpText& help) {
  if (help.examples.empty()) {
    return {};
  }
  std::string out = ".SH EXAMPLES\n.nf\n.RS 4\n";
  for (const auto& line : man_lines(man_dedent(help.examples), '\n')) {
    out += man_escape(line) + "\n";
  }
  while (out.ends_with("\n\n")) {
    out.pop_back();
  }
  return out + ".RE\n.fi\n";
}

// SEE ALSO: the parent command's page and the subcommands' pages.
std::string
man_see_also(const std::vector<const CLI::App*>& path,
             const std::vector<std::vector<const CLI::App*>>& all) {
  std::vector<std::string> see_also;
  if (!path.empty()) {
    std::vector<const CLI::App*> parent(path.begin(), path.end() - 1);
    see_also.push_back(fmt::format("\\fB{}\\fR(1)", man_escape(man_name(parent))));
  }
  for (const auto& other : all) {
    if (other.size() == path.size() + 1 && std::equal(path.begin(), path.end(), other.begin())) {
      see_also.push_back(fmt::format("\\fB{}\\fR(1)", man_escape(man_name(other))));
    }
  }
  return see_also.empty() ? std::string{}
                          : ".SH SEE ALSO\n" + strings::join(see_also, ",\n") + "\n";
}

std::string
man_page(const CLI::App& root,
         const std::vector<const CLI::App*>& path,
         const std::vector<std::vector<const CLI::App*>>& all,
         const std::string& version) {
  const CLI::App& app = path.empty() ? root : *path.back();
  HelpText help = help_text(app);
  std::vector<const CLI::App*> children = man_children(app);
  std::string out = man_title(app, man_name(path), version);
  out += man_synopsis(app, path, !children.empty());
  out += man_description(app, help, path.empty());
  out += man_commands_and_arguments(app, children);
  std::string options = man_options(app, true);
  if (!options.empty()) {
    out += ".SH OPTIONS\n" + options;
  }
  if (!path.empty()) {
    std::string inherited = man_options(root, false);
    if (!inherited.empty()) {
      out += ".SH OPTIONS INHERITED FROM PARENT COMMANDS\n" + inherited;
    }
  }
  out += man_examples(help);
  out += man_see_also(path, all);
  return out;
}

} // namespace

HelpText
help_text(const CLI::App& app) {
  std::string text;
  auto formatter = std::dynamic_pointer_cast<CLI::Formatter>(app.get_formatter());
  if (formatter) {
    text = formatter->make_description(&app);
  }
  HelpText help;
  constexpr std::string_view marker = "Examples:\n";
  size_t at = text.find(marker);
  if (at == std::string::npos) {
    help.description = man_trim(text);
    return help;
  }
  help.description = man_trim(text.substr(0, at));
  help.examples = man_trim(text.substr(at + marker.size()));
  // Keep the first example's indentation for dedenting.
  size_t line = text.find_first_not_of('\n', at + marker.size());
  if (line != std::string::npos) {
    help.examples = text.substr(line, text.find_last_not_of(" \n") + 1 - line);
  }
  return help;
}

std::vector<std::vector<const CLI::App*>>
visible_command_paths(const CLI::App& root) {
  std::vector<std::vector<const CLI::App*>> out;
  man_walk(&root, {}, out);
  return out;
}

std::map<std::string, std::string>
man_pages(const CLI::App& root, const std::string& version) {
  std::map<std::string, std::string> pages;
  auto all = visible_command_paths(root);
  for (const auto& path : all) {
    pages[man_name(path) + ".1"] = man_page(root, path, all, version);
  }
  return pages;
}

} // namespace kctl::cli
