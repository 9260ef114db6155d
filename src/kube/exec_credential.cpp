#include "kube/exec_credential.hpp"

#include "util/duration.hpp"
#include "util/fs.hpp"
#include "util/interrupt.hpp"
#include "util/json_parse.hpp"
#include "util/log.hpp"
#include "util/time.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
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

// A started plugin. Until it has been waited for, going out of scope kills it (with its process
// group when it leads one) and reaps it, so no error path leaves it running.
class RunningPlugin {
public:
  RunningPlugin(pid_t pid, interrupt::ChildScope scope) : m_pid(pid), m_scope(scope) {}
  RunningPlugin(const RunningPlugin&) = delete;
  RunningPlugin& operator=(const RunningPlugin&) = delete;
  ~RunningPlugin() {
    if (m_pid > 0) {
      kill();
      (void)reap();
    }
  }

  void kill() const {
    ::kill(m_scope == interrupt::ChildScope::process_group ? -m_pid : m_pid, SIGKILL);
  }

  // Whether the plugin has exited (it is not reaped yet).
  bool exited() const {
    siginfo_t info{};
    int rc = ::waitid(P_PID, static_cast<id_t>(m_pid), &info, WEXITED | WNOHANG | WNOWAIT);
    return rc == 0 && info.si_pid == m_pid;
  }

  // Waits for the plugin to exit and returns its exit code (128 + signal when killed).
  Result<int> reap() {
    siginfo_t info{};
    while (::waitid(P_PID, static_cast<id_t>(m_pid), &info, WEXITED | WNOWAIT) != 0) {
      if (errno != EINTR) {
        return failf("waitid: {}", std::strerror(errno));
      }
    }
    interrupt::untrack(m_pid);
    int status = 0;
    while (::waitpid(m_pid, &status, 0) < 0) {
      if (errno != EINTR) {
        return failf("waitpid: {}", std::strerror(errno));
      }
    }
    m_pid = -1;
    if (WIFEXITED(status)) {
      return WEXITSTATUS(status);
    }
    return 128 + WTERMSIG(status);
  }

private:
  pid_t m_pid;
  interrupt::ChildScope m_scope;
};

// The plugin's stdout, read until it ends or the plugin exits.
struct OutputReader {
  int fd;
  std::string text;
  bool ended = false;
  bool too_large = false;

  // Reads what is there (one read); sets `ended` at end of file.
  Status read_some() {
    char buffer[4096];
    ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR || errno == EAGAIN) {
        return {};
      }
      return failf("reading its output: {}", std::strerror(errno));
    }
    if (got == 0) {
      ended = true;
      return {};
    }
    if (static_cast<std::size_t>(got) > k_max_exec_plugin_output_bytes - text.size()) {
      too_large = true;
      return {};
    }
    text.append(buffer, static_cast<std::size_t>(got));
    return {};
  }

  // Once the plugin has exited: takes what it wrote without waiting for an end of file, which a
  // process it left behind holding the pipe would delay for ever.
  Status drain() {
    if (::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK) != 0) {
      return failf("reading its output: {}", std::strerror(errno));
    }
    while (!ended && !too_large) {
      std::size_t before = text.size();
      KCTL_TRY(read_some());
      if (!ended && !too_large && text.size() == before) {
        break; // nothing more now
      }
    }
    return {};
  }
};

std::string
describe_limit(const PluginLimit& limit) {
  return fmt::format("{} ({})", format_duration(limit.duration), limit.source);
}

struct SpawnResult {
  int exit_code = 0;
  std::string output;
};

// Runs `binary` with stdout captured; stdin is the terminal only when `interactive`, and stderr
// is passed through so the plugin can prompt and report. A plugin that is not interactive leads
// its own process group, so that a timeout or an interrupt ends what it started too; an
// interactive one stays in ours, where the terminal lets it read. It is killed when it runs past
// `limit`, prints too much, or the command is interrupted.
Result<SpawnResult>
spawn_plugin(const std::filesystem::path& binary,
             const ExecConfig& config,
             std::vector<std::string> env,
             bool interactive,
             const PluginLimit& limit) {
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
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  if (!interactive) {
    flags |= POSIX_SPAWN_SETPGROUP;
    posix_spawnattr_setpgroup(&attributes, 0);
  }
  posix_spawnattr_setflags(&attributes, flags);
  sigset_t signals;
  sigemptyset(&signals);
  posix_spawnattr_setsigmask(&attributes, &signals);
  // We ignore SIGPIPE; the plugin gets the default, as from a shell.
  sigaddset(&signals, SIGPIPE);
  posix_spawnattr_setsigdefault(&attributes, &signals);
  std::vector<std::string> argv_strings{binary.string()};
  argv_strings.insert(argv_strings.end(), config.args.begin(), config.args.end());
  std::vector<char*> argv = c_strings(argv_strings);
  std::vector<char*> envp = c_strings(env);
  interrupt::ChildScope scope =
      interactive ? interrupt::ChildScope::process : interrupt::ChildScope::process_group;
  int rc = 0;
  pid_t pid = interrupt::spawn_tracked(
      [&] {
        pid_t started = 0;
        rc = ::posix_spawn(
            &started, binary.c_str(), &actions, &attributes, argv.data(), envp.data());
        return rc == 0 ? started : -1;
      },
      scope);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (pid <= 0) {
    return failf(
        "exec plugin {}: {}", binary.string(), rc != 0 ? std::strerror(rc) : "interrupted");
  }
  RunningPlugin plugin(pid, scope);
  out.close_end(1);
  OutputReader reader{out.fds[0], {}};
  auto deadline = std::chrono::steady_clock::now() + limit.duration;
  while (true) {
    auto left =
        std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      plugin.kill();
      KCTL_TRY(plugin.reap());
      return failf("exec plugin \"{}\" timed out: it did not finish within {}, and was stopped",
                   config.command,
                   describe_limit(limit));
    }
    // While the output is open, wake for it; after its end, look for the exit now and then.
    int wait_ms = static_cast<int>(std::min<std::int64_t>(left.count(), reader.ended ? 10 : 100));
    pollfd ready{reader.fd, POLLIN, 0};
    int polled = ::poll(&ready, reader.ended ? 0 : 1, std::max(wait_ms, 1));
    if (polled < 0 && errno != EINTR) {
      return failf("exec plugin {}: poll: {}", binary.string(), std::strerror(errno));
    }
    if (polled > 0) {
      KCTL_TRY(with_context(reader.read_some(), fmt::format("exec plugin {}", binary.string())));
    }
    bool exited = !reader.too_large && plugin.exited();
    if (exited) {
      KCTL_TRY(with_context(reader.drain(), fmt::format("exec plugin {}", binary.string())));
    }
    if (reader.too_large) {
      return failf("exec plugin {}: its output is larger than {}, the limit",
                   binary.string(),
                   kctl::fs::format_limit(k_max_exec_plugin_output_bytes));
    }
    if (exited) {
      break;
    }
  }
  SpawnResult result;
  KCTL_TRY_ASSIGN(result.exit_code, plugin.reap());
  result.output = std::move(reader.text);
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

} // namespace

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
    KCTL_TRY_ASSIGN(std::chrono::sys_seconds expires,
                    with_context(parse_rfc3339(expiry), "exec plugin: expirationTimestamp"));
    credential.expiry = to_system_clock(expires); // after 2262: never
  }
  return credential;
}

ExecCredentialProvider::ExecCredentialProvider(ExecConfig config, Json cluster)
    : m_config(std::move(config)), m_cluster(std::move(cluster)) {}

PluginLimit
plugin_limit(std::chrono::milliseconds request_timeout) {
  PluginLimit limit;
  if (request_timeout.count() > 0 && request_timeout < limit.duration) {
    limit.duration = request_timeout;
    limit.source = "the request timeout";
  }
  return limit;
}

Result<ExecCredential>
ExecCredentialProvider::credential(std::chrono::milliseconds request_timeout) {
  std::lock_guard lock(m_mutex);
  auto now = std::chrono::system_clock::now();
  if (m_cached && (!m_cached->expiry || *m_cached->expiry - k_expiry_margin > now)) {
    return *m_cached;
  }
  KCTL_TRY_ASSIGN(ExecCredential fresh, run_plugin(plugin_limit(request_timeout)));
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
ExecCredentialProvider::run_plugin(const PluginLimit& limit) const {
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
  KCTL_TRY_ASSIGN(
      SpawnResult run,
      spawn_plugin(*binary, m_config, plugin_environment(m_config, info), interactive, limit));
  if (run.exit_code != 0) {
    return failf("exec: executable {} failed with exit code {}", m_config.command, run.exit_code);
  }
  return parse_exec_credential(run.output, m_config.api_version);
}

} // namespace kctl::kube
