#include "commands/completion.hpp"

#include "commands/flags.hpp"
#include "commands/kubectl_help.hpp"
#include "commands/man.hpp"
#include "karmada/clusters.hpp"
#include "kube/client.hpp"
#include "kube/rest_config.hpp"
#include "util/build_info.hpp"
#include "util/fs.hpp"
#include "util/strings.hpp"

#include <fmt/format.h>

#include <chrono>
#include <map>
#include <memory>
#include <set>

namespace kctl::cli {

namespace {

constexpr std::chrono::milliseconds k_completion_timeout{2000};

// Fixed values of flags that have no IsMember check; `command` "" matches any command.
struct FixedValues {
  std::string_view command;
  std::string_view flag;
  std::vector<std::string_view> values;
};

const std::vector<FixedValues>&
fixed_values() {
  static const std::vector<FixedValues> table = {
      {"init", "etcd-storage-mode", {"hostPath", "emptyDir", "PVC"}},
      {"", "image-pull-policy", {"Always", "IfNotPresent", "Never"}},
      {"get", "operation-scope", {"karmada", "members", "all"}},
      {"get",
       "output",
       {"json",
        "yaml",
        "name",
        "wide",
        "go-template=",
        "go-template-file=",
        "template=",
        "templatefile=",
        "jsonpath=",
        "jsonpath-as-json=",
        "jsonpath-file=",
        "custom-columns=",
        "custom-columns-file="}},
      {"", "output", {"json", "yaml", "name", "jsonpath=", "custom-columns="}},
  };
  return table;
}

// Resource types `get` completes (its first argument).
constexpr std::string_view k_resource_types[] = {
    "clusters",
    "clusterpropagationpolicies",
    "clusteroverridepolicies",
    "propagationpolicies",
    "overridepolicies",
    "resourcebindings",
    "clusterresourcebindings",
    "works",
    "namespaces",
    "deployments",
    "statefulsets",
    "daemonsets",
    "services",
    "configmaps",
    "secrets",
    "pods",
    "jobs",
    "ingresses",
};

// Commands whose arguments are cluster names: all of them, or those after a "clusters" type.
bool
takes_cluster_names(std::string_view command) {
  return command == "join" || command == "unjoin" || command == "cordon" || command == "uncordon" ||
         command == "unregister";
}
bool
takes_cluster_type(std::string_view command) {
  return command == "get" || command == "delete" || command == "label" || command == "annotate" ||
         command == "taint";
}
bool
is_cluster_type(std::string_view word) {
  return word == "cluster" || word == "clusters" || word == "cluster.cluster.karmada.io" ||
         word == "clusters.cluster.karmada.io";
}

bool
has_prefix(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool
takes_value(const CLI::Option* option) {
  return option->get_type_size_max() > 0 && !option->get_positional();
}

// The option `word` ("--output", "-o", "--output=json", "-ojson") names on `app` or its parents.
const CLI::Option*
find_completion_option(const CLI::App* app, std::string_view word) {
  std::string name(word.substr(0, word.find('=')));
  for (; app != nullptr; app = app->get_parent()) {
    for (const CLI::Option* option : app->get_options()) {
      if (option->get_positional()) {
        continue;
      }
      for (const auto& l : option->get_lnames()) {
        if (name == "--" + l) {
          return option;
        }
      }
      for (const auto& s : option->get_snames()) {
        if (name.size() >= 2 && name.substr(0, 2) == "-" + s) {
          return option;
        }
      }
    }
  }
  return nullptr;
}

std::string
completion_long_name(const CLI::Option* option) {
  return option->get_lnames().empty() ? option->get_snames().front() : option->get_lnames().front();
}

std::string
completion_command(const CLI::App* app) {
  return app->get_parent() == nullptr ? "" : app->get_name();
}

// State gathered from the words before the one being completed.
struct CompletionLine {
  const CLI::App* app = nullptr;
  std::map<std::string, std::string> values; // by long flag name
  std::vector<std::string> positionals;
};

std::vector<std::string>
kubeconfig_contexts(const std::string& kubeconfig) {
  kube::ConnectionOptions options;
  options.kubeconfig = kubeconfig;
  auto loaded = kube::load_kubeconfig(options, kube::Environment::current());
  std::vector<std::string> names;
  if (loaded && loaded->has_value()) {
    for (const auto& [name, context] : (*loaded)->contexts) {
      names.push_back(name);
    }
  }
  return names;
}

// Lists `ref`'s object names on the Karmada API server named by the line's flags; empty on error.
std::vector<std::string>
karmada_names(const CompletionLine& line, const kube::ResourceRef& ref) {
  kube::ConnectionOptions options;
  auto flag = [&](const std::string& name) {
    auto found = line.values.find(name);
    return found == line.values.end() ? std::string() : found->second;
  };
  options.kubeconfig = flag("kubeconfig");
  options.context = flag("karmada-context");
  auto rest = kube::resolve_rest_config(options);
  std::vector<std::string> names;
  if (!rest) {
    return names;
  }
  rest->timeout = k_completion_timeout;
  rest->retry.max_attempts = 1;
  auto client = kube::Client::connect(*rest);
  if (!client) {
    return names;
  }
  auto list = client->list(ref);
  if (!list) {
    return names;
  }
  for (const auto& item : list->value("items", Json::array())) {
    names.push_back(item.value("/metadata/name"_json_pointer, std::string()));
  }
  return names;
}

std::vector<std::string>
cluster_names(const CompletionLine& line) {
  return karmada_names(line, karmada::cluster_ref());
}

std::vector<std::string>
namespace_names(const CompletionLine& line) {
  return karmada_names(line, kube::core("namespaces"));
}

// The values an IsMember check allows; it shows in the type name as "TEXT:{a,b,c}".
std::optional<std::vector<std::string>>
member_values(const CLI::Option* option) {
  std::string type = option->get_type_name();
  size_t open = type.find(":{");
  if (open == std::string::npos || type.back() != '}') {
    return std::nullopt;
  }
  std::vector<std::string> values;
  std::string inner = type.substr(open + 2, type.size() - open - 3);
  size_t start = 0;
  while (start <= inner.size()) {
    size_t comma = inner.find(',', start);
    values.push_back(inner.substr(start, comma - start));
    if (comma == std::string::npos) {
      break;
    }
    start = comma + 1;
  }
  return values;
}

// The values an option takes, or nullopt when it names a file (or anything else).
std::optional<std::vector<std::string>>
option_values(const CompletionLine& line, const CLI::Option* option) {
  std::string name = completion_long_name(option);
  std::string command = completion_command(line.app);
  if (name == "context" || name == "karmada-context") {
    auto found = line.values.find("kubeconfig");
    return kubeconfig_contexts(found == line.values.end() ? "" : found->second);
  }
  if (name == "cluster-context") {
    auto found = line.values.find("cluster-kubeconfig");
    return kubeconfig_contexts(found == line.values.end() ? "" : found->second);
  }
  if (name == "clusters" || name == "cluster") {
    return cluster_names(line);
  }
  if (name == "namespace") {
    return namespace_names(line);
  }
  if (auto values = member_values(option)) {
    return values;
  }
  for (const auto& row : fixed_values()) {
    if (row.flag == name && (row.command.empty() || row.command == command)) {
      return std::vector<std::string>(row.values.begin(), row.values.end());
    }
  }
  return std::nullopt;
}

Completions
value_completions(const CompletionLine& line,
                  const CLI::Option* option,
                  std::string_view prefix,
                  std::string_view current) {
  Completions out;
  auto values = option_values(line, option);
  if (!values) {
    return out; // file names
  }
  out.directive = k_directive_no_files;
  for (const auto& value : *values) {
    if (has_prefix(value, current)) {
      out.candidates.push_back(std::string(prefix) + value);
      if (value.ends_with('=')) {
        out.directive |= k_directive_no_space;
      }
    }
  }
  return out;
}

Completions
argument_completions(const CompletionLine& line, std::string_view current) {
  Completions out;
  out.directive = k_directive_no_files;
  const CLI::App* app = line.app;
  if (line.positionals.empty()) {
    for (const CLI::App* sub : app->get_subcommands([](const CLI::App*) { return true; })) {
      if (!sub->get_group().empty() && has_prefix(sub->get_name(), current)) {
        out.candidates.push_back(sub->get_name() + "\t" + sub->get_description());
      }
    }
  }
  std::string command = completion_command(app);
  std::vector<std::string> values;
  if (takes_cluster_names(command)) {
    if (line.positionals.empty()) {
      values = cluster_names(line);
    }
  } else if (takes_cluster_type(command)) {
    if (line.positionals.empty()) {
      if (command == "get") {
        values.assign(std::begin(k_resource_types), std::end(k_resource_types));
      } else {
        values = {"clusters"};
      }
    } else if (is_cluster_type(line.positionals.front()) &&
               (command == "get" || command == "delete" || line.positionals.size() == 1)) {
      values = cluster_names(line);
    }
  } else if (app->get_subcommands([](const CLI::App*) { return true; }).empty()) {
    bool positional = false;
    for (const CLI::Option* option : app->get_options()) {
      positional = positional || option->get_positional();
    }
    for (const CLI::Option* option : app->get_options()) {
      if (option->get_positional() && line.positionals.empty()) {
        if (auto members = member_values(option)) {
          values = *members;
          positional = false;
        }
        break;
      }
    }
    if (positional) {
      out.directive = 0; // anything, file names included
    }
  }
  for (const auto& value : values) {
    if (has_prefix(value, current)) {
      out.candidates.push_back(value);
    }
  }
  return out;
}

Completions
flag_completions(const CLI::App* app, std::string_view current) {
  Completions out;
  out.directive = k_directive_no_files;
  std::set<std::string> offered;
  for (const CLI::App* at = app; at != nullptr; at = at->get_parent()) {
    for (const CLI::Option* option : at->get_options()) {
      if (option->get_positional() || option->get_group().empty()) {
        continue; // no group: hidden from help
      }
      std::string description = option->get_description();
      for (const auto& l : option->get_lnames()) {
        std::string word = "--" + l;
        if (has_prefix(word, current) && offered.insert(word).second) {
          out.candidates.push_back(word + "\t" + description);
        }
      }
      if (current.size() <= 2 && !has_prefix(current, "--")) {
        for (const auto& s : option->get_snames()) {
          std::string word = "-" + s;
          if (has_prefix(word, current) && offered.insert(word).second) {
            out.candidates.push_back(word + "\t" + description);
          }
        }
      }
    }
  }
  return out;
}

// Bash script. The candidates come from `program __complete`; bash splits "--flag=value" at '=',
// so the words are joined back before asking and the "--flag=" prefix is cut from the answers.
constexpr const char* k_bash_template =
    R"(# bash completion for {program}; generated by `{program} completion bash` (issue 13).
# Every candidate comes from `{program} __complete WORD... CURRENT`, which walks the command tree:
# subcommands, flags, fixed flag values, kubeconfig contexts (read from the file), and cluster names
# or namespaces from the Karmada API server (2 s timeout) only when the word being completed is one.
{fn}() {{
  local i word cur out directive
  local -a args=() candidates=()
  for ((i = 1; i <= COMP_CWORD; i++)); do
    word=${{COMP_WORDS[i]}}
    if [[ $word == "=" && ${{#args[@]}} -gt 0 && ${{args[-1]}} == -* && ${{args[-1]}} != *=* ]]; then
      args[-1]+="="
    elif ((i > 1)) && [[ ${{COMP_WORDS[i - 1]}} == "=" && ${{args[-1]}} == -*= ]]; then
      args[-1]+=$word
    else
      args+=("$word")
    fi
  done
  cur=${{args[-1]}}
  out=$("${{COMP_WORDS[0]}}" __complete "${{args[@]}}" 2>/dev/null) || return 0
  directive=${{out##*:}}
  out=${{out%:*}}
  while IFS= read -r word; do
    [[ -n $word ]] || continue
    word=${{word%%$'\t'*}}
    [[ $cur == -*=* ]] && word=${{word#"${{cur%%=*}}="}}
    candidates+=("$word")
  done <<<"$out"
  COMPREPLY=("${{candidates[@]}}")
  if (((directive & 2) != 0)); then compopt -o nospace 2>/dev/null; fi
  if (((directive & 4) != 0)); then compopt +o default 2>/dev/null; fi
  return 0
}}
complete -o default -F {fn} {program}
)";

constexpr const char* k_zsh_template = R"(#compdef {program}
# zsh completion for {program}; generated by `{program} completion zsh` (issue 13).
# Every candidate comes from `{program} __complete WORD... CURRENT`, which walks the command tree:
# subcommands, flags, fixed flag values, kubeconfig contexts (read from the file), and cluster names
# or namespaces from the Karmada API server (2 s timeout) only when the word being completed is one.
{fn}() {{
  local out directive line
  local -a lines values descriptions
  out=$(${{words[1]}} __complete "${{(@)words[2,CURRENT]}}" 2>/dev/null) || return 1
  lines=("${{(@f)out}}")
  directive=${{lines[-1]#:}}
  for line in "${{(@)lines[1,-2]}}"; do
    [[ -n $line ]] || continue
    values+=("${{line%%$'\t'*}}")
    if [[ $line == *$'\t'* ]]; then
      descriptions+=("${{line%%$'\t'*}}  -- ${{line#*$'\t'}}")
    else
      descriptions+=("${{line}}")
    fi
  done
  if ((${{#values}})); then
    if (((directive & 2) != 0)); then
      compadd -S '' -d descriptions -- "${{values[@]}}"
    else
      compadd -d descriptions -- "${{values[@]}}"
    fi
  elif (((directive & 4) == 0)); then
    _files
  fi
}}
if [[ "$funcstack[1]" == "{fn}" ]]; then
  {fn} "$@"
else
  compdef {fn} {program}
fi
)";

constexpr const char* k_fish_template =
    R"(# fish completion for {program}; generated by `{program} completion fish` (issue 13).
# Every candidate comes from `{program} __complete WORD... CURRENT`, which walks the command tree:
# subcommands, flags, fixed flag values, kubeconfig contexts (read from the file), and cluster names
# or namespaces from the Karmada API server (2 s timeout) only when the word being completed is one.
function {fn}
    set -l words (commandline -opc)
    set -l current (commandline -ct)
    set -l out (command $words[1] __complete $words[2..-1] "$current" 2>/dev/null)
    or return
    set -l directive (string replace -r '^:' '' -- $out[-1])
    set -e out[-1]
    if test (count $out) -eq 0; and test (math "$directive" % 8 - "$directive" % 4) -eq 0
        __fish_complete_path "$current"
        return
    end
    printf '%s\n' $out
end
complete -c {program} -f -a '({fn})'
)";

constexpr const char* k_powershell_template =
    R"(# PowerShell completion for {program}; generated by `{program} completion powershell` (issue 13).
# Every candidate comes from `{program} __complete WORD... CURRENT`, which walks the command tree.
Register-ArgumentCompleter -Native -CommandName '{program}' -ScriptBlock {{
  param($wordToComplete, $commandAst, $cursorPosition)
  $words = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object {{ $_.ToString() }})
  if ($wordToComplete -eq '') {{ $words += '""' }}
  $out = & '{program}' __complete @words 2>$null
  if (-not $out) {{ return }}
  $out | Select-Object -SkipLast 1 | Where-Object {{ $_ -ne '' }} | ForEach-Object {{
    $value, $description = $_ -split "`t", 2
    if (-not $description) {{ $description = $value }}
    [System.Management.Automation.CompletionResult]::new($value, $value, 'ParameterValue', $description)
  }}
}}
)";

std::string
function_name(const std::string& program) {
  std::string name = "__" + program + "_complete";
  for (char& c : name) {
    c = (c == '-' || c == ' ') ? '_' : c;
  }
  return name;
}

// The file name of each shell's script in completions/.
constexpr std::pair<const char*, const char*> k_completion_files[] = {
    {"bash", "karmadactl.bash"},
    {"zsh", "_karmadactl"},
    {"fish", "karmadactl.fish"},
    {"powershell", "karmadactl.ps1"},
};

struct CompletionOptions {
  std::string shell;
};

struct GenDocsOptions {
  std::string man_dir;
  std::string completion_dir;
};

Result<ExitCode>
write_docs(const CLI::App& root, const GenDocsOptions& options) {
  if (!options.man_dir.empty()) {
    for (const auto& [name, page] : man_pages(root, std::string(build_info::k_version.substr(1)))) {
      KCTL_TRY(fs::write_file_atomic(std::filesystem::path(options.man_dir) / name, page, 0644));
    }
  }
  if (!options.completion_dir.empty()) {
    for (const auto& [shell, file] : k_completion_files) {
      KCTL_TRY(fs::write_file_atomic(std::filesystem::path(options.completion_dir) / file,
                                     completion_script(shell, "karmadactl"),
                                     0644));
    }
  }
  return ExitCode::ok;
}

} // namespace

Completions
complete_words(const CLI::App& root, const std::vector<std::string>& words) {
  CompletionLine line;
  line.app = &root;
  std::string current = words.empty() ? "" : words.back();
  size_t count = words.empty() ? 0 : words.size() - 1;
  bool only_arguments = false;
  for (size_t i = 0; i < count; ++i) {
    const std::string& word = words[i];
    if (!only_arguments && word == "--") {
      only_arguments = true;
      continue;
    }
    if (!only_arguments && word.size() > 1 && word.front() == '-') {
      const CLI::Option* option = find_completion_option(line.app, word);
      if (option == nullptr || !takes_value(option)) {
        continue;
      }
      std::string value;
      if (word.find('=') != std::string::npos) {
        value = word.substr(word.find('=') + 1);
      } else if (!word.starts_with("--") && word.size() > 2) {
        value = word.substr(2);
      } else if (i + 1 < count) {
        value = words[++i];
      } else {
        // The word being completed is this flag's value.
        return value_completions(line, option, "", current);
      }
      line.values[completion_long_name(option)] = value;
      continue;
    }
    const CLI::App* sub = nullptr;
    if (line.positionals.empty() && !only_arguments) {
      for (const CLI::App* candidate :
           line.app->get_subcommands([](const CLI::App*) { return true; })) {
        if (candidate->get_name() == word) {
          sub = candidate;
        }
      }
    }
    if (sub != nullptr) {
      line.app = sub;
    } else {
      line.positionals.push_back(word);
    }
  }
  if (!only_arguments && current.starts_with("-")) {
    size_t equals = current.find('=');
    if (equals != std::string::npos) {
      const CLI::Option* option = find_completion_option(line.app, current);
      if (option == nullptr || !takes_value(option)) {
        return {{}, k_directive_no_files};
      }
      return value_completions(
          line, option, current.substr(0, equals + 1), current.substr(equals + 1));
    }
    return flag_completions(line.app, current);
  }
  return argument_completions(line, current);
}

int
run_complete_request(const CLI::App& root, const std::vector<std::string>& words) {
  Completions result = complete_words(root, words);
  std::string out;
  for (const auto& candidate : result.candidates) {
    std::string line = candidate;
    for (char& c : line) {
      c = c == '\n' ? ' ' : c;
    }
    out += line + "\n";
  }
  out += fmt::format(":{}\n", result.directive);
  fmt::print("{}", out);
  return 0;
}

std::string
completion_script(const std::string& shell, const std::string& program) {
  const char* text = shell == "zsh"          ? k_zsh_template
                     : shell == "fish"       ? k_fish_template
                     : shell == "powershell" ? k_powershell_template
                                             : k_bash_template;
  return fmt::format(
      fmt::runtime(text), fmt::arg("program", program), fmt::arg("fn", function_name(program)));
}

void
setup_completion(CLI::App& app, Invocation& invocation) {
  CLI::App& root = *app.get_parent();
  auto options = std::make_shared<CompletionOptions>();
  CLI::App* command = &app;
  command->add_option("shell", options->shell, "bash, zsh, fish or powershell")
      ->required()
      ->check(one_of({"bash", "zsh", "fish", "powershell"}));
  set_kubectl_help(
      *command,
      "",
      with_program(
          "  # Load completion in the current bash session\n"
          "  source <({program} completion bash)\n\n"
          "  # Install for every bash session\n"
          "  {program} completion bash > ~/.local/share/bash-completion/completions/karmadactl\n\n"
          "  # Install for every zsh session\n"
          "  {program} completion zsh > \"${fpath[1]}/_karmadactl\"\n\n"
          "  # Install for fish\n"
          "  {program} completion fish > ~/.config/fish/completions/karmadactl.fish",
          invocation.program));
  defer_value_errors(*command, invocation.value_problems);
  command->callback([&invocation, options] {
    invocation.action = [options, program = invocation.program]() -> Result<ExitCode> {
      fmt::print(
          "{}",
          completion_script(options->shell,
                            program == "karmadactl" ? program : std::string("kubectl-karmada")));
      return ExitCode::ok;
    };
  });

  // Hidden (no help group): writes man/ and completions/ from this tree. Regenerate with
  // `build/karmadactl __gen-docs --man-dir man --completion-dir completions`.
  auto docs = std::make_shared<GenDocsOptions>();
  CLI::App* gen = root.add_subcommand("__gen-docs", "Write man pages and completion scripts");
  gen->group("");
  gen->add_option("--man-dir", docs->man_dir, "Directory for the man pages");
  gen->add_option("--completion-dir", docs->completion_dir, "Directory for completion scripts");
  gen->callback([&invocation, &root, docs] {
    invocation.action = [&root, docs]() { return write_docs(root, *docs); };
  });
}

} // namespace kctl::cli
