#include "kube/kubeconfig.hpp"

#include "util/encoding.hpp"
#include "util/fs.hpp"
#include "util/json_parse.hpp"
#include "util/yaml.hpp"

#include <fmt/format.h>

#include <set>

namespace kctl::kube {

namespace {

constexpr std::string_view k_exec_extension = "client.authentication.k8s.io/exec";

// Where a field sits, for messages: "<file>: users[alice].user.token".
struct Where {
  const std::filesystem::path& file;
  std::string entry;

  std::string at(std::string_view field) const {
    return fmt::format("{}: {}.{}", file.string(), entry, field);
  }
};

// Reads a scalar as text; YAML turns unquoted numbers and booleans into non-strings, which a
// kubeconfig still means as text (a numeric token, a numeric user name).
Result<std::string>
text_field(const Json& object, std::string_view key, const Where& where) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    return std::string{};
  }
  if (it->is_string()) {
    return it->get<std::string>();
  }
  if (it->is_number() || it->is_boolean()) {
    return it->dump();
  }
  return failf("{}: expected a string", where.at(key));
}

Result<bool>
bool_field(const Json& object, std::string_view key, const Where& where) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    return false;
  }
  if (it->is_boolean()) {
    return it->get<bool>();
  }
  if (it->is_string() && (*it == "true" || *it == "false")) {
    return *it == "true";
  }
  return failf("{}: expected true or false", where.at(key));
}

Result<std::string>
data_field(const Json& object, std::string_view key, const Where& where) {
  KCTL_TRY_ASSIGN(std::string encoded, text_field(object, key, where));
  if (encoded.empty()) {
    return std::string{};
  }
  return with_context(encoding::base64_decode(encoded), where.at(key));
}

std::filesystem::path
resolve_path(const std::string& value, const std::filesystem::path& source) {
  if (value.empty()) {
    return {};
  }
  std::filesystem::path path(value);
  if (path.is_absolute() || source.empty()) {
    return path;
  }
  return source.parent_path() / path;
}

Result<std::vector<std::string>>
string_list(const Json& object, std::string_view key, const Where& where) {
  std::vector<std::string> out;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    return out;
  }
  if (!it->is_array()) {
    return failf("{}: expected a list", where.at(key));
  }
  for (const auto& item : *it) {
    if (!item.is_string()) {
      return failf("{}: expected a list of strings", where.at(key));
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<InteractiveMode>
parse_interactive_mode(const Json& exec, const std::string& api_version, const Where& where) {
  KCTL_TRY_ASSIGN(std::string mode, text_field(exec, "interactiveMode", where));
  if (mode.empty()) {
    // client-go requires it in v1 and defaults v1beta1 to IfAvailable.
    if (api_version == "client.authentication.k8s.io/v1") {
      return failf(
          "{}: interactiveMode must be specified for {}", where.at("interactiveMode"), api_version);
    }
    return InteractiveMode::if_available;
  }
  if (mode == "Never") {
    return InteractiveMode::never;
  }
  if (mode == "IfAvailable") {
    return InteractiveMode::if_available;
  }
  if (mode == "Always") {
    return InteractiveMode::always;
  }
  return failf(
      "{}: \"{}\" is not one of Never, IfAvailable, Always", where.at("interactiveMode"), mode);
}

Result<std::vector<std::pair<std::string, std::string>>>
exec_env(const Json& exec, const Where& where) {
  std::vector<std::pair<std::string, std::string>> out;
  auto it = exec.find("env");
  if (it == exec.end() || it->is_null()) {
    return out;
  }
  if (!it->is_array()) {
    return failf("{}: expected a list of {{name, value}}", where.at("env"));
  }
  for (const auto& item : *it) {
    if (!item.is_object()) {
      return failf("{}: expected a list of {{name, value}}", where.at("env"));
    }
    KCTL_TRY_ASSIGN(std::string name, text_field(item, "name", where));
    KCTL_TRY_ASSIGN(std::string value, text_field(item, "value", where));
    out.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

Result<ExecConfig>
parse_exec(const Json& exec, const Where& parent) {
  Where where{parent.file, parent.entry + ".exec"};
  if (!exec.is_object()) {
    return failf("{}: expected a mapping", parent.at("exec"));
  }
  ExecConfig config;
  KCTL_TRY_ASSIGN(config.api_version, text_field(exec, "apiVersion", where));
  KCTL_TRY_ASSIGN(config.command, text_field(exec, "command", where));
  if (config.command.empty()) {
    return failf("{}: command is required", where.at("command"));
  }
  if (config.api_version.empty()) {
    return failf("{}: apiVersion is required", where.at("apiVersion"));
  }
  KCTL_TRY_ASSIGN(config.args, string_list(exec, "args", where));
  KCTL_TRY_ASSIGN(config.env, exec_env(exec, where));
  KCTL_TRY_ASSIGN(config.install_hint, text_field(exec, "installHint", where));
  KCTL_TRY_ASSIGN(bool provide, bool_field(exec, "provideClusterInfo", where));
  config.cluster_info = provide ? ClusterInfo::provide : ClusterInfo::omit;
  KCTL_TRY_ASSIGN(config.interactive_mode, parse_interactive_mode(exec, config.api_version, where));
  config.base_dir = parent.file.parent_path();
  return config;
}

Json
find_exec_extension(const Json& cluster) {
  auto it = cluster.find("extensions");
  if (it == cluster.end() || !it->is_array()) {
    return nullptr;
  }
  for (const auto& item : *it) {
    if (json::string_or(item, "name") == k_exec_extension) {
      return item.value("extension", Json());
    }
  }
  return nullptr;
}

Result<KubeCluster>
parse_cluster(const Json& body, const Where& where) {
  KubeCluster out;
  out.source = where.file;
  KCTL_TRY_ASSIGN(out.server, text_field(body, "server", where));
  KCTL_TRY_ASSIGN(std::string ca, text_field(body, "certificate-authority", where));
  out.certificate_authority = resolve_path(ca, where.file);
  KCTL_TRY_ASSIGN(out.certificate_authority_data,
                  data_field(body, "certificate-authority-data", where));
  KCTL_TRY_ASSIGN(bool insecure, bool_field(body, "insecure-skip-tls-verify", where));
  out.verification = insecure ? TlsVerification::skip : TlsVerification::verify;
  KCTL_TRY_ASSIGN(out.tls_server_name, text_field(body, "tls-server-name", where));
  KCTL_TRY_ASSIGN(out.proxy_url, text_field(body, "proxy-url", where));
  KCTL_TRY_ASSIGN(bool no_compression, bool_field(body, "disable-compression", where));
  out.compression = no_compression ? Compression::disabled : Compression::allowed;
  out.exec_extension = find_exec_extension(body);
  return out;
}

Result<KubeUser>
parse_user(const Json& body, const Where& where) {
  KubeUser out;
  out.source = where.file;
  KCTL_TRY_ASSIGN(std::string cert, text_field(body, "client-certificate", where));
  out.client_certificate = resolve_path(cert, where.file);
  KCTL_TRY_ASSIGN(out.client_certificate_data, data_field(body, "client-certificate-data", where));
  KCTL_TRY_ASSIGN(std::string key, text_field(body, "client-key", where));
  out.client_key = resolve_path(key, where.file);
  KCTL_TRY_ASSIGN(out.client_key_data, data_field(body, "client-key-data", where));
  KCTL_TRY_ASSIGN(out.token, text_field(body, "token", where));
  KCTL_TRY_ASSIGN(std::string token_file, text_field(body, "tokenFile", where));
  out.token_file = resolve_path(token_file, where.file);
  KCTL_TRY_ASSIGN(out.username, text_field(body, "username", where));
  KCTL_TRY_ASSIGN(out.password, text_field(body, "password", where));
  if (auto exec = body.find("exec"); exec != body.end() && !exec->is_null()) {
    KCTL_TRY_ASSIGN(out.exec, parse_exec(*exec, where));
  }
  if (auto provider = body.find("auth-provider"); provider != body.end() && provider->is_object()) {
    out.auth_provider = provider->value("name", "unnamed");
  }
  return out;
}

Result<KubeContext>
parse_context(const Json& body, const Where& where) {
  KubeContext out;
  out.source = where.file;
  KCTL_TRY_ASSIGN(out.cluster, text_field(body, "cluster", where));
  KCTL_TRY_ASSIGN(out.user, text_field(body, "user", where));
  KCTL_TRY_ASSIGN(out.namespace_name, text_field(body, "namespace", where));
  return out;
}

// Parses the named list `key` ("clusters") whose items hold `inner` ("cluster") with `parse`.
template <class T, class Parse>
Status
parse_named_list(const Json& root,
                 std::string_view key,
                 std::string_view inner,
                 const std::filesystem::path& source,
                 std::map<std::string, T>& into,
                 Parse parse) {
  auto it = root.find(key);
  if (it == root.end() || it->is_null()) {
    return {};
  }
  if (!it->is_array()) {
    return failf("{}: {}: expected a list", source.string(), key);
  }
  std::size_t index = 0;
  for (const auto& item : *it) {
    Where where{source, fmt::format("{}[{}]", key, index++)};
    if (!item.is_object()) {
      return failf("{}: expected a mapping with name and {}", where.at(""), inner);
    }
    KCTL_TRY_ASSIGN(std::string name, text_field(item, "name", where));
    if (name.empty()) {
      return failf("{}: entry has no name", where.at("name"));
    }
    where.entry = fmt::format("{}[{}].{}", key, name, inner);
    Json body = item.value(inner, Json::object());
    if (!body.is_object()) {
      return failf("{}: expected a mapping", fmt::format("{}: {}", source.string(), where.entry));
    }
    KCTL_TRY_ASSIGN(T parsed, parse(body, where));
    into.try_emplace(name, std::move(parsed)); // the first of two equal names wins, as in kubectl
  }
  return {};
}

template <class Map>
void
merge_first_wins(Map& into, Map& from) {
  for (auto& [name, value] : from) {
    into.try_emplace(name, std::move(value));
  }
}

} // namespace

bool
Kubeconfig::empty() const {
  return current_context.empty() && clusters.empty() && users.empty() && contexts.empty();
}

std::string
Kubeconfig::describe_sources() const {
  std::string out;
  for (const auto& source : sources) {
    if (!out.empty()) {
      out += ':';
    }
    out += source.string();
  }
  return out.empty() ? std::string("(no kubeconfig)") : out;
}

Result<Kubeconfig>
parse_kubeconfig(std::string_view text, const std::filesystem::path& source) {
  KCTL_TRY_ASSIGN(Json root, yaml::parse(text, source.string()));
  Kubeconfig config;
  config.sources.push_back(source);
  if (root.is_null()) {
    return config; // an empty file is a valid, empty kubeconfig
  }
  if (!root.is_object()) {
    return failf("{}: not a kubeconfig: expected a mapping at the top level", source.string());
  }
  Where top{source, "kubeconfig"};
  KCTL_TRY_ASSIGN(config.current_context, text_field(root, "current-context", top));
  KCTL_TRY(parse_named_list(root, "clusters", "cluster", source, config.clusters, parse_cluster));
  KCTL_TRY(parse_named_list(root, "users", "user", source, config.users, parse_user));
  KCTL_TRY(parse_named_list(root, "contexts", "context", source, config.contexts, parse_context));
  return config;
}

Result<Kubeconfig>
load_kubeconfig_file(const std::filesystem::path& path) {
  KCTL_TRY_ASSIGN(std::string text, yaml::read_input(path, k_max_kubeconfig_bytes, "a kubeconfig"));
  return parse_kubeconfig(text, path);
}

void
merge_kubeconfig(Kubeconfig& merged, Kubeconfig later) {
  if (merged.current_context.empty()) {
    merged.current_context = std::move(later.current_context);
  }
  merge_first_wins(merged.clusters, later.clusters);
  merge_first_wins(merged.users, later.users);
  merge_first_wins(merged.contexts, later.contexts);
  merged.sources.insert(merged.sources.end(), later.sources.begin(), later.sources.end());
}

Result<Kubeconfig>
load_kubeconfig_list(const std::vector<std::filesystem::path>& paths) {
  Kubeconfig merged;
  for (const auto& path : paths) {
    std::error_code error;
    if (!std::filesystem::exists(path, error)) {
      continue; // kubectl skips missing files of a $KUBECONFIG list
    }
    KCTL_TRY_ASSIGN(Kubeconfig one, load_kubeconfig_file(path));
    merge_kubeconfig(merged, std::move(one));
  }
  return merged;
}

std::vector<std::filesystem::path>
split_kubeconfig_env(std::string_view value) {
  std::vector<std::filesystem::path> out;
  std::set<std::string> seen;
  while (!value.empty()) {
    auto colon = value.find(':');
    std::string item(value.substr(0, colon));
    if (!item.empty() && seen.insert(item).second) {
      out.emplace_back(item);
    }
    if (colon == std::string_view::npos) {
      break;
    }
    value.remove_prefix(colon + 1);
  }
  return out;
}

} // namespace kctl::kube
