#include "kube/exec_credential.hpp"

#include "util/fs.hpp"
#include "util/json_parse.hpp"
#include "util/log.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace kctl::kube {

namespace {

constexpr std::string_view k_v1 = "client.authentication.k8s.io/v1";
constexpr std::string_view k_v1beta1 = "client.authentication.k8s.io/v1beta1";

// Treats credentials this close to expiry as expired, so a request does not start with a token
// that dies on its way to the server.
constexpr auto k_expiry_margin = std::chrono::seconds(10);

std::string
missing_binary_message(const ExecConfig& config) {
  std::string message = fmt::format(
      "exec: executable {} not found\n\nIt looks like you are trying to use a client-go "
      "credential plugin that is not installed.\n\nTo learn more about this feature, consult the "
      "documentation available at:\n      "
      "https://kubernetes.io/docs/reference/access-authn-authz/authentication/"
      "#client-go-credential-plugins",
      config.command);
  if (!config.install_hint.empty()) {
    message += "\n\n" + config.install_hint;
  }
  return message;
}

bool
is_executable(const std::filesystem::path& path) {
  std::error_code ignored;
  return std::filesystem::is_regular_file(path, ignored) && ::access(path.c_str(), X_OK) == 0;
}

// Finds the binary the way client-go does: a command with a slash is a path (relative ones are
// relative to the kubeconfig), a bare name is looked up in PATH.
std::optional<std::filesystem::path>
find_command(const ExecConfig& config) {
  if (config.command.find('/') != std::string::npos) {
    std::filesystem::path path(config.command);
    if (path.is_relative() && !config.base_dir.empty()) {
      path = config.base_dir / path;
    }
    return is_executable(path) ? std::optional(path) : std::nullopt;
  }
  const char* search = std::getenv("PATH");
  std::string_view dirs = search != nullptr ? search : "/usr/local/bin:/usr/bin:/bin";
  while (true) {
    auto colon = dirs.find(':');
    std::string_view dir = dirs.substr(0, colon);
    std::filesystem::path candidate =
        std::filesystem::path(dir.empty() ? "." : std::string(dir)) / config.command;
    if (is_executable(candidate)) {
      return candidate;
    }
    if (colon == std::string_view::npos) {
      return std::nullopt;
    }
    dirs.remove_prefix(colon + 1);
  }
}

Json
exec_info(const ExecConfig& config, const Json& cluster, bool interactive) {
  Json spec = {{"interactive", interactive}};
  if (config.cluster_info == ClusterInfo::provide) {
    spec["cluster"] = cluster;
  }
  return {{"kind", "ExecCredential"}, {"apiVersion", config.api_version}, {"spec", spec}};
}

// The parent environment, with the stanza's env on top and KUBERNETES_EXEC_INFO last.
std::vector<std::string>
plugin_environment(const ExecConfig& config, const std::string& info) {
  std::vector<std::string> out;
  auto overridden = [&](std::string_view entry) {
    std::string_view name = entry.substr(0, entry.find('='));
    if (name == "KUBERNETES_EXEC_INFO") {
      return true;
    }
    for (const auto& [key, value] : config.env) {
      if (key == name) {
        return true;
      }
    }
    return false;
  };
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    if (!overridden(*entry)) {
      out.emplace_back(*entry);
    }
  }
  for (const auto& [key, value] : config.env) {
    out.push_back(key + "=" + value);
  }
  out.push_back("KUBERNETES_EXEC_INFO=" + info);
  return out;
}

std::vector<char*>
c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (auto& text : strings) {
    out.push_back(text.data());
  }
  out.push_back(nullptr);
  return out;
}

// Owns a pipe; closes what is left open on every path.
struct Pipe {
  int fds[2] = {-1, -1};
  ~Pipe() {
    for (int fd : fds) {
      if (fd >= 0) {
        ::close(fd);
      }
    }
  }
  void close_end(int index) {
    ::close(fds[index]);
    fds[index] = -1;
  }
};

// Reads `fd` to its end; nullopt once more than `max_bytes` arrive (the caller then closes it,
// so a plugin that keeps writing gets SIGPIPE instead of filling our memory).
std::optional<std::string>
read_all(int fd, std::size_t max_bytes) {
  std::string out;
  char buffer[4096];
  while (true) {
    ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got <= 0) {
      return out;
    }
    if (static_cast<std::size_t>(got) > max_bytes - out.size()) {
      return std::nullopt;
    }
    out.append(buffer, static_cast<std::size_t>(got));
  }
}

Result<int>
wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      return failf("waitpid: {}", std::strerror(errno));
    }
  }
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  return 128 + WTERMSIG(status);
}

struct SpawnResult {
  int exit_code = 0;
  std::string output;
};

// Runs `binary` with stdout captured; stdin is the terminal only when `interactive`, and stderr
// is passed through so the plugin can prompt and report.
Result<SpawnResult>
spawn_plugin(const std::filesystem::path& binary,
             const ExecConfig& config,
             std::vector<std::string> env,
             bool interactive) {
  Pipe out;
  if (::pipe2(out.fds, O_CLOEXEC) != 0) {
    return failf("exec plugin: pipe: {}", std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!interactive) {
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  }
  posix_spawn_file_actions_adddup2(&actions, out.fds[1], 1);
  // The plugin gets stdin, stdout and stderr only, not our connections or other descriptors.
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  std::vector<std::string> argv_strings{binary.string()};
  argv_strings.insert(argv_strings.end(), config.args.begin(), config.args.end());
  std::vector<char*> argv = c_strings(argv_strings);
  std::vector<char*> envp = c_strings(env);
  pid_t pid = 0;
  int rc = ::posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return failf("exec plugin {}: {}", binary.string(), std::strerror(rc));
  }
  out.close_end(1);
  SpawnResult result;
  std::optional<std::string> output = read_all(out.fds[0], k_max_exec_plugin_output_bytes);
  out.close_end(0);
  KCTL_TRY_ASSIGN(result.exit_code, wait_for(pid));
  if (!output) {
    return failf("exec plugin {}: its output is larger than {}, the limit",
                 binary.string(),
                 kctl::fs::format_limit(k_max_exec_plugin_output_bytes));
  }
  result.output = std::move(*output);
  return result;
}

Result<bool>
decide_interactive(InteractiveMode mode) {
  bool terminal = ::isatty(0) == 1;
  switch (mode) {
  case InteractiveMode::never:
    return false;
  case InteractiveMode::if_available:
    return terminal;
  case InteractiveMode::always:
    if (!terminal) {
      return fail("exec plugin cannot support interactive mode: standard input is not a terminal");
    }
    return true;
  }
  return false;
}

Result<int>
parse_int(std::string_view text, std::size_t pos, std::size_t len) {
  if (pos + len > text.size()) {
    return fail("truncated");
  }
  int value = 0;
  for (std::size_t i = pos; i < pos + len; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return fail("not a digit");
    }
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

} // namespace

Result<std::chrono::system_clock::time_point>
parse_rfc3339(std::string_view text) {
  auto bad = [&] { return failf("invalid RFC 3339 timestamp \"{}\"", std::string(text)); };
  // YYYY-MM-DDTHH:MM:SS
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':') {
    return bad();
  }
  std::tm tm{};
  auto year = parse_int(text, 0, 4);
  auto month = parse_int(text, 5, 2);
  auto day = parse_int(text, 8, 2);
  auto hour = parse_int(text, 11, 2);
  auto minute = parse_int(text, 14, 2);
  auto second = parse_int(text, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second || *month < 1 || *month > 12 ||
      *day < 1 || *day > 31 || *hour > 23 || *minute > 59 || *second > 60) {
    return bad();
  }
  tm.tm_year = *year - 1900;
  tm.tm_mon = *month - 1;
  tm.tm_mday = *day;
  tm.tm_hour = *hour;
  tm.tm_min = *minute;
  tm.tm_sec = *second;
  std::size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      ++pos; // fractions do not matter for expiry
    }
  }
  long offset_seconds = 0;
  std::string_view zone = text.substr(pos);
  if (zone == "Z" || zone == "z") {
    offset_seconds = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    auto zh = parse_int(zone, 1, 2);
    auto zm = parse_int(zone, 4, 2);
    if (!zh || !zm) {
      return bad();
    }
    offset_seconds = (*zh * 3600L + *zm * 60L) * (zone[0] == '-' ? -1 : 1);
  } else {
    return bad();
  }
  std::time_t utc = ::timegm(&tm) - offset_seconds;
  // system_clock counts nanoseconds from 1970 and spans 1677 to 2262; later dates mean "never"
  // here, earlier ones "long ago" (converting them would overflow; found by fuzz_duration).
  auto limit = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::time_point::max().time_since_epoch());
  if (utc >= limit.count()) {
    return std::chrono::system_clock::time_point::max();
  }
  if (utc <= -limit.count()) {
    return std::chrono::system_clock::time_point::min();
  }
  return std::chrono::system_clock::from_time_t(utc);
}

Result<ExecCredential>
parse_exec_credential(std::string_view output, std::string_view api_version) {
  auto document = json::parse(output);
  if (!document) {
    return failf("exec plugin: the output is not an ExecCredential JSON object: {}",
                 document.error().message);
  }
  Json parsed = std::move(*document);
  if (!parsed.is_object()) {
    return fail("exec plugin: the output is not an ExecCredential JSON object");
  }
  std::string got_version = json::string_or(parsed, "apiVersion");
  if (got_version != api_version) {
    return failf("exec plugin is configured to use API version {}, plugin returned version {}",
                 api_version,
                 got_version.empty() ? "(none)" : got_version);
  }
  if (json::string_or(parsed, "kind") != "ExecCredential") {
    return fail("exec plugin: the output is not of kind ExecCredential");
  }
  auto status = parsed.find("status");
  if (status == parsed.end() || !status->is_object()) {
    return fail("exec plugin didn't return a status field");
  }
  // A field of another type counts as absent (Json::value would throw; found by
  // fuzz_exec_credential).
  ExecCredential credential;
  credential.token = json::string_or(*status, "token");
  credential.client_certificate_pem = json::string_or(*status, "clientCertificateData");
  credential.client_key_pem = json::string_or(*status, "clientKeyData");
  bool has_cert = !credential.client_certificate_pem.empty();
  bool has_key = !credential.client_key_pem.empty();
  if (has_cert != has_key) {
    return fail("exec plugin: clientCertificateData and clientKeyData must both be set or unset");
  }
  if (credential.token.empty() && !has_cert) {
    return fail("exec plugin didn't return a token or cert/key pair");
  }
  if (std::string expiry = json::string_or(*status, "expirationTimestamp"); !expiry.empty()) {
    KCTL_TRY_ASSIGN(credential.expiry,
                    with_context(parse_rfc3339(expiry), "exec plugin: expirationTimestamp"));
  }
  return credential;
}

ExecCredentialProvider::ExecCredentialProvider(ExecConfig config, Json cluster)
    : m_config(std::move(config)), m_cluster(std::move(cluster)) {}

Result<ExecCredential>
ExecCredentialProvider::credential() {
  std::lock_guard lock(m_mutex);
  auto now = std::chrono::system_clock::now();
  if (m_cached && (!m_cached->expiry || *m_cached->expiry - k_expiry_margin > now)) {
    return *m_cached;
  }
  KCTL_TRY_ASSIGN(ExecCredential fresh, run_plugin());
  m_cached = fresh;
  return fresh;
}

void
ExecCredentialProvider::invalidate(const ExecCredential& rejected) {
  std::lock_guard lock(m_mutex);
  if (m_cached && *m_cached == rejected) {
    m_cached.reset();
  }
}

Result<ExecCredential>
ExecCredentialProvider::run_plugin() const {
  if (m_config.api_version != k_v1 && m_config.api_version != k_v1beta1) {
    return failf("exec plugin: unsupported apiVersion \"{}\" (use {} or {})",
                 m_config.api_version,
                 k_v1,
                 k_v1beta1);
  }
  std::optional<std::filesystem::path> binary = find_command(m_config);
  if (!binary) {
    return fail(missing_binary_message(m_config));
  }
  KCTL_TRY_ASSIGN(bool interactive, decide_interactive(m_config.interactive_mode));
  std::string info = exec_info(m_config, m_cluster, interactive).dump();
  KLOG(4, "running exec credential plugin {}", binary->string());
  KCTL_TRY_ASSIGN(SpawnResult run,
                  spawn_plugin(*binary, m_config, plugin_environment(m_config, info), interactive));
  if (run.exit_code != 0) {
    return failf("exec: executable {} failed with exit code {}", m_config.command, run.exit_code);
  }
  return parse_exec_credential(run.output, m_config.api_version);
}

} // namespace kctl::kube
